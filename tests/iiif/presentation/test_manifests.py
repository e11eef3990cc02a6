"""manifests.manifest(): what the manifest of an item says, read from its description."""
import json

import pytest
from django.test import Client

from catalog.iiif.presentation import manifests
from catalog.models import Collection, DigitalFile, Item, Statement
from tests.factories import ItemFactory
from tests.iiif.presentation.conftest import BASE, add_image, photograph
from tests.iiif.presentation.validation import assert_valid

pytestmark = pytest.mark.django_db

RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"


def build(item):
    item = Item.objects.with_description().select_related("parent").get(pk=item.pk)
    document = json.loads(manifests.manifest(item, base_url=BASE).jsonld())
    assert_valid(document)
    return document


def say(item, term, value, lang="", position=10):
    Statement.objects.create(item=item, term=term, value=value, lang=lang, position=position)


def test_a_canvas_per_public_image_in_order_sized_as_the_image(settings):
    item = photograph(images=0)
    second = add_image(item, width=300, height=200, label="Verso")
    first = add_image(item, width=200, height=300, label="Recto")
    DigitalFile.objects.filter(pk=first.pk).update(position=0)
    DigitalFile.objects.filter(pk=second.pk).update(position=5)

    canvases = build(item)["items"]

    assert [c["label"] for c in canvases] == [{"none": ["Recto"]}, {"none": ["Verso"]}]
    assert [(c["width"], c["height"]) for c in canvases] == [(200, 300), (300, 200)]
    assert canvases[0]["id"] == f"{BASE}iiif/3/manifest/{item.identifier}/canvas/1"


def test_each_canvas_is_painted_by_the_image_service_of_its_file():
    item = photograph()
    digital_file = item.files.get()

    canvas = build(item)["items"][0]

    page = canvas["items"][0]
    assert page["type"] == "AnnotationPage"
    annotation = page["items"][0]
    assert annotation["type"] == "Annotation"
    assert annotation["motivation"] == "painting"
    assert annotation["target"] == canvas["id"]
    body = annotation["body"]
    assert body["type"] == "Image"
    assert body["id"] == f"{BASE}iiif/3/{digital_file.pk}/full/max/0/default.jpg"
    assert body["service"] == [{"id": f"{BASE}iiif/3/{digital_file.pk}", "type": "ImageService3", "profile": "level2"}]
    # The thumbnail is the file's derivative, delivered through the visibility rule.
    assert canvas["thumbnail"][0]["id"] == f"{BASE.rstrip('/')}{digital_file.url('thumbnail')}"
    assert Client().get(digital_file.url("thumbnail")).status_code == 200


def test_a_private_file_beside_public_ones_is_left_out():
    item = photograph(images=2)
    private = item.files.last()
    DigitalFile.objects.filter(pk=private.pk).update(display="", thumbnail="", original_public=False)

    canvases = build(item)["items"]

    assert len(canvases) == 1
    assert f"/iiif/3/{private.pk}/" not in json.dumps(canvases)


def test_an_unlabelled_image_is_named_by_its_number_in_each_interface_language(settings):
    item = photograph(images=0)
    add_image(item)

    label = build(item)["items"][0]["label"]

    assert label["en"] == ["Image 1"]
    assert set(label) == {code for code, _ in settings.LANGUAGES}


def test_label_summary_and_metadata_keep_each_statements_language():
    item = photograph(identifier="bridge")  # the factory's title is English
    say(item, "title", "Brua over Jakobselv", "nb")
    say(item, "description", "The bridge at the border.", "en")
    say(item, "description", "Brua ved grensen.", "nb")
    say(item, "abstract", "A note in no language.")
    say(item, "creator", "Unknown photographer", "en")
    say(item, "spatial", "Jakobselv")

    document = build(item)

    assert document["label"] == {"en": ["Item bridge"], "nb": ["Brua over Jakobselv"]}
    assert document["summary"] == {
        "en": ["The bridge at the border."], "nb": ["Brua ved grensen."], "none": ["A note in no language."],
    }
    pairs = {pair["label"]["en"][0]: pair for pair in document["metadata"]}
    assert pairs["Creator"]["value"] == {"en": ["Unknown photographer"]}
    assert pairs["Creator"]["label"]["nb"] == ["Opphav"]
    assert pairs["Place"]["value"] == {"none": ["Jakobselv"]}
    assert pairs["Type"]["value"]["en"] == ["Still image"]
    assert pairs["Reference code"]["value"] == {"none": [item.reference_code]}
    # Titles and descriptions are the label and summary, not pairs again.
    assert not {"Title", "Description", "Summary"} & set(pairs)


