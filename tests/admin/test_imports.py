from http import HTTPStatus

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.imports import jobs
from catalog.imports.csv import PLAN_CHANGED
from catalog.models import DigitalFile, Item, Statement
from catalog.services import PUBLISH_DENIED
from tests.admin.conftest import jpeg_upload, staff_user
from tests.factories import CollectionFactory, ItemFactory, StatementFactory
from tests.imports.conftest import catalogue_state

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_item_changelist")
UPLOAD = reverse("admin:catalog_item_import")


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"


def csv_upload(text, name="items.csv"):
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


def upload(client, text, **fields):
    response = client.post(UPLOAD, {"csv_file": csv_upload(text), **fields})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    return response["Location"]


def test_the_item_list_links_to_the_import(staff_client):
    response = staff_client.get(CHANGELIST)
    assert f'href="{UPLOAD}"' in response.content.decode()


def test_the_upload_page_explains_the_format(staff_client):
    response = staff_client.get(UPLOAD)
    assert response.status_code == HTTPStatus.OK
    assert "<code>dc:title@nb</code>" in response.content.decode()


def test_upload_preview_confirm_summary_as_an_editor(editor_client):
    CollectionFactory(identifier="finnmark")
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    StatementFactory(item=existing, term="created", value="1944")
    data = (
        "identifier,type,status,collections,dc:title@en,dcterms:created\n"
        "kir-001,StillImage,published,finnmark,Bridge,1945\n"
        "kir-002,Text,draft,,Letter,1945-09-24\n"
        "kir-003,Text,draft,,Unchanged?,in the war\n"
    )
    before = catalogue_state()
    job_url = upload(editor_client, data)

    preview = editor_client.get(job_url)
    page = preview.content.decode()
    assert catalogue_state() == before  # a preview changes nothing
    assert preview.context["counts"] == {"create": 1, "update": 1, "unchanged": 0, "error": 1}
    assert '<span class="old">1944</span> → 1945' in page
    assert '<span class="old">draft</span> → published' in page
    assert "dcterms:created: “in the war” is not a date Arkiv can read" in page
    assert "Skip the rows with errors and import the others" in page

    response = editor_client.post(job_url, {"skip_bad_rows": "on"})
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == job_url

    summary = editor_client.get(job_url)
    page = summary.content.decode()
    assert "Imported items.csv: 1 new item, 1 changed, 0 unchanged, 1 row with errors skipped." in page
    new = Item.objects.get(identifier="kir-002")
    assert f'href="{reverse("admin:catalog_item_change", args=[existing.pk])}"' in page
    assert f'href="{reverse("admin:catalog_item_change", args=[new.pk])}"' in page
    assert f'href="{reverse("catalog:item", kwargs={"identifier": "kir-001"})}"' in page  # published now
    existing.refresh_from_db()
    assert (existing.status, existing.date_text) == ("published", "1945")
    assert not Item.objects.filter(identifier="kir-003").exists()


def test_rows_with_errors_stop_the_import_unless_skipped(editor_client):
    before = catalogue_state()
    job_url = upload(editor_client, "identifier,type\nkir-002,Text\nkir-003,Photo\n")

    editor_client.post(job_url, {})
    response = editor_client.get(job_url)

    assert catalogue_state() == before
    assert "1 row(s) have errors, so nothing was imported" in response.content.decode()
    assert response.context["can_apply"]  # it may still be confirmed, skipping the bad row


def test_a_cataloguer_imports_descriptions_but_not_rows_that_publish(cataloguer_client):
    ItemFactory(identifier="kir-001", title="Bridge")
    data = "identifier,type,status,dc:description\nkir-001,StillImage,published,A bridge\nkir-002,Text,draft,A letter\n"
    job_url = upload(cataloguer_client, data)

    preview = cataloguer_client.get(job_url)
    assert f"status: {PUBLISH_DENIED}" in preview.content.decode()

    cataloguer_client.post(job_url, {"skip_bad_rows": "on"})
    assert Item.objects.get(identifier="kir-001").status == "draft"
    assert Item.objects.get(identifier="kir-002").status == "draft"
    assert not Statement.objects.filter(item__identifier="kir-001", term="description").exists()


def test_an_editor_may_publish_through_the_import(editor_client):
    ItemFactory(identifier="kir-001", title="Bridge")
    job_url = upload(editor_client, "identifier,status\nkir-001,published\n")
    editor_client.post(job_url, {})
    assert Item.objects.get(identifier="kir-001").status == "published"


