"""An archivist who reads the admin in Norwegian gets the import's own messages in Norwegian,
also when the file is planned by a task (catalog.imports.jobs)."""
import time
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from catalog.imports import jobs, plan
from tests.task_worker import run_queued_tasks

# The task worker sees only committed rows, as one in a process of its own would.
pytestmark = pytest.mark.django_db(transaction=True)

UPLOAD = reverse("admin:catalog_item_import")


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def archivist():
    # Not the Cataloguer group: a transactional test empties the tables the migrations filled.
    user = User.objects.create_superuser("archivist")
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    return user, client


def preview(client, user, data):
    response = client.post(UPLOAD, {"csv_file": SimpleUploadedFile("items.csv", data.encode(), content_type="text/csv")})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    job_url = response["Location"]
    job = jobs.Job.get(job_url.rstrip("/").rsplit("/", 1)[1], user)
    run_queued_tasks()
    for _ in range(300):
        if job.status["state"] not in jobs.RUNNING:
            break
        time.sleep(0.05)
    return client.get(job_url).content.decode()


@pytest.mark.parametrize("background", [False, True], ids=["in the request", "by a task"])
def test_the_preview_shows_row_errors_in_norwegian(archivist, settings, background):
    settings.ARKIV_IMPORT_BACKGROUND_BYTES = 0 if background else 10 ** 9
    user, client = archivist

    page = preview(client, user, "identifier,type,dcterms:created\nkir-1,Photo,in the war\nkir-2,Text,1945\n")

    with translation.override("nb"):
        wrong_type = plan.TYPE_UNKNOWN.format(value="Photo", types=", ".join(plan.dublincore.DCMI_TYPES))
        wrong_date = plan.DATE_UNREADABLE.format(value="in the war")
    assert wrong_type.startswith("«Photo» er ikke en DCMI-type: bruk en av")
    assert wrong_date.startswith("«in the war» er ikke en dato Arkiv kan lese")
    assert wrong_type in page and wrong_date in page
    assert "is not a date" not in page


def test_a_file_that_cannot_be_read_is_explained_in_norwegian(archivist, settings):
    settings.ARKIV_IMPORT_BACKGROUND_BYTES = 0
    user, client = archivist

    page = preview(client, user, "title,type\nBridge,Text\n")

    assert "Overskriftsraden har ingen «identifier»-kolonne" in page
    assert "Filen kan ikke importeres slik den er: se feilene. Ingenting ble endret." in page
