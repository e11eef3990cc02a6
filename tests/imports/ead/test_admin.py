"""The admin's import takes an EAD file too: the reader is picked by the file's content."""
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.imports.ead import errors
from catalog.models import Item
from tests.admin.conftest import editor, editor_client  # noqa: F401 - fixtures
from tests.imports.conftest import catalogue_state

from .conftest import ATOM
from .test_safe import EXTERNAL_ENTITY

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:catalog_item_import")


def upload(client, data, name="finding-aid.xml", **fields):
    response = client.post(UPLOAD, {"csv_file": SimpleUploadedFile(name, data, content_type="text/xml"), **fields})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    return response["Location"]


def test_the_upload_page_offers_ead(editor_client):  # noqa: F811
    page = editor_client.get(UPLOAD).content.decode()
    assert "Identifier of the new fonds (EAD)" in page
    assert "finding aid in EAD" in page


def test_an_atom_export_previewed_then_imported(editor_client):  # noqa: F811
    before = catalogue_state()
    job_url = upload(editor_client, ATOM.read_bytes(), fonds_identifier="WLU")
    preview = editor_client.get(job_url)
    page = preview.content.decode()
    assert catalogue_state() == before
    assert preview.context["counts"]["create"] == 2
    assert "The finding aid as the fonds WLU" in page
    assert "“Education” will be a new concept record" in page
    assert "&lt;bioghist&gt; ×1" in page

    editor_client.post(job_url, {})
    assert editor_client.get(job_url).context["counts"]["create"] == 2
    assert list(Item.objects.order_by("identifier").values_list("identifier", "parent__identifier", "level__code")) == [
        ("WLU", None, "fonds"), ("WLU-1", "WLU", "series"),
    ]


def test_without_an_identifier_the_fonds_is_named_by_its_unitid(editor_client):  # noqa: F811
    job_url = upload(editor_client, ATOM.read_bytes())
    editor_client.post(job_url, {})
    assert list(Item.objects.order_by("identifier").values_list("identifier", flat=True)) == ["U257", "U257-1"]


def test_a_hostile_file_is_explained_and_cannot_be_confirmed(editor_client):  # noqa: F811
    job_url = upload(editor_client, EXTERNAL_ENTITY)
    response = editor_client.get(job_url)
    page = response.content.decode()
    assert not response.context["can_apply"]
    assert str(errors.ENTITY_DECLARATIONS % {"names": "secret"}).replace("<", "&lt;").replace(">", "&gt;") in page
    assert Item.objects.count() == 0
