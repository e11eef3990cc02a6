"""CACHE_URL (archive/caches.py): the shared cache in the database table or in Redis."""
import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from archive.caches import caches_from_url
from catalog.site import caching

REDIS = "redis://127.0.0.1:6379/13"


def test_without_a_cache_url_the_cache_is_the_database_table():
    for url in (None, "", "db://"):
        default = caches_from_url(url)["default"]
        assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        assert default["LOCATION"] == "arkiv_cache"


def test_a_redis_url_selects_djangos_redis_cache_with_a_key_prefix():
    default = caches_from_url(REDIS, key_prefix="site-a")["default"]
    assert default == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": "site-a",
    }


@pytest.mark.parametrize("url", ["locmem://", "memcached://127.0.0.1:11211", "127.0.0.1:6379"])
def test_a_cache_each_process_would_keep_apart_or_an_unknown_scheme_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        caches_from_url(url)


@pytest.fixture
def redis_cache(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches_from_url(REDIS, key_prefix=prefix)
    cache = caches["default"]
    yield cache
    cache.clear()  # flushes database 13 of the local Redis, which only these tests use
    caches["default"].close()


@pytest.mark.django_db
def test_the_sites_answers_are_kept_in_redis_and_read_back(redis_cache):
    computed = []

    def compute():
        computed.append(1)
        return {"count": 3, "ids": [1, 2, 3]}

    assert caching.cached(("result", "redis"), compute) == {"count": 3, "ids": [1, 2, 3]}
    assert caching.cached(("result", "redis"), compute) == {"count": 3, "ids": [1, 2, 3]}
    assert computed == [1]
    # Another process with the same CACHE_URL and prefix reads the same entry: it is in Redis.
    import redis

    client = redis.Redis.from_url(REDIS)
    assert any(key.decode().startswith(redis_cache.key_prefix) for key in client.scan_iter(count=1000))


@pytest.mark.django_db
def test_a_redis_that_does_not_answer_costs_the_cache_not_the_page(settings):
    settings.CACHES = caches_from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        assert caching.cached(("result", "down"), lambda: "computed") == "computed"
    finally:
        caches["default"].close()
