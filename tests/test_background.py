"""catalog.background: a job's task is enqueued once the request commits, beats while a worker
runs it, and a job whose task stopped beating, or failed before the job could say why, can be
told from one still waiting for a worker."""
import os
import stat
import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from catalog import background, tasks
from catalog.imports import jobs
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"
    user = User.objects.create_superuser("archivist")
    made = jobs.Job.create(user=user, upload=SimpleUploadedFile("items.csv", b"identifier,type\nkir-1,Text\n"))
    made.user = user
    return made


def test_a_task_is_enqueued_only_when_the_transaction_commits(job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job.plan(user=job.user, background=True)
    assert not (job.folder / background.TASK).exists() and len(callbacks) == 1
    callbacks[0]()
    assert (job.folder / background.TASK).read_text()  # the task's id, kept with the job
    assert stat.S_IMODE((job.folder / background.TASK).stat().st_mode) == 0o600  # a job's files are private
    assert job.waiting and not job.stalled


def test_a_task_beats_while_it_runs_and_stops_when_it_ends(tmp_path, monkeypatch):
    monkeypatch.setattr(background, "HEARTBEAT_SECONDS", 0.05)
    with background.beating(tmp_path):
        first = (tmp_path / background.HEARTBEAT).stat().st_mtime_ns
        assert stat.S_IMODE((tmp_path / background.HEARTBEAT).stat().st_mode) == 0o600
        for _ in range(200):  # a busy machine may give the thread its turn late
            time.sleep(0.05)
            if (tmp_path / background.HEARTBEAT).stat().st_mtime_ns > first:
                break
        assert (tmp_path / background.HEARTBEAT).stat().st_mtime_ns > first
    last = (tmp_path / background.HEARTBEAT).stat().st_mtime_ns
    time.sleep(0.2)
    assert (tmp_path / background.HEARTBEAT).stat().st_mtime_ns == last


def test_a_heartbeat_older_than_the_limit_means_the_worker_died(tmp_path, settings):
    assert not background.started(tmp_path) and not background.stalled(tmp_path)
    (tmp_path / background.HEARTBEAT).touch()
    assert background.started(tmp_path) and not background.stalled(tmp_path)
    old = time.time() - settings.ARKIV_TASK_STALLED_SECONDS - 5
    os.utime(tmp_path / background.HEARTBEAT, (old, old))
    assert background.stalled(tmp_path)


def test_a_task_that_fails_before_its_job_can_say_why_is_shown_with_its_error(job, django_capture_on_commit_callbacks):
    job.update(state=jobs.PLANNING)
    with django_capture_on_commit_callbacks(execute=True):  # a task its worker cannot call
        background.enqueue(tasks.run_import, job.token, job.user.pk, False, False, "one too many", folder=job.folder)

    [failed] = run_queued_tasks()

    assert failed.status == "FAILED"
    assert job.failure == "builtins.TypeError" and job.stalled and not job.waiting
    client = Client()
    client.force_login(job.user)
    page = client.get(f"/admin/catalog/item/import/{job.token}/").content.decode()
    assert "The task stopped with an unexpected error (builtins.TypeError) before it could begin" in page
    assert 'name="retry"' in page

    client.post(f"/admin/catalog/item/import/{job.token}/", {"retry": "yes"})  # planned afresh

    assert job.waiting and job.failure is None
