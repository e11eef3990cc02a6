"""Stored headers (catalog/oai/cache/headers.py): a list serves an item's stored header only
while it is the header the item has now.

As in test_fragments.py, each test marks the stored headers (a comment a fresh header never
holds) and then changes the catalogue: every header listed after a change must be unmarked where
the change reaches it, and the whole list equal to the list written with the store emptied."""
import pytest
from lxml import etree

from catalog.models import Item
from catalog.oai.cache.headers import HEADER
from catalog.oai.cache.models import Fragment
from tests.factories import CollectionFactory, ItemFactory
from tests.oai.support import oai_id, request, xpath

pytestmark = pytest.mark.django_db

MARK = b"<!--stored-->"


@pytest.fixture
def catalogue(settings):
    settings.ARKIV_OAI_PAGE_SIZE = 100
    fonds = ItemFactory(identifier="fonds", status=Item.PUBLISHED, dcmi_type="Collection")
    series = ItemFactory(identifier="series", status=Item.PUBLISHED, parent=fonds)
    note = ItemFactory(identifier="note", status=Item.PUBLISHED, parent=series, dcmi_type="Text")
    lone = ItemFactory(identifier="lone", status=Item.PUBLISHED, dcmi_type="StillImage")
    photos = CollectionFactory(identifier="kirkenes")
    photos.items.add(lone)
    return {name: Item.objects.get(pk=item.pk) for name, item in
            {"fonds": fonds, "series": series, "note": note, "lone": lone}.items()} | {"photos": photos}


def listed(client):
    """The ListIdentifiers response from its first header on, and {identifier: setSpecs}."""
    response = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    sets = {
        header.findtext("{*}identifier"): xpath(header, "oai:setSpec/text()")
        for header in xpath(root, "//oai:header")
    }
    return response.content.split(b"<ListIdentifiers>")[1], sets


def mark_stored():
    for fragment in Fragment.objects.filter(prefix=HEADER):
        fragment.xml = bytes(fragment.xml).replace(b"<header>", b"<header>" + MARK, 1)
        fragment.save()


def assert_listed_fresh(client, *changed):
    """The headers of `changed` are written anew; the list equals one written from nothing."""
    served, sets = listed(client)
    for identifier in changed:
        header = served.split(f"<identifier>{oai_id(identifier)}</identifier>".encode())[0].rsplit(b"<header", 1)[1]
        assert MARK not in header, identifier
    Fragment.objects.filter(prefix=HEADER).delete()
    fresh, fresh_sets = listed(client)
    assert served.replace(MARK, b"") == fresh
    return fresh_sets


def test_a_list_stores_the_headers_it_writes_and_serves_them_while_nothing_changes(client, catalogue):
    written, sets = listed(client)
    assert Fragment.objects.filter(prefix=HEADER).count() == 4
    assert sets[oai_id("note")] == ["fonds:fonds", "type:Text"]
    assert sets[oai_id("lone")] == ["kirkenes", "type:StillImage"]
    mark_stored()
    served, _sets = listed(client)
    assert served.count(MARK) == 4  # what was stored, not written again
    assert served.replace(MARK, b"") == written
    etree.fromstring(b"<ListIdentifiers>" + served.split(b"</ListIdentifiers>")[0] + b"</ListIdentifiers>")


def test_list_records_and_list_identifiers_share_the_stored_headers(client, catalogue):
    listed(client)
    mark_stored()
    records = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content
    assert records.count(MARK) == 4


def joined_a_collection(catalogue):
    catalogue["photos"].items.add(catalogue["note"])
    return ["note"]


def left_a_collection(catalogue):
    catalogue["photos"].items.remove(catalogue["lone"])
    return ["lone"]


def collection_renamed(catalogue):
    catalogue["photos"].identifier = "kirkenes-1944"
    catalogue["photos"].save()
    return ["lone"]


def collection_moved_under_another(catalogue):
    catalogue["photos"].parent = CollectionFactory(identifier="finnmark")
    catalogue["photos"].save()
    return ["lone"]


def collection_deleted(catalogue):
    catalogue["photos"].delete()
    return ["lone"]


def new_type(catalogue):
    catalogue["note"].dcmi_type = "StillImage"
    catalogue["note"].save()
    return ["note"]


def first_unit_under_a_lone_top(catalogue):
    ItemFactory(identifier="letter", status=Item.PUBLISHED, parent=catalogue["lone"])
    return ["lone", "letter"]


def last_unit_leaves_its_top(catalogue):
    catalogue["series"].parent = None
    catalogue["series"].save()
    return ["fonds", "series", "note"]


def top_renamed(catalogue):
    catalogue["fonds"].identifier = "fonds-1945"
    catalogue["fonds"].save()
    return ["fonds-1945", "series", "note"]


def moved_to_another_fonds(catalogue):
    other = ItemFactory(identifier="other", status=Item.PUBLISHED)
    ItemFactory(identifier="other-series", status=Item.PUBLISHED, parent=other)
    catalogue["note"].parent = other
    catalogue["note"].save()
    return ["note"]


CHANGES = [
    joined_a_collection, left_a_collection, collection_renamed, collection_moved_under_another, collection_deleted,
    new_type, first_unit_under_a_lone_top, last_unit_leaves_its_top, top_renamed, moved_to_another_fonds,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_after_a_change_the_listed_headers_equal_fresh_ones(client, catalogue, change):
    listed(client)
    mark_stored()
    changed = change(catalogue)
    assert_listed_fresh(client, *changed)


def test_a_deleted_collection_leaves_its_items_headers_with_a_new_datestamp(client, catalogue):
    before = catalogue["lone"].modified
    sets = assert_listed_fresh(client)
    assert "kirkenes" in sets[oai_id("lone")]
    collection_deleted(catalogue)
    sets = assert_listed_fresh(client, "lone")
    assert sets[oai_id("lone")] == ["type:StillImage"]
    # Harvesters asking for what changed since must see it.
    assert Item.objects.get(pk=catalogue["lone"].pk).modified > before


def test_headers_written_for_another_repository_identifier_are_not_served(client, catalogue, settings):
    listed(client)
    mark_stored()
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.net"
    served, sets = listed(client)
    assert MARK not in served
    assert set(sets) == {oai_id(name, "arkiv.example.net") for name in ("fonds", "series", "note", "lone")}
