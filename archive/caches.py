"""CACHE_URL -> CACHES: where the shared cache of every server process lives.

The cache holds answers that depend only on what visitors can see (facet counts, result heads:
catalog/site/caching.py), keyed by the state of the catalogue, so any process may serve what
another one computed. It must therefore be one cache for every process of a site:

    (unset) or db://          a table of the catalogue's own database (the default: nothing
                              more to run; every process that shares the database shares it)
    redis://host:6379/0       Redis, through Django's own RedisCache (PyPI `redis`): for several
    rediss://…  unix://…      web servers, so cache reads and writes leave PostgreSQL alone

A per-process cache (locmem) is refused: each worker would count the same facets again, and a
worker could not see that another had superseded an answer.
"""
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "arkiv_cache",
    # An entry is a few kilobytes (a page's facet counts, 500 ids of a result); Django's
    # default of 300 would keep a few dozen searches and cull the popular ones with the rest.
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}

REDIS_SCHEMES = ("redis", "rediss", "unix")


def caches_from_url(url, *, key_prefix="arkiv"):
    """The CACHES setting for CACHE_URL `url` (empty: the database table)."""
    url = (url or "").strip()
    scheme = urlsplit(url).scheme if url else "db"
    if scheme == "db":
        return {"default": dict(DATABASE_CACHE)}
    if scheme in REDIS_SCHEMES:
        # KEY_PREFIX keeps two sites on one Redis server (or a staging copy) apart; evicting old
        # entries is Redis's job (maxmemory-policy allkeys-lru, README: Deployment).
        return {"default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
        }}
    raise ImproperlyConfigured(
        f"CACHE_URL {url!r}: give redis://host:port/db (or rediss://, unix://) for Redis, "
        "or leave it unset (or db://) for the database's cache table."
    )
