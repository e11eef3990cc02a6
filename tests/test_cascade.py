"""Deleting items: their statements' and files' receivers leave the work to the item's own
(catalog/cascade.py), and every derived table is still what a rebuild makes."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.facets import index
from catalog.facets.models import FacetEntry
from catalog.models import Authority, Item, Statement
from catalog.search.matching import search_items
from catalog.search.models import SearchEntry
from tests.factories import AuthorityFactory, DigitalFileFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db


def described(statements):
    item = ItemFactory(status=Item.PUBLISHED, rights_uri="http://creativecommons.org/publicdomain/zero/1.0/")
    subject = AuthorityFactory(kind=Authority.CONCEPT)
    StatementFactory(item=item, term="subject", value=subject.preferred_label, authority=subject)
    for n in range(statements):
        StatementFactory(item=item, term="description", value=f"Kirkenes harbour, view {n}")
    DigitalFileFactory(item=item)
    return item


def queries_to_delete(item):
    with CaptureQueriesContext(connection) as queries:
        item.delete()
    return len(queries.captured_queries)


def test_deleting_an_item_costs_the_same_queries_whatever_its_statements():
    few, many = described(2), described(40)
    assert queries_to_delete(few) == queries_to_delete(many)


def test_a_deleted_item_leaves_no_rows_behind_and_its_neighbour_keeps_its_own():
    gone, kept = described(5), described(5)
    kept_rows = sorted(FacetEntry.objects.filter(item=kept).values_list("facet", "key"))
    Item.objects.filter(pk=gone.pk).delete()  # a queryset's deletion: the admin's bulk action
    assert not FacetEntry.objects.filter(item_id=gone.pk).exists()
    assert not SearchEntry.objects.filter(item_id=gone.pk).exists()
    assert not Statement.objects.filter(item_id=gone.pk).exists()
    assert sorted(FacetEntry.objects.filter(item=kept).values_list("facet", "key")) == kept_rows
    rows = sorted(FacetEntry.objects.values_list("item_id", "facet", "key"))
    index.rebuild()
    assert sorted(FacetEntry.objects.values_list("item_id", "facet", "key")) == rows


def test_a_statement_deleted_on_its_own_still_updates_its_item():
    item = described(1)
    Statement.objects.filter(item=item, term="subject").delete()  # a queryset of statements: no item goes
    assert not FacetEntry.objects.filter(item=item, facet="subject").exists()
    assert list(search_items(Item.objects.all(), "harbour")) == [item]
    item.statements.get(term="description").delete()
    assert list(search_items(Item.objects.all(), "harbour")) == []
    assert SearchEntry.objects.filter(item_id=item.pk).exists()
