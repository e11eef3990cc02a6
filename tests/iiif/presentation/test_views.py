"""/iiif/3/manifest/<identifier> and the Collections over HTTP: what a visitor may see, the
media type IIIF asks for, and CORS."""
from http import HTTPStatus

import pytest

from catalog.models import Collection, DigitalFile, Item
from tests.factories import ItemFactory
from tests.iiif.presentation.conftest import add_image, photograph
from tests.iiif.presentation.validation import assert_valid

pytestmark = pytest.mark.django_db

PROFILE = '"http://iiif.io/api/presentation/3/context.json"'


def manifest_url(item):
    return f"/iiif/3/manifest/{item.identifier}"


def test_a_published_photograph_has_a_valid_manifest_open_to_every_origin(client):
    item = photograph(images=2)

    response = client.get(manifest_url(item))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == f"application/ld+json;profile={PROFILE}; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert document["id"] == f"http://testserver{manifest_url(item)}"
    assert_valid(document)


def test_a_client_asking_for_plain_json_gets_plain_json(client):
    item = photograph()

    response = client.get(manifest_url(item), headers={"Accept": "application/json"})

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Accept" in [part.strip() for part in response["Vary"].split(",")]
    assert response.json()["type"] == "Manifest"


def test_json_ld_is_given_to_a_client_that_accepts_both(client):
    item = photograph()

    response = client.get(manifest_url(item), headers={"Accept": "application/ld+json, application/json;q=0.9"})

    assert response["Content-Type"].startswith("application/ld+json;profile=")


def test_head_is_answered_and_writes_are_refused(client):
    item = photograph()

    assert client.head(manifest_url(item)).status_code == HTTPStatus.OK
    assert client.post(manifest_url(item)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("status", [Item.DRAFT, Item.WITHDRAWN])
def test_an_item_that_is_not_published_has_no_manifest(client, status):
    item = photograph(status=status)

    assert client.get(manifest_url(item)).status_code == HTTPStatus.NOT_FOUND


def test_an_item_under_a_draft_unit_has_no_manifest(client):
    series = ItemFactory(identifier="series", status=Item.DRAFT)
    item = photograph(parent=series)
    item.refresh_from_db()
    assert item.status == Item.PUBLISHED and not item.ancestors_public

    assert client.get(manifest_url(item)).status_code == HTTPStatus.NOT_FOUND


def test_a_signed_in_archivist_gets_no_manifest_of_a_draft_either(admin_client):
    # Manifests go to other sites' viewers: they follow the public rule, never a preview.
    item = photograph(status=Item.DRAFT)

    assert admin_client.get(manifest_url(item)).status_code == HTTPStatus.NOT_FOUND


def test_an_item_whose_only_image_is_private_has_no_manifest(client):
    item = photograph(images=0)
    private = add_image(item)
    # An original visitors may not have, and no derivative: nothing of it is public.
    DigitalFile.objects.filter(pk=private.pk).update(display="", thumbnail="", original_public=False)

    assert client.get(manifest_url(item)).status_code == HTTPStatus.NOT_FOUND


def test_an_item_without_images_has_no_manifest(client):
    item = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")

    assert client.get(manifest_url(item)).status_code == HTTPStatus.NOT_FOUND
    assert client.get("/iiif/3/manifest/no-such-item").status_code == HTTPStatus.NOT_FOUND


def test_collections_are_open_to_every_origin_and_valid(client):
    collection = Collection.objects.create(identifier="photos", title="Photographs")
    item = photograph()
    item.collections.add(collection)

    response = client.get(f"/iiif/3/collection/{collection.identifier}")

    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/ld+json;profile=")
    assert_valid(response.json())


def test_unknown_collections_and_pages_are_not_found(client):
    Collection.objects.create(identifier="photos", title="Photographs")

    assert client.get("/iiif/3/collection/nothing").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/iiif/3/collection/photos?page=2").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/iiif/3/collection/photos?page=abc").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/iiif/3/collection/unit/nothing").status_code == HTTPStatus.NOT_FOUND


def test_an_unchanged_manifest_is_not_sent_again(client):
    item = photograph()
    first = client.get(manifest_url(item))
    assert first["Cache-Control"] == "no-cache"

    again = client.get(manifest_url(item), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    item.statements.filter(term="title").update(value="Another title")
    assert client.get(manifest_url(item), headers={"If-None-Match": first["ETag"]}).status_code == HTTPStatus.OK
