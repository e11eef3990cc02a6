"""The item list's search and counts at a million items: indexes only, and counts that stop.

Django's changelist costs grow with the catalogue where an archivist does not look:
- its search is `identifier LIKE '%…%'`, which reads every item (1.5 s at 1M);
- its paginator counts the whole result (COUNT(*) over 480,000 matches of a common word:
  0.5 s at 1M on SQLite, more on PostgreSQL), and beside it the whole table once more for
  "(N total)".

Here the search reads three indexes: the full-text index (words of any statement, the full text,
linked records' labels and variants), the identifier's unique index (an identifier or its
beginning, letter case included) and the reference code's (its beginning, with or without the
country and repository codes). The paginator counts at most COUNT_LIMIT matches: past that the
list says "more than 10,000" and pages through the first COUNT_LIMIT; an archivist narrows a
list that long with a filter or another word rather than paging to its end. The total of the
unfiltered list is not shown (show_full_result_count = False: Django then offers "Show all").

A page of the list in its own order (newest first) needs only the newest matches: the full-text
part of the search then takes at most COUNT_LIMIT + 1 of them, newest first, which is all the pages and
the capped count can show (the prefixes of identifiers and reference codes are read whole: they
find few items as a rule). A common word matches half a catalogue of a million, and gathering
every match (PostgreSQL read each one's tsvector, 4 s; SQLite built a set of 480,000 ids,
0.7 s) to show fifty was the search's whole cost; walking newest first stops after a page, and
a rare word is still found through the index. The list's filters are applied inside each part,
so a filtered search stays exact. Sorted by a column, and for an action on every match (a POST:
“select all” then publish, export or batch edit), the search gathers every match as before.

The list is in catalogue order, newest first (`-pk`), unless the archivist sorts by a column:
the table's own order, which every database walks backwards and stops after a page, whatever
the filters and search. Sorted by identifier, a filtered list of a million items made SQLite
sort every matching row (0.5 s for 40,000 at 100,000 items) to show fifty.
"""
from functools import cached_property

from django.conf import settings
from django.contrib.admin.views.main import ORDER_VAR
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from ..lookups import StartsWithExactly
from ..models import Item
from ..search import search_items
from ..search.matching import matching_rowids
from ..search.query import parse

COUNT_LIMIT = 10_000
"""Rows the item list counts at most (200 pages of 50)."""


class CappedPaginator(Paginator):
    """A Paginator that counts at most COUNT_LIMIT rows; `capped` says whether there are more."""

    capped = False

    @cached_property
    def count(self):
        # COUNT(*) over a subquery with LIMIT: the database stops after COUNT_LIMIT + 1 rows.
        found = self.object_list.order_by()[:COUNT_LIMIT + 1].count()
        self.capped = found > COUNT_LIMIT
        return min(found, COUNT_LIMIT)


def search_q(term, queryset=None, newest=None):
    """The items an archivist's search term finds, as one `pk IN (… UNION ALL …)` whose every
    part an index answers: full-text words, an identifier's beginning, a reference code's
    beginning. One list rather than three ORed conditions: the database builds it once and walks
    the page's order through it, where an OR made SQLite gather and sort every match (0.6 s).

    With `newest`, the full-text part is the newest `newest` matches among `queryset` (the list
    with its filters), newest first: enough for a list in that order that shows no more than
    `newest`. The prefix parts are few matches as a rule, read whole from their indexes."""
    # A reference code, with or without the country and repository codes, as a prefix: the
    # unique index on reference reads it (catalog/lookups.py).
    prefix = f"{settings.ARKIV_COUNTRY_CODE} {settings.ARKIV_REPOSITORY_CODE} "
    reference = term[len(prefix):].strip() if term.startswith(prefix) else term
    # The prefixes are read from their indexes whole: limited and newest first, PostgreSQL
    # walked the whole table backwards for a prefix no identifier has (1.9 s at 1M).
    parts = [
        _sql(Item.objects.filter(StartsWithExactly(F("identifier"), term))),
        _sql(Item.objects.filter(StartsWithExactly(F("reference"), reference))),
    ]
    among = Item.objects.all() if newest is None else queryset
    parsed = parse(term)
    if parsed and connection.vendor == "sqlite":
        if newest is not None and not queryset.query.has_filters():
            # FTS5 gives its rowids in order, newest first, and stops at the LIMIT.
            rowids, params = matching_rowids(parsed)
            parts.insert(0, (f"{rowids} ORDER BY rowid DESC LIMIT %s", (*params, newest)))
        else:
            parts.insert(0, among.filter(pk__in=RawSQL(*matching_rowids(parsed))))
    elif parsed:
        parts.insert(0, search_items(among, term))
    if parsed and not isinstance(parts[0], tuple):
        parts[0] = _sql(parts[0], newest)
    if parsed and newest is not None:
        # A part with its own ORDER BY and LIMIT is a subquery of the UNION ALL: SQLite allows
        # neither on a member of a compound SELECT.
        parts[0] = (f"SELECT * FROM ({parts[0][0]}) AS words", parts[0][1])
    sql = " UNION ALL ".join(part for part, _ in parts)
    return Q(pk__in=RawSQL(sql, [param for _, params in parts for param in params]))


def _sql(queryset, newest=None):
    if newest is None:
        return queryset.order_by().values("pk").query.sql_with_params()
    return queryset.order_by("-pk").values("pk")[:newest].query.sql_with_params()


class ItemSearchMixin:
    """The item changelist's search and paginator (see the module's docstring)."""

    search_fields = ["identifier"]  # shows the search box; get_search_results() does the searching
    search_help_text = _(
        "Finds an identifier or its beginning, the beginning of a reference code (“KF/A” finds "
        "the series and everything in it), and words of any statement, of the full text, and of "
        "linked authority records' labels and variant spellings."
    )
    show_full_result_count = False
    ordering = ["-pk"]
    paginator = CappedPaginator

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        # A page in the list's own order (the list, its popups, the item autocomplete) needs
        # only the newest matches; an action on all of them (a POST) and a sorted list need all.
        paged = request.method == "GET" and ORDER_VAR not in request.GET
        newest = COUNT_LIMIT + 1 if paged else None
        return queryset.filter(search_q(term, queryset, newest)), False
