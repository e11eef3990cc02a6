"""The admin's “Ingest files”: upload (files or a zip) → preview → confirm → summary, in the background."""
import io
import time
import zipfile

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.imports import jobs
from catalog.imports.folder.jobs import FolderJob
from catalog.models import Collection, DigitalFile, Item
from tests.imports.folder.conftest import damaged, jpeg
from tests.task_worker import run_queued_tasks

# The task worker sees only committed rows, as one in a process of its own would.
pytestmark = pytest.mark.django_db(transaction=True)

INGEST = reverse("admin:catalog_item_ingest")


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"


def staff(username, *permissions):
    user = User.objects.create_user(username, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="catalog", codename__in=permissions))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client():
    return staff("adder", "add_item", "view_item", "change_item")


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def a_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def settled(client, url):
    """The job's page once it is no longer working in the background."""
    run_queued_tasks()
    for _ in range(400):
        response = client.get(url)
        if b'http-equiv="refresh"' not in response.content:
            return response
        time.sleep(0.05)
    raise AssertionError("the ingest never finished")


def test_files_are_previewed_then_made_as_drafts_with_a_summary(client, settings):
    shared = jpeg(1)
    response = client.post(INGEST, {
        "files": [upload("IMG_0001.jpg", jpeg(2, "2021:06:05 10:00:00")), upload("a.jpg", shared), upload("b.jpg", shared),
                  upload("cut.jpg", damaged(jpeg(3)))],
    })
    assert response.status_code == 302
    job_url = response["Location"]
    preview = settled(client, job_url).content.decode()
    assert "2 draft items would be made (of 2 files)." in preview
    assert "1 file is in the archive already" in preview and "1 refused" in preview and "is damaged" in preview
    assert not Item.objects.exists()

    assert client.post(job_url).status_code == 302
    summary = settled(client, job_url).content.decode()
    assert "2 draft items made (of 2 files)." in summary
    item = Item.objects.get(identifier="scans.img_0001")
    assert item.status == Item.DRAFT and item.statements.get(term="created").value == "2021-06-05"
    assert reverse("admin:catalog_item_change", args=[item.pk]) in summary
    assert DigitalFile.objects.count() == 2
    assert not any(settings.ARKIV_IMPORT_DIR.rglob("*.jpg"))  # the items hold their own copies


def test_a_zip_of_folders_becomes_items_of_pages_under_a_unit_and_in_a_collection(client):
    unit = Item.objects.create(identifier="kf-3", dcmi_type="Collection")
    Collection.objects.create(identifier="war", title="War")
    data = a_zip([("book/page10.jpg", jpeg(4)), ("book/page2.jpg", jpeg(5)), ("loose.jpg", jpeg(6))])
    response = client.post(INGEST, {"zip_file": upload("Box 7.zip", data), "collection": "war", "parent": "kf-3"})
    job_url = response["Location"]
    settled(client, job_url)
    client.post(job_url)
    assert "2 draft items made (of 3 files)." in settled(client, job_url).content.decode()
    book = Item.objects.get(identifier="box-7.book")
    assert list(book.files.order_by("position").values_list("original_name", flat=True)) == ["page2.jpg", "page10.jpg"]
    assert book.parent_id == unit.pk and list(book.collections.values_list("identifier", flat=True)) == ["war"]


def test_a_zip_that_leads_outside_its_folder_is_refused_on_the_form_and_nothing_is_kept(client, settings):
    data = a_zip([("fine.jpg", jpeg(7)), ("../../evil.jpg", jpeg(8))])
    response = client.post(INGEST, {"zip_file": upload("scans.zip", data)})
    assert response.status_code == 200 and "leads outside its folder" in response.content.decode()
    assert not any(settings.ARKIV_IMPORT_DIR.rglob("*.jpg"))


def test_the_same_files_again_make_nothing_twice(client):
    files = [("a.jpg", jpeg(9)), ("b.jpg", jpeg(10))]
    for _ in range(2):
        job_url = client.post(INGEST, {"files": [upload(n, d) for n, d in files]})["Location"]
        settled(client, job_url)
        client.post(job_url)
        page = settled(client, job_url).content.decode()
    assert "0 draft items made" in page and "2 items were made by an earlier ingest" in page
    assert Item.objects.count() == 2


def test_the_form_asks_for_files_and_a_known_unit(client):
    assert "Choose the scans to ingest" in client.post(INGEST, {}).content.decode()
    page = client.post(INGEST, {"files": [upload("a.jpg", jpeg(11))], "parent": "nowhere"}).content.decode()
    assert "“nowhere” is not the identifier of a unit" in page


def test_ingesting_needs_the_permission_to_add_items_and_a_job_is_its_uploaders_own(client):
    viewer = staff("viewer", "view_item")
    assert viewer.get(INGEST).status_code == 403
    assert client.get(INGEST).status_code == 200
    job_url = client.post(INGEST, {"files": [upload("a.jpg", jpeg(12))]})["Location"]
    settled(client, job_url)
    other = staff("other", "add_item", "view_item")
    assert other.get(job_url).status_code == 404
    assert other.post(job_url).status_code == 404
    assert FolderJob.get(job_url.rstrip("/").rsplit("/", 1)[1], User.objects.get(username="adder")).status["state"] == jobs.PLANNED


def test_the_item_list_links_to_the_page_for_those_who_may_add(client):
    assert INGEST in client.get(reverse("admin:catalog_item_changelist")).content.decode()
    viewer = staff("viewer2", "view_item")
    assert INGEST not in viewer.get(reverse("admin:catalog_item_changelist")).content.decode()


def test_the_page_and_its_summary_speak_norwegian():
    user = User.objects.create_user("norsk", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="catalog", codename__in=["add_item", "view_item"]))
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    assert "Les inn filer" in client.get(INGEST).content.decode()
    job_url = client.post(INGEST, {"files": [upload("a.jpg", jpeg(13)), upload("b.txt", b"hello")]})["Location"]
    page = settled(client, job_url).content.decode()
    assert "1 utkast til objekt ville blitt laget (av 1 fil)." in page and "avvist:" in page
    assert "er ikke en JPEG" in page  # the imaging refusal, in the uploader's language
