"""IIIF Collections of thematic collections and of units: what they list, and how a large one is
split into Collections of pages so that no document grows with the catalogue."""
from http import HTTPStatus

import pytest

from catalog.models import Collection, DigitalFile, Item
from tests.factories import ItemFactory
from tests.iiif.presentation.conftest import BASE, photograph
from tests.iiif.presentation.validation import assert_valid

pytestmark = pytest.mark.django_db


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK, path
    document = response.json()
    assert_valid(document)
    return document


def ids(document):
    return [entry["id"].removeprefix(BASE) for entry in document["items"]]


def test_a_thematic_collection_lists_its_subcollections_then_its_public_items_with_images(client):
    photos = Collection.objects.create(identifier="photos", title="Photographs", description="Pictures.")
    Collection.objects.create(identifier="portraits", title="Portraits", parent=photos)
    shown = photograph("shown")
    draft = photograph("draft", status=Item.DRAFT)
    text = ItemFactory(identifier="text", status=Item.PUBLISHED, dcmi_type="Text")
    for item in (shown, draft, text):
        item.collections.add(photos)

    document = fetch(client, "/iiif/3/collection/photos")

    assert document["label"] == {"none": ["Photographs"]}
    assert document["summary"] == {"none": ["Pictures."]}
    assert document["homepage"][0]["id"] == f"{BASE}collections/photos/"
    assert ids(document) == ["iiif/3/collection/portraits", "iiif/3/manifest/shown"]
    assert [entry["type"] for entry in document["items"]] == ["Collection", "Manifest"]
    child = fetch(client, "/iiif/3/collection/portraits")
    assert child["partOf"][0]["id"] == f"{BASE}iiif/3/collection/photos"


def test_a_unit_lists_its_public_children_as_collections_and_manifests(client):
    fonds = ItemFactory(identifier="fonds", status=Item.PUBLISHED)
    series = ItemFactory(identifier="series", status=Item.PUBLISHED, parent=fonds, position=1)
    photograph("in-series", parent=series)
    photograph("loose", parent=fonds, position=2)
    ItemFactory(identifier="no-image", status=Item.PUBLISHED, parent=fonds, position=3)
    photograph("draft", status=Item.DRAFT, parent=fonds, position=4)

    document = fetch(client, "/iiif/3/collection/unit/fonds")

    assert ids(document) == ["iiif/3/collection/unit/series", "iiif/3/manifest/loose"]
    series_document = fetch(client, "/iiif/3/collection/unit/series")
    assert ids(series_document) == ["iiif/3/manifest/in-series"]
    assert series_document["partOf"][0]["id"] == f"{BASE}iiif/3/collection/unit/fonds"


def test_a_unit_with_images_and_children_is_both_a_collection_and_a_manifest(client):
    fonds = ItemFactory(identifier="fonds", status=Item.PUBLISHED)
    file_unit = photograph("file-unit", parent=fonds)
    photograph("page", parent=file_unit)

    assert ids(fetch(client, "/iiif/3/collection/unit/fonds")) == [
        "iiif/3/collection/unit/file-unit", "iiif/3/manifest/file-unit",
    ]


def test_units_that_visitors_may_not_see_have_no_collection(client):
    draft = ItemFactory(identifier="draft-fonds", status=Item.DRAFT)
    below_draft = ItemFactory(identifier="below-draft", status=Item.PUBLISHED, parent=draft)
    photograph("deep", parent=below_draft)
    leaf = photograph("leaf")

    for unit in ("draft-fonds", "below-draft", leaf.identifier):
        assert client.get(f"/iiif/3/collection/unit/{unit}").status_code == HTTPStatus.NOT_FOUND, unit


def test_a_draft_child_hides_its_subtree_from_the_units_collection(client):
    fonds = ItemFactory(identifier="fonds", status=Item.PUBLISHED)
    draft = ItemFactory(identifier="draft-series", status=Item.DRAFT, parent=fonds)
    photograph("hidden", parent=draft)
    photograph("shown", parent=fonds)

    assert ids(fetch(client, "/iiif/3/collection/unit/fonds")) == ["iiif/3/manifest/shown"]


