import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Authority, Item, SearchEntry, Statement
from catalog.search import reindex_items, search_items
from catalog.search.index import MAX_FIELD_CHARACTERS
from tests.factories import AuthorityFactory, ItemFactory, VariantFactory

pytestmark = pytest.mark.django_db


def bulk_items(count, prefix="bulk"):
    """Items and statements written with bulk_create, which sends no signals."""
    return Item.objects.bulk_create(
        Item(identifier=f"{prefix}-{n}", dcmi_type="Text", status=Item.PUBLISHED) for n in range(count)
    )


def finds(query):
    return search_items(Item.objects.all(), query + " ").count()


def test_bulk_written_items_are_found_after_reindexing_them():
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Pechenga")
    VariantFactory(authority=place, label="Petsamo")
    items = bulk_items(30)
    Statement.objects.bulk_create(
        Statement(item=item, term="spatial", value="Pechenga", authority=place) for item in items
    )
    assert finds("petsamo") == 0
    assert reindex_items([item.pk for item in items]) == 30
    assert finds("petsamo") == 30


def test_reindexing_everything_indexes_every_item_once():
    ItemFactory.create_batch(3)
    bulk_items(5)
    assert reindex_items() == 8
    assert reindex_items() == 8
    assert SearchEntry.objects.count() == 8


def test_reindexing_an_item_twice_leaves_one_row():
    item = ItemFactory(title="Kirkenes")
    reindex_items([item.pk, item.pk])
    reindex_items([item.pk])
    assert SearchEntry.objects.filter(pk=item.pk).count() == 1
    assert finds("kirkenes") == 1


def test_ids_of_missing_items_are_ignored():
    assert reindex_items([987_654]) == 0
    assert not SearchEntry.objects.exists()


def test_reindexing_costs_the_same_queries_for_few_items_and_many():
    place = AuthorityFactory(kind=Authority.PLACE)
    VariantFactory(authority=place)

    def queries(items):
        Statement.objects.bulk_create(Statement(item=item, term="spatial", authority=place) for item in items)
        with CaptureQueriesContext(connection) as captured:
            reindex_items([item.pk for item in items])
        return len(captured)

    assert queries(bulk_items(3, "few")) == queries(bulk_items(300, "many"))


def test_a_very_long_full_text_is_indexed_up_to_the_limit():
    # Distinct words, so that the whole text would overflow PostgreSQL's 1 MB tsvector.
    words = [f"w{n:07d}" for n in range(2 * MAX_FIELD_CHARACTERS // 9)]
    item = ItemFactory(full_text=" ".join(words))
    assert SearchEntry.objects.filter(pk=item.pk).exists()
    assert finds(words[0]) == 1
    assert finds(words[-1]) == 0


def planner_row_estimate(table):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if "sqlite_stat1" not in connection.introspection.table_names(cursor):
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
            row = cursor.fetchone()
            return int(row[0].split()[0]) if row else None
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        estimate = cursor.fetchone()[0]
        return int(estimate) if estimate >= 0 else None


def test_a_bulk_reindex_refreshes_the_planner_statistics(monkeypatch):
    monkeypatch.setattr("catalog.search.index.STATISTICS_AFTER", 5)
    items = bulk_items(5)
    reindex_items([item.pk for item in items[:4]])
    assert planner_row_estimate("catalog_item") != 5
    reindex_items([item.pk for item in items])
    assert planner_row_estimate("catalog_item") == 5
