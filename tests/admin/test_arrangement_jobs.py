"""Changes too large for a request (more units than ARKIV_MOVE_INLINE_UNITS): a move confirmed on
the Move page, and a new local code or status saved on a unit's form, run as tasks (here by the
database backend's worker, run in the test) while a page that refreshes by itself shows their
progress, and says so while no worker has taken them yet."""
import html
import time
from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from catalog.admin import arrangement as views
from catalog.admin.arrangement import MOVE_STARTED
from catalog.arrangement import jobs
from catalog.history.models import ChangeSet
from catalog.models import Item, Tombstone
from tests.admin.arrangement_trees import fresh, make_tree, unit
from tests.admin.conftest import form_data
from tests.task_worker import run_queued_tasks

# The task worker sees only committed rows, as one in a process of its own would.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _small_limit(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "jobs"
    settings.ARKIV_MOVE_INLINE_UNITS = 2


@pytest.fixture
def archivist():
    # Not the Editor group: a transactional test empties the tables the migrations filled.
    return User.objects.create_superuser("archivist")


@pytest.fixture
def client(archivist):
    client = Client()
    client.force_login(archivist)
    return client


@pytest.fixture
def tree():
    made = make_tree()
    for number in range(3):  # three more units below series A: four below it in all
        unit(f"kf-a-1-{number}", parent=made["file"], code=f"p{number}")
    return made


def job_of(response, user):
    return jobs.Job.get(response["Location"].rstrip("/").rsplit("/", 1)[1], user)


def wait(job):
    run_queued_tasks()
    for _ in range(400):
        if job.status["state"] != jobs.RUNNING:
            return job.status
        time.sleep(0.05)
    raise AssertionError("the job is still running")


def page(response):
    return html.unescape(response.content.decode())


