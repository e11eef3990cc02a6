"""The disk cache of made images: kept, found, and trimmed least recently used first."""
import os
import time

import pytest

from catalog.iiif.image import cache


@pytest.fixture(autouse=True)
def _cache_dir(settings, tmp_path):
    settings.ARKIV_IIIF_CACHE_DIR = str(tmp_path / "cache")


def test_a_kept_image_is_found_by_its_key_and_others_are_not():
    key = cache.key("file", (0, 0, 10, 10), "jpg")

    path = cache.put(key, "jpg", b"pixels")

    assert cache.get(key, "jpg") == path and path.read_bytes() == b"pixels"
    assert cache.get(cache.key("file", (0, 0, 10, 11), "jpg"), "jpg") is None
    assert cache.get(key, "png") is None


def test_past_its_limit_the_least_recently_used_images_go_first():
    keys = [cache.key(number) for number in range(10)]
    now = time.time()
    for age, key in enumerate(keys):
        path = cache.put(key, "jpg", b"x" * 1000)
        os.utime(path, (now - 1000 + age, now - 1000 + age))  # key 0 the least recently used
    cache.get(keys[0], "jpg")  # … until it is used again

    removed = cache.trim(limit=5000)

    assert removed == 6  # down to nine tenths of the limit: 4 files of 1000 bytes
    kept = [number for number, key in enumerate(keys) if cache.get(key, "jpg")]
    assert kept == [0, 7, 8, 9]


def test_under_its_limit_nothing_is_removed():
    for number in range(3):
        cache.put(cache.key(number), "png", b"x" * 100)

    assert cache.trim(limit=10_000) == 0


def test_a_cache_that_cannot_be_written_is_passed_by(settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    settings.ARKIV_IIIF_CACHE_DIR = str(blocker)

    assert cache.put(cache.key("a"), "jpg", b"pixels") is None
