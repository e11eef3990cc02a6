"""The item list at scale (catalog/admin/item_search.py): indexed search, counts that stop."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.admin import item_search
from catalog.admin.filters import DecadeFilter
from catalog.models import Item
from tests.factories import ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_item_changelist")


def listed(client, query):
    return sorted(item.identifier for item in client.get(CHANGELIST, query).context["cl"].result_list)


def test_an_identifier_is_found_whole_or_by_its_beginning_never_by_its_middle(staff_client):
    ItemFactory(identifier="kirkenes-1944-017")
    ItemFactory(identifier="kirkenes-1944-018")
    ItemFactory(identifier="vardo-1944-001")
    assert listed(staff_client, {"q": "kirkenes-1944-017"}) == ["kirkenes-1944-017"]
    assert listed(staff_client, {"q": "kirkenes-1944"}) == ["kirkenes-1944-017", "kirkenes-1944-018"]
    assert listed(staff_client, {"q": "1944-01"}) == []


def test_no_search_reads_identifiers_with_a_leading_wildcard(staff_client):
    ItemFactory(identifier="kirkenes-1944-017", title="Bridge")
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(CHANGELIST, {"q": "bridge"})
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "%bridge%" not in sql.lower() and "*bridge*" not in sql.lower()


def test_words_and_identifiers_are_found_together(staff_client):
    ItemFactory(identifier="bridge-001", title="Harbour")  # by its identifier
    ItemFactory(identifier="photo-1", title="The bridge at Jakobselv")  # by a word
    ItemFactory(identifier="other", title="Harbour view")
    assert listed(staff_client, {"q": "bridge"}) == ["bridge-001", "photo-1"]


def test_a_long_list_is_counted_up_to_the_limit_and_says_more(staff_client, monkeypatch):
    monkeypatch.setattr(item_search, "COUNT_LIMIT", 5)
    for n in range(8):
        ItemFactory(identifier=f"whaling-{n}", title=f"Whaling station {n}")
    ItemFactory(identifier="ferry", title="Ferry")

    response = staff_client.get(CHANGELIST, {"q": "whaling"})
    page = response.content.decode()
    assert response.context["cl"].result_count == 5
    assert response.context["cl"].paginator.capped
    assert "more than 5 results" in page and "more than 5 items" in page

    response = staff_client.get(CHANGELIST, {"q": "ferry"})
    assert response.context["cl"].result_count == 1 and not response.context["cl"].paginator.capped
    assert "1 result" in response.content.decode()


def test_the_list_never_counts_the_whole_catalogue(staff_client, monkeypatch):
    monkeypatch.setattr(item_search, "COUNT_LIMIT", 5)
    for n in range(8):
        ItemFactory(identifier=f"item-{n}")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(CHANGELIST)
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts
    assert response.context["cl"].paginator.capped


def test_the_decades_are_found_one_index_seek_each(staff_client):
    for value in ("1944-10-25", "1905", "1949", "0941", "1856/1870", "9995"):
        StatementFactory(item=ItemFactory(), term="created", value=value)
    ItemFactory()  # undated
    assert DecadeFilter.decades(Item.objects.all()) == [940, 1850, 1900, 1940, 9990]
    assert DecadeFilter.decades(Item.objects.none()) == []


def test_the_list_and_its_search_are_newest_first(staff_client):
    for n in range(3):
        ItemFactory(identifier=f"z-{n}", title=f"Whaling station {n}")
    ItemFactory(identifier="a-late", title="Whaling boat")
    for query in ({}, {"q": "whaling"}):
        shown = [item.identifier for item in staff_client.get(CHANGELIST, query).context["cl"].result_list]
        assert shown == ["a-late", "z-2", "z-1", "z-0"]
