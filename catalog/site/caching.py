"""Answers that depend only on what visitors can see, kept until the catalogue changes.

Facet counts and the head of a browse result are the costly parts of a browse page, and the
same ones are asked again and again: each page of one result, the plain /items/ page, the home
page, a popular search. They are cached under what they were computed for and the catalogue
version (catalogue_state), which anything a visitor could see moves whatever the clock says; so a
cached answer is never stale, only superseded. The cache is Django's (a database table by default, see
settings.CACHES), shared by every server process.
"""
import hashlib

from django.core.cache import cache
from django.db import DatabaseError
from redis.exceptions import RedisError

from .. import sqlite
from ..facets import version

# What a cache that cannot answer raises: its table locked or gone, or Redis down (CACHE_URL).
CACHE_ERRORS = (DatabaseError, RedisError)

# An upper bound on how long an answer is reused: a change the catalogue version misses (a raw
# write that bypasses the model's signals and the bulk writers' hooks) shows after this many seconds.
CACHE_SECONDS = 600


def catalogue_state():
    """What moves whenever anything a visitor sees changes, read in one query: the catalogue
    version (catalog/facets/version.py), which every visible write bumps in its own transaction.

    It was the latest datestamp of a published item, tombstone, record and collection; but
    datestamps may lie in the future (generate_catalog makes them weeks ahead, an import or a
    clock stepped back can too), and then an edit did not move the latest one and visitors saw
    stale pages for CACHE_SECONDS.
    """
    return version.current()


def cached(parts, compute, *, state=None):
    """compute(), or what it returned for the same `parts` in the same catalogue state.

    `parts` must be a plain value whose repr() names the question completely. `state`, if
    given, is what the answer depends on instead of the whole catalogue's version (a caller
    that knows which changes can affect its answer, catalog/site/facets.py). The cache is
    only ever a shortcut: when it cannot be read or written, the answer is computed and served.
    """
    key = _key((parts, state if state is not None else catalogue_state()))
    try:
        with _without_waiting():
            answer = cache.get(key)
    except CACHE_ERRORS:
        answer = None
    if answer is None:
        answer = compute()
        try:
            with _without_waiting():
                cache.set(key, answer, CACHE_SECONDS)
        except CACHE_ERRORS:
            pass  # a later request caches it
    return answer


def recall(parts):
    """What was kept for `parts` (keep()), or None. For answers that carry what they were made
    from and are brought up to date by their reader (site/facets.py), not keyed by a state."""
    try:
        with _without_waiting():
            return cache.get(_key(parts))
    except CACHE_ERRORS:
        return None


def keep(parts, answer):
    try:
        with _without_waiting():
            cache.set(_key(parts), answer, CACHE_SECONDS)
    except CACHE_ERRORS:
        pass


def _key(parts):
    return "arkiv:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _without_waiting():
    """On SQLite, make the cache give up at once rather than wait for the write lock.

    SQLite has one write lock per database, and a CSV import holds it for as long as it runs
    (it is one transaction). Reading the cache may write too (Django deletes expired entries
    as it reads them), so without this every page that missed the cache during an import
    waited out the busy timeout, twice: 40 seconds.
    """
    return sqlite.pragma("busy_timeout", 0)
