from datetime import date, datetime, timezone

import pytest

from catalog import bulk
from catalog.models import Item, Statement
from tests.factories import AuthorityFactory, ItemFactory

pytestmark = pytest.mark.django_db

COLUMNS = ("item_id", "term", "value", "lang", "authority_id", "position")


def test_insert_rows_writes_every_row_in_order_across_statements(monkeypatch):
    # 7 rows: three statements, the last one short
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 3)
    monkeypatch.setattr(bulk, "ROWS_PER_ARRAY", 3)
    item, record = ItemFactory(), AuthorityFactory()
    rows = [(item.pk, "subject", f"Value {n}", "en" if n % 2 else "", record.pk if n == 4 else None, n) for n in range(7)]

    bulk.insert_rows(Statement, COLUMNS, rows)

    stored = Statement.objects.filter(item=item, term="subject").order_by("pk").values_list(*COLUMNS)
    assert list(stored) == rows


def test_insert_rows_keeps_any_text_exactly_and_columns_of_nothing_but_nulls():
    item = ItemFactory()
    texts = ["", " ", "comma, and \"quotes\"", "{braces}", "back\\slash \\", "NULL", "'apostrophe'", "Бjørn ½ 中文", "line\nbreak"]
    rows = [(item.pk, "subject", text, "", None, n) for n, text in enumerate(texts)]

    bulk.insert_rows(Statement, COLUMNS, rows)

    stored = Statement.objects.filter(item=item, term="subject").order_by("pk").values_list(*COLUMNS)
    assert list(stored) == rows


def test_insert_rows_converts_dates_and_times_as_the_orm_would():
    when = datetime(1945, 9, 25, 12, 30, tzinfo=timezone.utc)
    columns = ("identifier", "dcmi_type", "status", "full_text", "created", "modified", "ever_published",
               "sort_title", "date_text", "date_earliest", "date_latest", "date_unparsed")
    bulk.insert_rows(Item, columns, [
        ("kir-001", "Text", Item.PUBLISHED, "", when, when, True, "", "1944/1945", date(1944, 10, 25), date(1945, 9, 25), False),
        ("kir-002", "StillImage", Item.DRAFT, "", when, when, False, "", "undated", None, None, True),
    ])

    first, second = Item.objects.order_by("identifier")
    assert (first.created, first.modified, first.ever_published) == (when, when, True)
    assert (first.date_earliest, first.date_latest, first.date_unparsed) == (date(1944, 10, 25), date(1945, 9, 25), False)
    assert (second.date_earliest, second.date_unparsed, second.status) == (None, True, Item.DRAFT)
    assert Item.objects.filter(created=when, date_earliest__year=1944).get() == first


def test_insert_rows_of_nothing_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        bulk.insert_rows(Statement, COLUMNS, [])


def test_update_rows_sets_the_columns_of_exactly_the_rows_named(monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_ARRAY", 3)
    item, record = ItemFactory(), AuthorityFactory()
    bulk.insert_rows(Statement, COLUMNS, [(item.pk, "subject", f"Value {n}", "", None, n) for n in range(8)])
    statements = list(Statement.objects.filter(item=item, term="subject").order_by("position"))
    texts = ["", "comma, and \"quotes\"", "{braces}", "back\\slash \\", "NULL", "Бjørn ½ 中文", "line\nbreak"]
    changed = [(s.pk, texts[n], record.pk if n % 2 else None) for n, s in enumerate(statements[:7])]

    bulk.update_rows(Statement, ("value", "authority_id"), changed)

    stored = Statement.objects.filter(item=item, term="subject").order_by("position").values_list("pk", "value", "authority_id")
    assert list(stored) == [*changed, (statements[7].pk, "Value 7", None)]


def test_update_rows_converts_dates_and_times_as_the_orm_would():
    first, second = ItemFactory(identifier="kir-001"), ItemFactory(identifier="kir-002")
    when = datetime(1945, 9, 25, 12, 30, tzinfo=timezone.utc)
    columns = ("modified", "date_earliest", "date_latest", "date_unparsed", "sort_title")

    bulk.update_rows(Item, columns, [
        (first.pk, when, date(1944, 10, 25), date(1945, 9, 25), False, "Bridge"),
        (second.pk, when, None, None, True, ""),
    ])

    assert Item.objects.filter(pk=first.pk).values_list(*columns).get() == (when, date(1944, 10, 25), date(1945, 9, 25), False, "Bridge")
    assert Item.objects.filter(pk=second.pk).values_list(*columns).get() == (when, None, None, True, "")


def test_update_rows_of_nothing_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        bulk.update_rows(Statement, ("value",), [])
