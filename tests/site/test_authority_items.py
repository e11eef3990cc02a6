"""The count of an authority record's page (catalog/site/authority_items.py): from the facet
bitmaps where they hold every link of the record, always what the database counts."""
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import services
from catalog.facets import bitmaps
from catalog.models import Authority, Item, Statement
from catalog.site import authority_items
from catalog.site.authority_items import count_linked

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def held_afresh():
    bitmaps.forget()
    cache.clear()
    yield
    bitmaps.forget()


def linked(authority):
    """The page's items, as catalog/site/views.py asks them of the database."""
    return Item.objects.published().filter(pk__in=Statement.objects.filter(authority=authority).values("item_id"))


def assert_every_record_counted_as_the_database_counts():
    """Every record with a statement; returns how many were counted from the bitmaps."""
    from_bitmaps = 0
    for authority in Authority.objects.filter(statements__isnull=False).distinct():
        assert count_linked(authority, linked(authority)) == linked(authority).count(), authority.slug
        from_bitmaps += authority_items._from_bitmaps(authority) is not None
    return from_bitmaps


@pytest.mark.parametrize("catalogue", ["demo", "generated"])
def test_every_record_is_counted_as_the_database_counts_it(catalogue):
    if catalogue == "demo":
        call_command("load_demo", verbosity=0, stdout=StringIO())
    else:
        call_command("generate_catalog", 300, seed=4, verbosity=0, stdout=StringIO())
        call_command("rebuild_facet_index", stdout=StringIO())  # generate_catalog writes in bulk
    assert assert_every_record_counted_as_the_database_counts() > 3


def test_a_record_also_linked_by_a_term_no_facet_holds_is_counted_by_the_database():
    call_command("load_demo", verbosity=0, stdout=StringIO())
    record = Authority.objects.filter(kind=Authority.AGENT, statements__term="creator").distinct().first()
    assert authority_items._from_bitmaps(record) is not None
    item = Item.objects.published().exclude(pk__in=linked(record).values("pk")).first()
    Statement.objects.create(item=item, term="publisher", value="", authority=record)
    assert authority_items._from_bitmaps(record) is None
    assert count_linked(record, linked(record)) == linked(record).count()


def test_publishing_withdrawing_and_unlinking_move_the_count():
    call_command("load_demo", verbosity=0, stdout=StringIO())
    record = Authority.objects.filter(kind=Authority.PLACE, statements__term="spatial").distinct().first()
    before = count_linked(record, linked(record))
    item = linked(record).first()
    services.item_withdraw(item=item)  # and the units under it leave the public catalogue too
    assert count_linked(record, linked(record)) == linked(record).count() < before
    services.item_publish(item=Item.objects.get(pk=item.pk))
    assert count_linked(record, linked(record)) == linked(record).count() == before
    Statement.objects.filter(item=item, authority=record).delete()
    assert count_linked(record, linked(record)) == linked(record).count() == before - 1


def test_the_page_of_a_record_past_the_cached_window_counts_from_the_bitmaps(client, monkeypatch):
    call_command("load_demo", verbosity=0, stdout=StringIO())
    record = max(
        Authority.objects.filter(statements__isnull=False).distinct(), key=lambda authority: linked(authority).count()
    )
    assert authority_items._from_bitmaps(record) is not None
    monkeypatch.setattr("catalog.site.results.WINDOW", 2)  # the count is asked only past the window
    bitmaps.brought_up_to_date()  # held, as a web process holds them (archive/wsgi.py)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/authorities/{record.kind}/{record.slug}/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == linked(record).count() > 2
    counted = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and '"catalog_item"' in q["sql"]]
    assert counted == []