def test_the_preview_is_paginated(editor_client):
    rows = "".join(f"kir-{n:03d},Text,Item {n}\n" for n in range(120))
    job_url = upload(editor_client, "identifier,type,dc:title\n" + rows)

    first = editor_client.get(job_url)
    last = editor_client.get(job_url, {"page": 3})

    assert [e["row"] for e in first.context["page"].object_list] == list(range(2, 52))
    assert [e["identifier"] for e in last.context["page"].object_list][-1] == "kir-119"
    assert len(last.context["page"].object_list) == 20
    assert "Page 3 of 3" in last.content.decode()


def test_an_unreadable_file_is_explained_and_cannot_be_confirmed(editor_client):
    job_url = upload(editor_client, "identifier,dc:title\nkir-1,Vardø\n".encode("cp1252"))
    response = editor_client.get(job_url)
    page = response.content.decode()
    assert "Row 2: The bytes f8 0a at offset 30 are not UTF-8." in page
    assert not response.context["can_apply"]
    assert 'name="skip_bad_rows"' not in page


def test_files_uploaded_with_the_csv_are_attached(editor_client):
    ItemFactory(identifier="kir-001")
    job_url = upload(editor_client, "identifier,files\nkir-001,scan 1.jpg | scan 2.jpg\n",
                     files=[jpeg_upload("scan 1.jpg"), jpeg_upload("scan 2.jpg")])
    editor_client.post(job_url, {})
    assert sorted(DigitalFile.objects.values_list("original_name", flat=True)) == ["scan 1.jpg", "scan 2.jpg"]


def test_a_plan_that_changed_since_the_preview_must_be_confirmed_again(editor_client):
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    job_url = upload(editor_client, "identifier,dc:description\nkir-001,New\n")
    StatementFactory(item=existing, term="description", value="An edit made meanwhile")
    before = catalogue_state()

    editor_client.post(job_url, {})
    response = editor_client.get(job_url)

    assert catalogue_state() == before
    assert str(PLAN_CHANGED) in response.content.decode()
    assert "An edit made meanwhile" in response.content.decode()

    editor_client.post(job_url, {})
    assert Statement.objects.filter(item=existing, term="description").get().value == "New"


def test_confirming_twice_applies_once(editor_client):
    job_url = upload(editor_client, "identifier,type\nkir-002,Text\n")
    editor_client.post(job_url, {})
    Item.objects.all().delete()  # were it applied again, the item would come back
    editor_client.post(job_url, {})
    assert not Item.objects.exists()


def test_an_import_is_seen_only_by_whoever_uploaded_it(editor_client, cataloguer_client):
    job_url = upload(editor_client, "identifier,type\nkir-002,Text\n")
    assert cataloguer_client.get(job_url).status_code == HTTPStatus.NOT_FOUND
    assert cataloguer_client.post(job_url, {}).status_code == HTTPStatus.NOT_FOUND
    assert not Item.objects.exists()


def test_users_who_may_not_add_items_cannot_import(db):
    viewer = User.objects.create_user("viewer", is_staff=True)
    client = Client()
    client.force_login(viewer)
    assert client.get(UPLOAD).status_code == HTTPStatus.FORBIDDEN
    assert client.post(UPLOAD, {"csv_file": csv_upload("identifier,type\nkir-002,Text\n")}).status_code == HTTPStatus.FORBIDDEN
    assert not Item.objects.exists()


def test_users_who_may_edit_items_but_not_import_cannot_import(db):
    from django.contrib.auth.models import Permission

    editor_without_import = User.objects.create_user("no-import", is_staff=True)
    editor_without_import.user_permissions.set(
        Permission.objects.filter(content_type__app_label="catalog", codename__in=["add_item", "change_item", "view_item"])
    )
    client = Client()
    client.force_login(editor_without_import)
    assert client.get(UPLOAD).status_code == HTTPStatus.FORBIDDEN
    assert not Item.objects.exists()


def test_a_running_import_shows_its_progress(editor_client, editor, settings):
    settings.ARKIV_IMPORT_BACKGROUND_BYTES = 10 ** 9
    job_url = upload(editor_client, "identifier,type\nkir-002,Text\n")
    job = jobs.Job.get(job_url.rstrip("/").rsplit("/", 1)[1], editor)
    job.update(state=jobs.APPLYING, progress=7, size=28)

    response = editor_client.get(job_url)

    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress value="25" max="100">' in page


def test_the_export_action_downloads_the_selection_as_csv(staff_client):
    chosen = ItemFactory(identifier="kir-001", title="Bridge")
    ItemFactory(identifier="kir-002", title="Not chosen")

    response = staff_client.post(CHANGELIST, {
        "action": "export_csv", helpers.ACTION_CHECKBOX_NAME: [chosen.pk], "index": 0,
    })

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines() == [
        "identifier,type,status,rights_uri,level,parent,local_code,arrangement,collections,dc:title@en,files,full_text",
        "kir-001,StillImage,draft,,item,,,,,Bridge,,",
    ]
