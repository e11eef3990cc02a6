"""The best matches of a search, found without scoring every match: top-k for "best match".

A word in half of a catalogue of a million items has 500,000 matches. Ordering the queryset
by search_rank (matching.py) scores every one of them (bm25() on SQLite, ts_rank() on
PostgreSQL, which reads each match's whole tsvector) and sorts them all, to show twenty:
1 s on SQLite and 5 s on PostgreSQL at a million items. Here ranking is done in two phases:

1. Candidates: the first CANDIDATES matches that pass the page's filters, in catalogue order
   (item id), read from the full-text index and the item table's primary key without scoring
   (`LIMIT` stops the scan as soon as enough are found); or, where the caller already holds
   every match that passes (the site has them for a new search's counts: site/searched.py),
   the first of those, so that the index is not read twice.
2. Ranking: only the candidates are scored, with exactly the function search_rank uses (the
   same bm25 weights, the same ts_rank), and ordered as the browse orders a search:
   best score first, then sort title, then id.

What is traded, and what is not:
- The count stays exact: it is the count of the filtered queryset, as before.
- A result of at most CANDIDATES items is ranked exactly: candidates are then every match,
  and the order is the one ORDER BY search_rank, sort_title, pk gives (tests/search/test_topk.py
  compares them).
- A broader result ranks exactly only its first CANDIDATES matches in catalogue order: the
  first page shows the best of those, and a better match catalogued later is not ranked. The
  ranked candidates are followed by the rest of the matches in catalogue order, so every match
  is still on some page, exactly once, and the pages of one result are stable.
  A search of several words, or one narrowed by a facet, is usually inside the bound; a single
  common word ("1944", "archive") is where the trade is made, and where any first page of
  hundreds of thousands of near-equal scores says little anyway.

SQLite detail: bm25() is only cheap inside an FTS5 scan, and asking FTS5 for one rowid at a time
re-reads the word's whole doclist (2,000 lookups took 2.3 s at 100,000 items). So the candidates'
scores are read in one scan bounded by their id range (`rowid BETWEEN first AND last`), which
FTS5 seeks to; matches in the range that are not candidates (drafts, filtered out) are scored
and dropped. bm25's statistics (document count, matches per phrase) are of the whole table,
whatever the range, so a candidate's score equals its score in a full scan.
"""
import itertools
import json

from django.conf import settings
from django.db import connections
from django.db.models.expressions import RawSQL

from . import vocabulary
from .matching import BM25_WEIGHTS, search_items
from .query import parse, to_tsquery


def candidates_limit():
    """How many matches are scored at most (ARKIV_SEARCH_CANDIDATES, 2000 by default)."""
    return max(1, int(getattr(settings, "ARKIV_SEARCH_CANDIDATES", 2000)))


class Ranking:
    """The items of `queryset` that match `query`, in best-match order, read a slice of ids at a
    time: ranking(start, stop) -> [item id, ...]. `queryset` is not yet searched (the page's
    filters and visibility only): the candidates are read from the full-text index first.

    Only the candidates are scored (see the module's docstring); ids past them come in
    catalogue order after them.
    """

    def __init__(self, queryset, query, matches=None):
        self.filtered = queryset.order_by()
        # A function giving every id of the result (an ascending iterable) where the caller
        # holds them (the site's kept search counts), else None: the candidates are then its
        # first ids instead of a second read of the search index.
        self.matches = matches
        self.matching = search_items(self.filtered, query).order_by()
        self.query = query
        self._ranked = None
        self._last = None  # the last candidate's id: the matches after it are not ranked
        self._exhausted = False  # every match is a candidate: nothing follows the ranked ones

    def __call__(self, start, stop):
        ranked = self.ranked()
        ids = ranked[start:stop]
        if stop <= len(ranked) or self._exhausted:
            return ids
        # The matches after the candidates, in catalogue order (candidates are the first ones).
        rest = self.matching.filter(pk__gt=self._last) if ranked else self.matching
        skip = max(0, start - len(ranked))
        ids += list(rest.order_by("pk").values_list("pk", flat=True)[skip:stop - len(ranked)])
        return ids

    def ranked(self):
        """The candidates' ids, best first."""
        if self._ranked is None:
            limit = candidates_limit()
            known = self.matches() if self.matches else None
            if known is None:
                candidates = first_matches(self.filtered, self.matching, self.query, limit)
            else:
                candidates = list(itertools.islice(known, limit))
            self._exhausted = len(candidates) < limit
            self._last = candidates[-1] if candidates else None
            self._ranked = rank(candidates, self.query, using=self.filtered.db)
        return self._ranked


