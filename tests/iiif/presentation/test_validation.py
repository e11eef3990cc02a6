"""Every manifest and Collection of a test catalogue is valid IIIF Presentation 3.0, by the JSON
Schema of IIIF's own validator (vendored in schema/); and the wiring is shown to reject what
that validator rejects."""
import hashlib
import json
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db.models import Q

from catalog.iiif.presentation.collections import with_public_children
from catalog.models import Collection, Item
from tests.iiif.presentation.conftest import add_image
from tests.iiif.presentation.validation import SCHEMA_DIR, assert_valid, problems

HASHES = {
    "iiif_3_0.json": "14dd7ee8aee25d959be4b12feddb4179c726909fc85b925f6707f4ab3bfe2ad6",
    "broken_collection.json": "a32e3a48a8eb21b986459bb5553e78cdab386f5d8cda49af7cdf3fa0899c3bf9",
    "full_example.json": "5a6d83dcffd893a53cd05f8467f33336af3bb6bac3ca0d1f7f4150f7587e62da",
}


def fixture(name):
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(HASHES))
def test_the_vendored_files_are_the_upstream_ones(name):
    assert hashlib.sha256((SCHEMA_DIR / name).read_bytes()).hexdigest() == HASHES[name]


def test_the_schema_accepts_iiifs_full_example():
    assert problems(fixture("full_example.json")) == []


def test_the_schema_rejects_the_broken_collection():
    assert problems(fixture("broken_collection.json"))


def test_the_schema_rejects_a_manifest_without_a_label_or_with_a_foreign_rights_uri():
    example = fixture("full_example.json")
    assert problems({key: value for key, value in example.items() if key != "label"})
    assert problems({**example, "rights": "https://example.org/my-licence"})


def crawl(client, path, seen):
    """Fetch `path` and every Collection and Manifest it lists, each once."""
    if path in seen:
        return
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK, path
    document = response.json()
    assert_valid(document)
    seen[path] = document
    for entry in document.get("items", []) if document["type"] == "Collection" else []:
        crawl(client, _local(entry["id"]), seen)
    for part in document.get("partOf", []):
        crawl(client, _local(part["id"]), seen)


def _local(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def crawl_catalogue(client):
    """Every thematic collection, every public unit with public children, every public item
    with images: fetched, validated, and followed."""
    seen = {}
    for collection in Collection.objects.all():
        crawl(client, f"/iiif/3/collection/{collection.identifier}", seen)
    for unit in Item.objects.published().filter(with_public_children()):
        crawl(client, f"/iiif/3/collection/unit/{unit.identifier}", seen)
    for item in Item.objects.published().filter(files__isnull=False).distinct():
        crawl(client, f"/iiif/3/manifest/{item.identifier}", seen)
    return seen


def give_images(items):
    for number, item in enumerate(items):
        add_image(item, width=40 + number, height=30, label=f"Page {number}")
        if number % 3 == 0:
            add_image(item, width=30, height=40 + number)


@pytest.mark.django_db
def test_every_manifest_and_collection_of_the_demo_catalogue_is_valid(client, settings):
    settings.ARKIV_IIIF_COLLECTION_PAGE_SIZE = 4  # so the demo's units are paged too
    call_command("load_demo", verbosity=0)
    leaves = Item.objects.published().filter(~Q(pk__in=Item.objects.filter(parent__isnull=False).values("parent")))
    give_images(leaves.order_by("identifier")[:12])

    seen = crawl_catalogue(client)

    kinds = [document["type"] for document in seen.values()]
    assert kinds.count("Manifest") == 12
    assert kinds.count("Collection") > Collection.objects.count()
    assert any("?page=" in path for path in seen), "no Collection was paged"


@pytest.mark.django_db
def test_every_manifest_and_collection_of_a_generated_catalogue_is_valid(client, settings):
    settings.ARKIV_IIIF_COLLECTION_PAGE_SIZE = 5
    call_command("generate_catalog", "150", "--big-series", "20", "--file-items", "2", "4", verbosity=0)
    leaves = list(Item.objects.published().filter(children__isnull=True).order_by("identifier")[:20])
    give_images(leaves)

    seen = crawl_catalogue(client)

    kinds = [document["type"] for document in seen.values()]
    assert {f"/iiif/3/manifest/{leaf.identifier}" for leaf in leaves} <= set(seen)
    assert kinds.count("Collection") > 5
    languages = {key for document in seen.values() if document["type"] == "Manifest" for key in document["label"]}
    assert len(languages) > 1, "the generated titles are in several languages"
