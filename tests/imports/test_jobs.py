import os
import stat
import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.imports import jobs
from catalog.models import Item
from tests.locks import database_held_by_another_writer
from tests.task_worker import run_queued_tasks

from .conftest import image_bytes

# The task worker sees only committed rows, as one in a process of its own would.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor():
    # Not the Editor group: a transactional test empties the tables the migrations filled.
    return User.objects.create_superuser("editor")


def wait(job, *states):
    run_queued_tasks()
    for _ in range(300):
        if job.status["state"] in states:
            return job.status
        time.sleep(0.05)
    raise AssertionError(f"the job stayed {job.status['state']}")


def new_job(user, text, files=()):
    upload = SimpleUploadedFile("items.csv", text.encode())
    return jobs.Job.create(user=user, upload=upload, files=files)


def test_a_job_plans_and_applies_in_the_background(editor):
    rows = "".join(f"kir-{n:04d},Text,Letter {n}\n" for n in range(2500))
    job = new_job(editor, "identifier,type,dc:title\n" + rows)

    job.plan(user=editor, background=True)
    status = wait(job, jobs.PLANNED)
    assert status["result"]["counts"]["create"] == 2500
    assert status["progress"] == status["size"]
    assert not Item.objects.exists()

    assert job.apply(user=editor, background=True)
    status = wait(job, jobs.APPLIED)
    assert status["result"]["applied"] and Item.objects.count() == 2500


def test_a_job_cannot_be_applied_twice_or_before_it_is_planned(editor):
    job = new_job(editor, "identifier,type\nkir-1,Text\n")
    assert not job.apply(user=editor)  # still planning
    job.plan(user=editor)
    assert job.apply(user=editor)
    assert not job.apply(user=editor)
    assert Item.objects.count() == 1


def test_a_job_keeps_the_files_uploaded_with_it_under_their_own_names(editor):
    upload = SimpleUploadedFile("../../scan.png", image_bytes())
    job = new_job(editor, "identifier,type,files\nkir-1,Text,scan.png\n", files=[upload])
    assert (job.folder / "files" / "scan.png").is_file()
    job.plan(user=editor)
    assert job.status["result"]["counts"]["create"] == 1


def test_only_the_uploader_finds_a_job(editor):
    job = new_job(editor, "identifier,type\nkir-1,Text\n")
    other = User.objects.create_user("other", is_staff=True)
    assert jobs.Job.get(job.token, editor).folder == job.folder
    assert jobs.Job.get(job.token, other) is None
    assert jobs.Job.get("../etc", editor) is None


def test_a_crash_is_reported_on_the_job_and_changes_nothing(editor, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "import_csv", explode)
    job = new_job(editor, "identifier,type\nkir-1,Text\n")
    job.plan(user=editor)
    assert job.status["state"] == jobs.FAILED
    assert "database went away" in job.status["message"]


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_an_import_folder_is_open_to_its_owner_only_whatever_the_umask(editor, umask):
    # It holds unpublished data: the upload, its files, the plan, the job's state.
    previous = os.umask(umask)
    try:
        job = new_job(editor, "identifier,type\nkir-1,Text\n", files=[SimpleUploadedFile("scan.png", image_bytes())])
        job.plan(user=editor)
        assert job.apply(user=editor)
    finally:
        os.umask(previous)

    assert job.status["state"] == jobs.APPLIED
    root = jobs.Job.root()
    found = {path.relative_to(root).as_posix(): stat.S_IMODE(path.stat().st_mode) for path in [root, *root.rglob("*")]}
    assert {".", job.token, f"{job.token}/files", f"{job.token}/files/scan.png", f"{job.token}/source.csv",
            f"{job.token}/plan.sqlite3", f"{job.token}/status.json"} <= found.keys()
    assert found == {name: 0o700 if (root / name).is_dir() else 0o600 for name in found}


def test_an_import_that_cannot_get_the_write_lock_may_be_confirmed_again(editor):
    # Another import (here, another connection) holds the lock for longer than the wait.
    job = new_job(editor, "identifier,type\nkir-1,Text\n")
    job.plan(user=editor)
    with database_held_by_another_writer():
        assert job.apply(user=editor)
    assert job.status["state"] == jobs.PLANNED and job.status["message"] == jobs.BUSY
    assert not Item.objects.exists()

    assert job.apply(user=editor)
    assert job.status["state"] == jobs.APPLIED and Item.objects.count() == 1
