"""Drafts and withdrawn items are invisible on every public URL: pages, lists, facets, counts,
search, sitemaps and downloads. One rule (Item.objects.published()) decides it; these tests
walk every public address and look for the hidden items' traces."""
from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog import services
from catalog.models import Authority, Item
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db

HIDDEN_WORD = "Bjørnevatn"


@pytest.fixture
def catalogue():
    """One published item and two hidden ones, sharing a collection, a subject and a place.

    Only the hidden ones mention HIDDEN_WORD and are linked to the `secret` record.
    """
    collection = CollectionFactory(identifier="finnmark", title="Eastern Finnmark")
    liberation = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation")
    secret = AuthorityFactory(kind=Authority.PLACE, preferred_label="Unpublished place")
    visible = ItemFactory(identifier="visible", title="Memorial in Kirkenes", status=Item.PUBLISHED)
    draft = ItemFactory(identifier="draft", title=f"Mine shafts at {HIDDEN_WORD}", dcmi_type="Sound")
    withdrawn = ItemFactory(identifier="withdrawn", title=f"Shelter at {HIDDEN_WORD}", dcmi_type="Sound")
    for item in (visible, draft, withdrawn):
        item.collections.add(collection)
        StatementFactory(item=item, term="subject", value="Liberation", authority=liberation)
    for item in (draft, withdrawn):
        StatementFactory(item=item, term="spatial", value="Somewhere", authority=secret)
        StatementFactory(item=item, term="language", value="se")
        StatementFactory(item=item, term="created", value="1962")
    services.item_publish(item=withdrawn)
    services.item_withdraw(item=withdrawn)
    return {"collection": collection, "liberation": liberation, "secret": secret, "hidden": (draft, withdrawn)}


def body(client, url, status=HTTPStatus.OK):
    response = client.get(url)
    assert response.status_code == status, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def assert_no_trace(text, hidden):
    # The titles, not the bare word: a search for the word rightly shows it back in its box.
    assert "Mine shafts at" not in text and "Shelter at" not in text
    for item in hidden:
        assert f"/items/{item.identifier}/" not in text
        assert f"\n{item.identifier}," not in text  # a CSV row


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
@pytest.mark.parametrize("route", ["catalog:item", "catalog:item-jsonld", "catalog:item-ris", "catalog:item-bibtex"])
def test_hidden_items_and_their_downloads_are_not_found(client, catalogue, status, route):
    body(client, reverse(route, kwargs={"identifier": status}), HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize("route", ["catalog:item-jsonld", "catalog:item-ris", "catalog:item-bibtex"])
def test_downloads_stay_hidden_from_staff_too(admin_client, catalogue, route):
    body(admin_client, reverse(route, kwargs={"identifier": "draft"}), HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize("url", [
    "/",
    "/items/",
    f"/items/?q={HIDDEN_WORD}",
    "/items/?type=Sound",
    "/items/?language=se&decade=1960",
    "/items/?sort=recent",
    "/items/export.csv",
    f"/items/export.csv?q={HIDDEN_WORD}",
    "/collections/",
    "/collections/finnmark/",
    "/sitemap.xml",
    "/sitemap-items.xml",
    "/sitemap-authorities.xml",
])
def test_lists_show_no_trace_of_hidden_items(client, catalogue, url):
    text = body(client, url)
    assert_no_trace(text, catalogue["hidden"])
    assert "Unpublished place" not in text
    assert 'facet__label">Sound<' not in text  # the hidden items' type is not even a facet value


@pytest.mark.parametrize("url", ["/", "/items/", "/collections/", "/collections/finnmark/"])
def test_counts_count_published_items_only(client, catalogue, url):
    text = body(client, url)
    assert "3 items" not in text and "2 items" not in text
    assert "1 item" in text


def test_facets_count_published_items_only(client, catalogue):
    text = body(client, "/items/")
    assert "Liberation" in text
    for facet in ("facet-place", "facet-language", "facet-decade"):
        assert f'id="{facet}"' not in text  # only hidden items had values there


def test_search_finds_hidden_items_for_nobody(client, admin_client, catalogue):
    for visitor in (client, admin_client):
        assert "No items match" in body(visitor, f"/items/?q={HIDDEN_WORD}")


def test_a_record_only_hidden_items_name_is_not_public(client, admin_client, catalogue):
    url = catalogue["secret"].get_absolute_url()
    body(client, url, HTTPStatus.NOT_FOUND)
    assert "Unpublished place" in body(admin_client, url)  # staff preview it
    shared = body(client, catalogue["liberation"].get_absolute_url())
    assert "1 item" in shared
    assert_no_trace(shared, catalogue["hidden"])


def test_staff_preview_hidden_items_but_lists_stay_public(admin_client, catalogue):
    for item in catalogue["hidden"]:
        assert "Preview: this item is" in body(admin_client, item.get_absolute_url())
    assert_no_trace(body(admin_client, "/items/"), catalogue["hidden"])
    assert_no_trace(body(admin_client, "/collections/finnmark/"), catalogue["hidden"])