JSON_IDS = "SELECT value FROM json_each(%s)"
"""SQLite: the ids of a JSON array (one parameter), as a subquery."""

STREAM_ROWIDS = 200_000
"""SQLite: matches read in index order, at most, while looking for the candidates (below)."""

MAX_BLOCK = 16_000
"""SQLite: matches read per round; their ids are the parameters of one query (SQLite takes 32,766)."""


def first_matches(filtered, matching, query, limit):
    """The ids of the first `limit` items of `matching` (`filtered` narrowed by search_items to
    `query`) in id order.

    On SQLite, `id IN (SELECT rowid … MATCH …)` builds the whole list of matches before the
    first item is read (300 ms for 450,000 matches at a million items). FTS5 yields its matches
    in rowid order, so they are read from it a block at a time instead, and each block filtered
    by `filtered` (visibility, the page's filters) through the primary key, until `limit` pass;
    blocks double, so a filter that lets few through costs few rounds. Past STREAM_ROWIDS
    matches read, `matching` is asked as it is (its cost is then the filter's).
    """
    if connections[matching.db].vendor != "sqlite":
        return list(matching.order_by("pk").values_list("pk", flat=True)[:limit])
    parsed = parse(query or "")
    if not parsed:
        return []
    (expression, expression_params), found, last, block, read = vocabulary.match(parsed), [], 0, limit * 2, 0
    connection = connections[matching.db]
    while read < STREAM_ROWIDS:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM catalog_search WHERE catalog_search MATCH {expression} AND rowid > %s "
                "ORDER BY rowid LIMIT %s",
                [*expression_params, last, block],
            )
            rowids = [row[0] for row in cursor.fetchall()]
        if not rowids:
            return found
        read += len(rowids)
        last = rowids[-1]
        # The block's ids as one JSON parameter: as 4,000 parameters the ORM spent more
        # preparing them (5 ms) than the database spent looking them up.
        passing = filtered.filter(pk__in=RawSQL(JSON_IDS, [json.dumps(rowids)])).order_by("pk").values_list("pk", flat=True)
        found.extend(passing[:limit - len(found)])
        if len(found) >= limit or len(rowids) < block:
            return found
        block = min(block * 2, MAX_BLOCK)
    return found + list(
        matching.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:limit - len(found)]
    )


def rank(item_ids, query, *, using="default"):
    """`item_ids` (ascending, all matching `query`) ordered by score, sort title and id, as the
    browse's best-match order would place them; ties between titles are broken by the
    database's collation, as ORDER BY would break them."""
    if not item_ids:
        return []
    parsed = parse(query or "")
    if not parsed:
        return []
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The same expression as SearchRank(vector, SearchQuery(..., config="simple", search_type="raw")).
            cursor.execute(
                "SELECT s.rowid FROM catalog_search s JOIN catalog_item i ON i.id = s.rowid "
                "WHERE s.rowid = ANY(%s) "
                "ORDER BY ts_rank(s.vector, to_tsquery('simple'::regconfig, %s)) DESC, i.sort_title, i.id",
                [list(item_ids), to_tsquery(parsed)],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: bm25() in a scan of the candidates' id range alone (joined to anything, the
        # planner may run the MATCH once per row), then the titles' order in a second query.
        weights = ", ".join(map(str, BM25_WEIGHTS))
        expression, expression_params = vocabulary.match(parsed)
        cursor.execute(
            f"SELECT rowid, -bm25(catalog_search, {weights}) FROM catalog_search "
            f"WHERE catalog_search MATCH {expression} AND rowid BETWEEN %s AND %s",
            [*expression_params, item_ids[0], item_ids[-1]],
        )
        scores = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT id FROM catalog_item WHERE id IN ({JSON_IDS}) ORDER BY sort_title, id", [json.dumps(list(item_ids))],
        )
        place = {row[0]: position for position, row in enumerate(cursor.fetchall())}
    return sorted(item_ids, key=lambda pk: (-scores.get(pk, 0.0), place.get(pk, 0)))