def test_a_large_collection_is_split_into_collections_of_pages(client, settings):
    settings.ARKIV_IIIF_COLLECTION_PAGE_SIZE = 3
    collection = Collection.objects.create(identifier="photos", title="Photographs")
    items = [photograph(f"p{n:02d}", title=f"Photo {n:02d}") for n in range(8)]
    for item in items:
        item.collections.add(collection)

    whole = fetch(client, "/iiif/3/collection/photos")

    assert ids(whole) == [f"iiif/3/collection/photos?page={n}" for n in (1, 2, 3)]
    assert whole["items"][2]["label"]["en"] == ["Items 7–8 of 8"]
    listed = []
    for entry in whole["items"]:
        page = fetch(client, entry["id"].removeprefix(BASE.rstrip("/")))
        assert page["id"] == entry["id"]
        assert page["partOf"][0]["id"] == f"{BASE}iiif/3/collection/photos"
        assert len(page["items"]) <= 3
        listed += ids(page)
    assert listed == [f"iiif/3/manifest/p{n:02d}" for n in range(8)]
    for wrong in ("0", "4", "g1", "-1", "1.5", "9" * 30):
        assert client.get(f"/iiif/3/collection/photos?page={wrong}").status_code == HTTPStatus.NOT_FOUND, wrong


def test_more_pages_than_a_page_holds_are_grouped(client, settings):
    settings.ARKIV_IIIF_COLLECTION_PAGE_SIZE = 2
    fonds = ItemFactory(identifier="fonds", status=Item.PUBLISHED)
    for n in range(9):  # 5 pages of 2, in 3 groups of at most 2 pages
        photograph(f"p{n}", parent=fonds, position=n)

    whole = fetch(client, "/iiif/3/collection/unit/fonds")

    assert ids(whole) == [f"iiif/3/collection/unit/fonds?page=g{n}" for n in (1, 2, 3)]
    assert whole["items"][0]["label"]["en"] == ["Pages 1–2 of 5"]
    listed = []
    for group in whole["items"]:
        group_document = fetch(client, group["id"].removeprefix(BASE.rstrip("/")))
        assert group_document["partOf"][0]["id"] == f"{BASE}iiif/3/collection/unit/fonds"
        for entry in group_document["items"]:
            page = fetch(client, entry["id"].removeprefix(BASE.rstrip("/")))
            assert page["partOf"][0]["id"] == group["id"]
            listed += ids(page)
    assert listed == [f"iiif/3/manifest/p{n}" for n in range(9)]


def test_a_series_of_a_thousand_items_is_never_one_document(client, settings, django_assert_max_num_queries):
    """At the default page size (500): 1,001 children make three pages, each a bounded document,
    in a fixed number of queries."""
    assert settings.ARKIV_IIIF_COLLECTION_PAGE_SIZE == 500
    series = ItemFactory(identifier="series", status=Item.PUBLISHED)
    children = Item.objects.bulk_create([
        Item(identifier=f"c{n:04d}", status=Item.PUBLISHED, dcmi_type="StillImage", parent=series,
             position=n, ancestry=f"/{series.pk}/", reference=f"series/c{n:04d}", sort_title=f"C {n}")
        for n in range(1001)
    ])
    DigitalFile.objects.bulk_create([
        DigitalFile(item=child, file=f"originals/{child.identifier}.jpg", mime_type="image/jpeg", size=1,
                    sha256="0" * 64, width=10, height=10, display=f"derivatives/{child.identifier}-display.jpg")
        for child in children
    ])

    with django_assert_max_num_queries(12):
        whole = fetch(client, "/iiif/3/collection/unit/series")
    assert ids(whole) == [f"iiif/3/collection/unit/series?page={n}" for n in (1, 2, 3)]
    with django_assert_max_num_queries(12):
        last = fetch(client, "/iiif/3/collection/unit/series?page=3")
    assert ids(last) == ["iiif/3/manifest/c1000"]
    assert len(fetch(client, "/iiif/3/collection/unit/series?page=2")["items"]) == 500
