"""The item list at scale (catalog/admin/item_search.py): indexed search, counts that stop."""
import pytest
from django.contrib.admin import helpers
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


def test_a_page_shows_the_newest_matches_when_there_are_more_than_the_limit(staff_client, monkeypatch):
    monkeypatch.setattr(item_search, "COUNT_LIMIT", 5)
    for n in range(8):
        ItemFactory(identifier=f"whaling-{n}", title=f"Whaling station {n}")
    shown = [item.identifier for item in staff_client.get(CHANGELIST, {"q": "whaling"}).context["cl"].result_list]
    newest_first = [f"whaling-{n}" for n in range(7, -1, -1)]
    assert len(shown) >= 5 and shown == newest_first[:len(shown)]


def test_a_filtered_search_finds_older_matches_beyond_the_newest_ones(staff_client, monkeypatch):
    # The search takes only the newest matches of each part: the list's filters must narrow
    # them first, or the two old published stations would fall outside the newest five.
    monkeypatch.setattr(item_search, "COUNT_LIMIT", 5)
    for n in range(2):
        ItemFactory(identifier=f"old-{n}", title=f"Whaling station {n}", status=Item.PUBLISHED)
    for n in range(8):
        ItemFactory(identifier=f"new-{n}", title=f"Whaling station {n}")
    response = staff_client.get(CHANGELIST, {"q": "whaling", "status__exact": "published"})
    assert sorted(item.identifier for item in response.context["cl"].result_list) == ["old-0", "old-1"]
    assert response.context["cl"].result_count == 2 and not response.context["cl"].paginator.capped


def test_a_list_sorted_by_a_column_searches_every_match(staff_client, monkeypatch):
    monkeypatch.setattr(item_search, "COUNT_LIMIT", 5)
    ItemFactory(identifier="a-oldest", title="Whaling boat")
    for n in range(8):
        ItemFactory(identifier=f"z-{n}", title=f"Whaling station {n}")
    response = staff_client.get(CHANGELIST, {"q": "whaling", "o": "1"})  # by identifier
    assert response.context["cl"].result_list[0].identifier == "a-oldest"


def test_an_action_on_every_match_acts_on_more_than_the_list_shows(staff_client, monkeypatch):
    monkeypatch.setattr(item_search, "COUNT_LIMIT", 5)
    for n in range(8):
        ItemFactory(identifier=f"whaling-{n}", title=f"Whaling station {n}")
    ItemFactory(identifier="ferry", title="Ferry")
    response = staff_client.post(f"{CHANGELIST}?q=whaling", {
        "action": "export_csv", "index": "0", "select_across": "1",
        helpers.ACTION_CHECKBOX_NAME: [Item.objects.get(identifier="whaling-7").pk],
    })
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[1:]
    assert sorted(row.split(",")[0] for row in rows) == sorted(f"whaling-{n}" for n in range(8))