def test_a_tag_with_a_numeric_region_is_kept_as_far_as_iiif_allows():
    item = photograph()
    say(item, "description", "Un puente", "es-419")

    assert build(item)["summary"] == {"es": ["Un puente"]}


def test_an_item_with_only_other_titles_is_labelled_by_them():
    item = photograph()
    Statement.objects.filter(item=item, term="title").update(term="alternative", lang="")

    assert build(item)["label"] == {"none": ["Item photo"]}


@pytest.mark.parametrize("uri", [RIGHTS, CC_BY, "http://creativecommons.org/publicdomain/zero/1.0/"])
def test_the_items_rights_uri_is_its_rights(uri):
    item = photograph(rights_uri=uri)

    assert build(item)["rights"] == uri


def test_no_rights_without_a_rights_uri():
    assert "rights" not in build(photograph())


def test_the_attribution_names_the_rights_holders_and_the_repository(settings):
    settings.ARKIV_REPOSITORY_NAME = "Finnmark Archive"
    item = photograph()
    say(item, "rightsHolder", "Anna Olsen")

    statement = build(item)["requiredStatement"]

    assert statement["label"]["en"] == ["Attribution"]
    assert statement["value"]["en"] == ["Anna Olsen", "Provided by Finnmark Archive"]
    provider = build(item)["provider"][0]
    assert provider["label"] == {"none": ["Finnmark Archive"]}
    assert provider["homepage"][0]["id"] == BASE


def test_homepage_and_see_also_lead_to_the_page_and_the_records(client):
    item = photograph()

    document = build(item)

    assert document["homepage"] == [{
        "id": f"{BASE}items/{item.identifier}/", "type": "Text", "label": document["label"], "format": "text/html",
    }]
    formats = {link["format"]: link for link in document["seeAlso"]}
    assert set(formats) == {"text/xml", "application/ld+json"}
    assert formats["text/xml"]["profile"] == "http://www.openarchives.org/OAI/2.0/oai_dc/"
    for link in [*document["homepage"], *document["seeAlso"]]:
        response = client.get(link["id"].removeprefix(BASE.rstrip("/")))
        assert response.status_code == 200, link["id"]
        assert "idDoesNotExist" not in response.content.decode()


def test_part_of_names_the_unit_above_and_the_collections_and_each_is_a_collection(client):
    fonds = ItemFactory(identifier="fonds", status=Item.PUBLISHED)
    collection = Collection.objects.create(identifier="photos", title="Photographs")
    item = photograph(parent=fonds)
    item.collections.add(collection)

    parts = build(item)["partOf"]

    assert [(p["id"], p["type"]) for p in parts] == [
        (f"{BASE}iiif/3/collection/unit/fonds", "Collection"),
        (f"{BASE}iiif/3/collection/photos", "Collection"),
    ]
    assert parts[0]["label"] == {"none": ["Item fonds"]}
    for part in parts:
        listed = client.get(part["id"].removeprefix(BASE.rstrip("/"))).json()
        assert f"{BASE}iiif/3/manifest/{item.identifier}" in [entry["id"] for entry in listed["items"]]


def test_the_manifest_costs_the_same_queries_for_one_image_or_six(client, django_assert_max_num_queries):
    one, six = photograph("one"), photograph("six", images=6)
    with django_assert_max_num_queries(20) as one_image:
        client.get(f"/iiif/3/manifest/{one.identifier}")
    with django_assert_max_num_queries(20) as six_images:
        client.get(f"/iiif/3/manifest/{six.identifier}")

    assert len(six_images.captured_queries) == len(one_image.captured_queries)


def test_every_image_address_of_the_manifest_is_served_by_the_image_api(client):
    item = photograph(images=2)

    for canvas in build(item)["items"]:
        body = canvas["items"][0]["items"][0]["body"]
        service = body["service"][0]["id"].removeprefix(BASE.rstrip("/"))
        info = client.get(f"{service}/info.json")
        assert info.status_code == 200, service
        assert info.json()["id"] == body["service"][0]["id"]
        assert info["Access-Control-Allow-Origin"] == "*"
        image = client.get(body["id"].removeprefix(BASE.rstrip("/")))
        assert image.status_code == 200 and image["Content-Type"] == body["format"], body["id"]
        thumbnail = client.get(canvas["thumbnail"][0]["id"].removeprefix(BASE.rstrip("/")))
        assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == canvas["thumbnail"][0]["format"]
