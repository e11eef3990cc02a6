"""The facet index held in each process's memory: a Roaring bitmap of item ids per (facet, key),
kept true by the change log.

Counting the facets of a search that matches half a million items is a GROUP BY over their five
million index rows (seconds, at a million items). With the index in memory it is an intersection
count of the search's matches with each key's bitmap (Roaring bitmaps count an intersection
without building it), as search engines count facets over their own postings: at a million
items 4,494 values in 13 MB a process, read in about 9 s, and a search of 500,000 matches counted
in 8 ms.

The bitmaps are read once, in one statement with the change log's token (so exactly as of that
token), and then brought up to date by the items changed since: each such item leaves the
bitmaps of its keys as they were and joins those of its keys now, read in one statement with the
new token (changes.read_since). The items a large write names (changes.log_many: up to
changes.MARKED_ITEMS) leave every bitmap and join those of their keys now, so a batch edit of
10,000 items costs reading their rows, not the whole index. Past a marker that names no item,
more than changes.ITEMS entries, or a token the log no longer knows, they are read again. A web
process reads them as it starts (archive/wsgi.py), not on its first search. An index of more
than MAX_ROWS rows is not held (None): the callers then count in the database as before.
"""
import logging
import threading
import time

from django.conf import settings
from django.db import connection
from django.db.models import Sum
from pyroaring import BitMap

from . import changes
from .models import FacetCount, FacetEntry

logger = logging.getLogger(__name__)
_LOCK = threading.Lock()
_HELD = {}  # database alias -> Bitmaps


def max_rows():
    """Index rows held at most (ARKIV_FACET_BITMAP_ROWS, 50 million by default: about 120 MB)."""
    return int(getattr(settings, "ARKIV_FACET_BITMAP_ROWS", 50_000_000))


class Bitmaps:
    def __init__(self, token, bitmaps):
        self.token = token
        self.bitmaps = bitmaps  # {facet: {key: BitMap}}
        # Above every item id any bitmap holds (counts()).
        self.universe = 1 + max((bitmap.max() for values in bitmaps.values() for bitmap in values.values() if bitmap), default=-1)

    def apply(self, changed, token):
        """Bring the bitmaps to `token` by the changes read up to it ({item: (old, new)}; old
        None: the item leaves every bitmap, its old rows unknown)."""
        unknown = BitMap(item_id for item_id, (old, _) in changed.items() if old is None)
        if unknown:
            for values in self.bitmaps.values():
                for bitmap in values.values():
                    bitmap.difference_update(unknown)
        for item_id, (old, new) in changed.items():
            for facet, keys in (old or {}).items():
                for key in keys:
                    found = self.bitmaps.get(facet, {}).get(key)
                    if found is not None:
                        found.discard(item_id)
            for facet, keys in new.items():
                for key in keys:
                    self.bitmaps.setdefault(facet, {}).setdefault(key, BitMap()).add(item_id)
            if new:
                self.universe = max(self.universe, item_id + 1)
        self.token = token

    def counts(self, facets, items):
        """{facet: {key: count}} of these facets over the item ids of the bitmap `items`.

        A sparse set of items is held in arrays of ids, and counting it against each of
        thousands of small values (names, places) merges two arrays a time: 64 ms for 2,800
        names against 56,000 matches at a million items. What it leaves of the whole (its
        complement) is held in bitsets, which each value's ids are looked up in: 5 ms. So a set
        of fewer than half of the ids is counted as each value's size less what the complement
        holds of it."""
        sparse = len(items) * 2 < self.universe
        outside = items.flip(0, self.universe) if sparse else None
        found = {}
        for facet in facets:
            counted = found[facet] = {}
            for key, bitmap in self.bitmaps.get(facet, {}).items():
                count = len(bitmap) - outside.intersection_cardinality(bitmap) if sparse else items.intersection_cardinality(bitmap)
                if count:
                    counted[key] = count
        return found

    def having(self, chosen):
        """The items that have a chosen key of every facet of `chosen` ({facet: keys}); None for
        no facet (every item)."""
        result = None
        for facet, keys in chosen.items():
            values = self.bitmaps.get(facet, {})
            any_key = BitMap.union(BitMap(), *[values[key] for key in keys if key in values])
            result = any_key if result is None else result & any_key
        return result


def brought_up_to_date(*, matching=None, including=None):
    """(the process's Bitmaps brought up to the token of now, the changes.Since read with them),
    or (None, None) if the index is too large to hold. The Since is read_since()'s with these
    arguments (text markers passed over: words move no index row), read in the statement that
    brought the bitmaps to its token."""
    alias = connection.alias
    with _LOCK:
        held = _HELD.get(alias)
        for _attempt in range(3):
            if held is None:
                held = _HELD[alias] = _read()
                if held is None:
                    return None, None
            found = changes.read_since(held.token, named=True, matching=matching, including=including)
            if found.changes is None:  # a marker, too many changes, or a token the log forgot
                held = None
                continue
            held.apply(found.changes, found.token)
            return held, found
    return None, None


def _read():
    """The whole index as Bitmaps, read in one statement with its token; None if too large."""
    if (FacetCount.objects.aggregate(rows=Sum("items"))["rows"] or 0) > max_rows():
        return None
    table = connection.ops.quote_name(FacetEntry._meta.db_table)
    key = connection.ops.quote_name("key")
    bitmaps, token = {}, None
    run, ids = None, []

    def flush():
        if run is not None:
            facet, value = run
            bitmaps.setdefault(facet, {}).setdefault(value, BitMap()).update(ids)

    with connection.chunked_cursor() as cursor:
        # In (facet, key) order, so one key's ids are gathered at a time (memory); any order
        # would be counted right.
        cursor.execute(
            f"SELECT q.*, {changes.NO_TOKEN} FROM (SELECT facet, {key}, item_id FROM {table} ORDER BY facet, {key}) q "
            f"UNION ALL SELECT NULL, NULL, NULL, {changes.token_columns()}"
        )
        while True:
            rows = cursor.fetchmany(20_000)
            if not rows:
                break
            for facet, value, item_id, *rest in rows:
                if item_id is None:
                    token = tuple(rest)
                    continue
                if (facet, value) != run:
                    flush()
                    run, ids = (facet, value), []
                ids.append(item_id)
    flush()
    return Bitmaps(token, bitmaps)


def read_in_background():
    """Read the bitmaps in a thread of their own, so that a web process has them before its
    first search instead of making that visitor wait for them (about 10 s at a million items).
    A search that comes sooner waits for the same read (the lock), as it would have anyway."""
    def read():
        started = time.monotonic()
        try:
            held, _ = brought_up_to_date()
        except Exception:  # noqa: BLE001 - a database not migrated yet: the first search reads them
            logger.warning("The facet bitmaps were not read at start", exc_info=True)
        else:
            # Until then the process serves slowly (the read holds the interpreter): say when
            # it is done, for whoever watches a restart (and the benchmarks, which wait for it).
            if held is None:
                logger.info("The facet index is too large to hold (ARKIV_FACET_BITMAP_ROWS); counting in the database")
            else:
                values = sum(map(len, held.bitmaps.values()))
                logger.info("Facet bitmaps held: %d values, read in %.1f s", values, time.monotonic() - started)
        finally:
            connection.close()

    thread = threading.Thread(target=read, name="arkiv-facet-bitmaps", daemon=True)
    thread.start()
    return thread


def forget():
    """Drop what this process holds (tests that replace the database under it)."""
    with _LOCK:
        _HELD.clear()
