"""The item page and its JSON-LD link the item's IIIF manifest, and carry the deep-zoom viewer
(catalog/site/templatetags/iiif.py, site/includes/viewer.html and iiif_manifest.html)."""
import json
from html import unescape
from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.models import DigitalFile, Item
from tests.factories import ItemFactory
from tests.iiif.presentation.conftest import add_image, photograph

pytestmark = pytest.mark.django_db

FORMAT = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def page(client, item):
    response = client.get(item.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def json_ld(client, item):
    return client.get(reverse("catalog:item-jsonld", kwargs={"identifier": item.identifier})).json()


def test_a_public_photographs_page_links_its_manifest_with_the_drag_and_drop_convention(client):
    item = photograph()
    manifest = f"http://testserver/iiif/3/manifest/{item.identifier}"

    html = page(client, item)

    assert f'href="{manifest}?manifest=http%3A//testserver/iiif/3/manifest/{item.identifier}"' in html
    assert 'src="/static/site/iiif-logo.svg"' in html
    assert "IIIF manifest" in html
    assert client.get(f"/iiif/3/manifest/{item.identifier}?manifest={manifest}").status_code == HTTPStatus.OK


def test_the_viewer_waits_hidden_beside_the_plain_images_and_names_each_image_service(client):
    item = photograph(images=2)
    first, second = item.files.all()

    html = page(client, item)

    start = html.index("<section class=\"viewer\"")
    section = html[start:html.index(">", start) + 1]
    assert " hidden>" in section, "without script the viewer must stay hidden"
    sources = json.loads(unescape(section.split('data-sources="')[1].split('"')[0]))
    assert [source["info"] for source in sources] == [f"/iiif/3/{first.pk}/info.json", f"/iiif/3/{second.pk}/info.json"]
    assert [(source["width"], source["height"]) for source in sources] == [(60, 40), (61, 41)]
    assert html.count('<figure class="item__figure">') == 2, "the plain images stay in the page"
    assert "vendor/openseadragon/openseadragon.min.js" in html and "site/viewer.js" in html
    assert "Next image" in html


def test_a_single_image_has_no_paging_buttons(client):
    html = page(client, photograph())

    assert "data-action=\"zoom-in\"" in html
    assert "Next image" not in html


def test_a_staff_preview_of_a_draft_shows_plain_images_without_viewer_or_manifest(admin_client):
    item = photograph(status=Item.DRAFT)

    html = page(admin_client, item)

    assert '<figure class="item__figure">' in html
    assert "data-viewer" not in html
    assert "/iiif/3/manifest/" not in html


def test_an_item_without_public_images_has_neither(client):
    text = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    private = photograph("private", images=0)
    DigitalFile.objects.filter(pk=add_image(private).pk).update(display="", thumbnail="")

    for item in (text, private):
        html = page(client, item)
        assert "data-viewer" not in html
        assert "/iiif/3/manifest/" not in html
        assert "subjectOf" not in json_ld(client, item)


def test_the_json_ld_is_the_subject_of_the_manifest(client):
    item = photograph()

    subject_of = json_ld(client, item)["subjectOf"]

    assert subject_of == {
        "@type": "CreativeWork", "@id": f"http://testserver/iiif/3/manifest/{item.identifier}",
        "name": "IIIF manifest", "encodingFormat": FORMAT,
    }
    assert client.get(subject_of["@id"].removeprefix("http://testserver")).status_code == HTTPStatus.OK
