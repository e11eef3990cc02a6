"""The admin's import shows where units will stand, and what refuses a place, before anything
is written; confirmed, it places them."""
import html

import pytest
from django.urls import reverse

from catalog.imports import arrangement as places
from catalog.models import Item, Level
from tests.factories import ItemFactory
from tests.imports.conftest import catalogue_state

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:catalog_item_import")


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"


def unit(identifier, parent=None, level="item", code=""):
    made = ItemFactory(identifier=identifier, dcmi_type="Collection")
    made.parent, made.level, made.local_code = parent, Level.objects.get(code=level), code
    made.save()
    return made


def upload(client, text):
    from tests.admin.test_imports import csv_upload

    response = client.post(UPLOAD, {"csv_file": csv_upload(text)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_the_preview_shows_new_parents_and_levels_and_the_rows_that_cannot_be_placed(editor_client):
    fonds = unit("kf", level="fonds", code="KF")
    series = unit("kf-a", fonds, "series", "A")
    unit("kf-a-1", series, "file", "1")
    before = catalogue_state()
    data = (
        "identifier,type,level,parent,local_code\n"
        "kf-a-1,Collection,subseries,kf-b,1\n"
        "kf-b,Collection,series,kf,B\n"
        "kf-x,Collection,file,kf-y,\n"
        "kf-y,Collection,file,kf-x,\n"
    )

    job_url = upload(editor_client, data)
    preview = editor_client.get(job_url)
    page = html.unescape(preview.content.decode())

    assert catalogue_state() == before
    assert preview.context["counts"] == {"create": 1, "update": 1, "unchanged": 0, "error": 2}
    assert '<span class="old">file</span> → subseries' in page
    assert '<span class="old">kf-a</span> → kf-b' in page
    assert "parent: " + places.CYCLE.format(identifier="kf-x", path="kf-x → kf-y → kf-x") in page

    editor_client.post(job_url, {"skip_bad_rows": "on"})

    moved = Item.objects.get(identifier="kf-a-1")
    assert (moved.parent.identifier, moved.level.code, moved.reference) == ("kf-b", "subseries", "KF/B/1")
    assert not Item.objects.filter(identifier__in=["kf-x", "kf-y"]).exists()
