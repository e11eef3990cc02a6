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
"""
from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..lookups import StartsWithExactly
from ..models import Item
from ..search import search_items

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


def search_q(term):
    """The items an archivist's search term finds, as a condition every part of which an index
    answers: full-text words, an identifier's beginning, a reference code's beginning."""
    # A reference code, with or without the country and repository codes, as a prefix: the
    # unique index on reference reads it (catalog/lookups.py).
    prefix = f"{settings.ARKIV_COUNTRY_CODE} {settings.ARKIV_REPOSITORY_CODE} "
    reference = term[len(prefix):].strip() if term.startswith(prefix) else term
    return (
        Q(pk__in=search_items(Item.objects.all(), term).values("pk"))
        | Q(StartsWithExactly(F("identifier"), term))
        | Q(StartsWithExactly(F("reference"), reference))
    )


class ItemSearchMixin:
    """The item changelist's search and paginator (see the module's docstring)."""

    search_fields = ["identifier"]  # shows the search box; get_search_results() does the searching
    search_help_text = _(
        "Finds an identifier or its beginning, the beginning of a reference code (“KF/A” finds "
        "the series and everything in it), and words of any statement, of the full text, and of "
        "linked authority records' labels and variant spellings."
    )
    show_full_result_count = False
    paginator = CappedPaginator

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(search_q(term)), False