def test_a_move_above_the_inline_limit_runs_in_the_background_and_its_page_reaches_done(client, archivist, tree):
    response = client.post(reverse("admin:catalog_item_move", args=[tree["a"].pk]), {"parent": "kf-b", "confirm": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:catalog_item_arrangements") + "jobs/")
    job = job_of(response, archivist)
    status = wait(job)
    assert status["state"] == jobs.DONE, status["message"]
    assert status["total"] == 5 and status["done"] == 5  # the progress callback saw every unit below

    done = client.get(response["Location"])
    shown = page(done)
    assert MOVE_STARTED % {"unit": "kf-a"} in shown
    assert "Done: 6 units are up to date, and the reference code is now NO ARKIV KF/B/A." in shown
    assert 'http-equiv="refresh"' not in shown
    logged = LogEntry.objects.filter(object_id=str(tree["a"].pk), user=archivist)
    assert list(logged.values_list("change_message", flat=True)) == ["Moved from KF/A to KF/B/A."]
    assert fresh(tree["a"]).parent_id == tree["b"].pk
    assert fresh(tree["note"]).reference == "KF/B/A/1/7"
    assert set(Item.objects.filter(reference__startswith="KF/B/A").values_list("identifier", flat=True)) == {
        "kf-a", "kf-a-1", "note-0924", "kf-a-1-0", "kf-a-1-1", "kf-a-1-2",
    }


def latest_version(item):
    return Version.objects.get_for_object(item).select_related("revision__change_set", "revision__user").first()


def test_a_background_move_is_a_change_set_of_the_unit_history_in_the_name_of_who_started_it(client, archivist, tree):
    response = client.post(reverse("admin:catalog_item_move", args=[tree["a"].pk]), {"parent": "kf-b", "confirm": "yes"})
    assert wait(job_of(response, archivist))["state"] == jobs.DONE

    version = latest_version(tree["a"])
    assert version is not None and version.revision.user == archivist
    assert version.revision.change_set.source == ChangeSet.ADMIN
    assert version.revision.change_set.detail == "Moved from KF/A to KF/B/A."
    assert version.field_dict["parent_id"] == tree["b"].pk


def test_a_refused_background_move_records_no_change_set(archivist, tree):
    job = jobs.Job.create(user=archivist, unit=tree["a"], description="Moving")
    unit("kf-b-a", parent=tree["b"], code="A")
    job.enqueue("move", unit_pk=tree["a"].pk, parent_pk=tree["b"].pk, user_pk=archivist.pk, log="Moved from KF/A")
    assert wait(job)["state"] == jobs.FAILED
    assert latest_version(tree["a"]) is None


def test_a_move_at_or_below_the_limit_is_done_in_the_request(client, tree, settings):
    settings.ARKIV_MOVE_INLINE_UNITS = 5  # the file and its four units
    response = client.post(reverse("admin:catalog_item_move", args=[tree["file"].pk]), {"parent": "kf-b", "confirm": "yes"})
    assert response["Location"] == views.tree_url(tree["file"])
    assert fresh(tree["note"]).reference == "KF/B/1/7"


def test_the_progress_page_refreshes_itself_while_the_job_runs(client, archivist, tree):
    job = jobs.Job.create(user=archivist, unit=tree["a"], description="Moving kf-a (KF/A) to KF/B/A")
    job.progress(1000, 4000)

    shown = page(client.get(views.job_url(job)))

    assert '<meta http-equiv="refresh" content="2">' in shown
    assert '<progress value="25" max="100">' in shown
    assert "1000 of the 4000 units below done (25%)." in shown
    assert "Moving kf-a (KF/A) to KF/B/A" in shown


def test_a_stalled_job_says_that_nothing_was_changed(client, archivist, tree, settings):
    job = jobs.Job.create(user=archivist, unit=tree["a"], description="Moving")
    (job.folder / "heartbeat").touch()  # a worker took it, and then beat no more
    settings.ARKIV_TASK_STALLED_SECONDS = -1
    shown = page(client.get(views.job_url(job)))
    assert str(views.STALLED) in shown and 'http-equiv="refresh"' not in shown


def test_a_job_no_worker_has_taken_yet_says_it_waits_for_one(client, archivist, tree):
    job = jobs.Job.create(user=archivist, unit=tree["a"], description="Moving")
    shown = page(client.get(views.job_url(job)))
    assert "Waiting for the task worker" in shown and '<meta http-equiv="refresh" content="2">' in shown


def test_a_job_page_is_seen_only_by_whoever_started_it(client, tree):
    other = User.objects.create_superuser("other")
    job = jobs.Job.create(user=other, unit=tree["a"], description="Moving")
    assert client.get(views.job_url(job)).status_code == HTTPStatus.NOT_FOUND


def test_a_refused_background_move_says_why_and_changes_nothing(client, archivist, tree):
    """The place is checked again when the job runs: here another unit took the code meanwhile."""
    job = jobs.Job.create(user=archivist, unit=tree["a"], description="Moving")
    unit("kf-b-a", parent=tree["b"], code="A")
    job.enqueue("move", unit_pk=tree["a"].pk, parent_pk=tree["b"].pk, user_pk=archivist.pk, log="Moved from KF/A")
    assert wait(job)["state"] == jobs.FAILED
    shown = page(client.get(views.job_url(job)))
    assert "The reference code KF/B/A is already kf-b-a's" in shown
    assert not LogEntry.objects.filter(object_id=str(tree["a"].pk)).exists()
    assert fresh(tree["a"]).parent_id == tree["fonds"].pk and fresh(tree["note"]).reference == "KF/A/1/7"


def test_a_new_local_code_on_the_form_of_a_large_unit_is_carried_down_in_the_background(client, archivist, tree):
    change = reverse("admin:catalog_item_change", args=[tree["a"].pk])
    data = form_data(client.get(change))
    data["local_code"] = "AA"
    data["arrangement"] = "Chronological."

    response = client.post(change, data)

    assert response.status_code == HTTPStatus.FOUND
    job = job_of(response, archivist)
    assert wait(job)["state"] == jobs.DONE, job.status["message"]
    series = fresh(tree["a"])
    assert (series.local_code, series.arrangement) == ("AA", "Chronological.")
    assert fresh(tree["note"]).reference == "KF/AA/1/7"
    assert "Saved kf-a. The change is being carried to the 5 units below it" in page(client.get(response["Location"]))
    version = latest_version(series)
    assert version.revision.user == archivist and version.field_dict["local_code"] == "AA"


def test_withdrawing_a_large_unit_on_its_form_hides_its_subtree_in_the_background(client, archivist, tree):
    change = reverse("admin:catalog_item_change", args=[tree["a"].pk])
    data = form_data(client.get(change))
    data["status"] = Item.WITHDRAWN

    response = client.post(change, data)

    job = job_of(response, archivist)
    assert wait(job)["state"] == jobs.DONE, job.status["message"]
    assert fresh(tree["a"]).status == Item.WITHDRAWN
    assert not Item.objects.published().filter(reference__startswith="KF/A").exists()
    assert Tombstone.objects.filter(identifier="note-0924").exists()


def test_a_small_unit_is_changed_in_the_request(client, tree):
    change = reverse("admin:catalog_item_change", args=[tree["b"].pk])
    data = form_data(client.get(change))
    data["local_code"] = "BB"
    response = client.post(change, data)
    assert response["Location"] == reverse("admin:catalog_item_changelist")
    assert fresh(tree["b"]).reference == "KF/BB"
