"""A browse result as Django's Paginator reads it: counted and ordered once per catalogue state.

Counting and ordering the matches is what makes a broad search slow: a word in half of a
catalogue of a million items has 500,000 matches, every one of which must be ranked to find
the best twenty. People page through a result and ask the same searches again, so the number
of matches and the ids of the first WINDOW of them are cached under the filters, the search,
the sort and the state of the catalogue (caching.py), as Solr's query result cache keeps a
window of document ids. A page inside the window is then fetched by id; a page past it is asked
of the database as any queryset would be.
"""
from functools import cached_property

from .caching import cached

WINDOW = 500
"""Ids of a result kept in the cache: 25 pages of 20, about 4 KB."""


class CachedResult:
    """The items of `queryset` (ordered) in pages; `key` names the result completely.

    `fetch` is a queryset of the same items (or more) that reads a page of them by id cheaply
    and with everything a page shows prefetched; its order is ignored. `ids(start, stop)`, if
    given, reads the ids of a slice in order instead of the queryset's own ORDER BY: a search's
    best matches, ranked without scoring every match (search/topk.py).
    """

    def __init__(self, queryset, *, key, fetch, ids=None, state=None, count=None):
        self.queryset = queryset
        self.key = key
        self.fetch = fetch
        # What the result depends on (caching.cached's `state`), and a cheap way to count it
        # (catalog/site/facets.py: from the kept counts), where the caller knows them.
        self.state, self.count_of = state, count or queryset.count
        self.ids = ids or (lambda start, stop: list(queryset.values_list("pk", flat=True)[start:stop]))

    @cached_property
    def _head(self):
        def compute():
            ids = self.ids(0, WINDOW)
            # A result that fits in the window is counted from it, saving the count query.
            count = len(ids) if len(ids) < WINDOW else self.count_of()
            return {"count": count, "ids": ids}

        if hasattr(self.state, "cached"):  # it knows itself when the answer is out of date (site/facets.py)
            return self.state.cached(("result", self.key), compute)
        return cached(("result", self.key), compute, state=self.state)

    def count(self):
        return self._head["count"]

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("A result is read a page (a slice) at a time.")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        if stop <= WINDOW:
            ids = self._head["ids"][start:stop]
        else:
            ids = self.ids(start, stop)
        found = self.fetch.in_bulk(ids)
        # An id the fetch no longer finds (unpublished since) is left out, never shown.
        return [found[pk] for pk in ids if pk in found]
