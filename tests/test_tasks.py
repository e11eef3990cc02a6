"""Long work as tasks (catalog/tasks.py), with real workers in processes of their own: what is
enqueued lives in the database, not in a thread of the web server, so it outlives the web server;
it waits for a worker; a worker killed in the middle leaves the catalogue unchanged or complete,
and the job can be started again; a failure says why, in the archivist's language, and changes
nothing; progress shows while it runs. One test runs the RQ backend over the local Redis with a
real rq worker.

On SQLite the test database lives in this process's memory: `Shared` copies it to a file for the
processes (push) and back (pull). On PostgreSQL both are the same database already.
"""
import html
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from catalog import background
from catalog.history.models import ChangeSet
from catalog.imports import batch_jobs, jobs
from catalog.models import Authority, Item, Statement
from tests.factories import AuthorityFactory, ItemFactory
from tests.imports.test_admin_during_import import Admin, _answers, free_port
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-test-passphrase"
TIMEOUT = 180  # seconds: only so that a hung process fails the test instead of hanging it
REDIS_TEST_URL = "redis://127.0.0.1:6379/14"


class Shared:
    """The test database as other processes reach it (see the module's docstring)."""

    def __init__(self, tmp_path):
        if connection.vendor == "postgresql":
            s = connection.settings_dict
            credentials = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            self.url, self.path = f"postgres://{credentials}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}", None
        else:
            self.path = tmp_path / "catalogue.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def push(self):
        if self.path:
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            target.close()

    def pull(self):
        if self.path:
            source = sqlite3.connect(self.path)
            source.backup(connection.connection)
            source.close()


@pytest.fixture
def world(tmp_path, settings):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"
    user = User.objects.create_superuser("archivist", password=PASSWORD)
    shared = Shared(tmp_path)
    environment = {
        "PATH": "/usr/bin:/bin", "DATABASE_URL": shared.url, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ARKIV_IMPORT_DIR": str(settings.ARKIV_IMPORT_DIR), "ARKIV_IMPORT_BACKGROUND_BYTES": "0",
    }
    processes, log = [], (tmp_path / "processes.log").open("w")

    def start(*arguments, **extra):
        process = subprocess.Popen([sys.executable, *arguments], cwd=ROOT, env={**environment, **extra},
                                   stdout=log, stderr=log, start_new_session=True)
        processes.append(process)
        return process

    yield type("World", (), {"user": user, "shared": shared, "start": start, "tmp_path": tmp_path})
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=TIMEOUT)
    log.close()


def worker(world, *options):
    return world.start("manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1", "--no-reload", *options)


def web_server(world, port):
    return world.start("-m", "gunicorn", "archive.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1")


def wait_for(condition, what, process=None):
    for _ in range(TIMEOUT * 100):
        if condition():
            return
        if process is not None and process.poll() is not None and not condition():
            raise AssertionError(f"{what}: the process ended first (exit {process.returncode})")
        time.sleep(0.01)
    raise AssertionError(f"{what}: still waiting after {TIMEOUT} s")


def planned_job(user, rows):
    text = "identifier,type,dc:title@en,dc:description@en\n" + "".join(
        f"kir-{n:05d},Text,Letter {n},Sent from Kirkenes on day {n}\n" for n in range(rows)
    )
    job = jobs.Job.create(user=user, upload=SimpleUploadedFile("items.csv", text.encode()))
    job.plan(user=user)  # small enough for the request
    assert job.status["state"] == jobs.PLANNED, job.status
    return job


def page(client, job):
    return html.unescape(client.get(f"/admin/catalog/item/import/{job.token}/").content.decode())


def test_an_import_confirmed_while_no_worker_runs_outlives_the_web_server_and_is_applied_when_a_worker_starts(world):
    job = planned_job(world.user, 40)
    world.shared.push()
    port = free_port()
    server = web_server(world, port)
    admin = Admin(f"http://127.0.0.1:{port}")
    wait_for(lambda: _answers(admin.base), "the web server to start", server)
    assert admin.login().status_code == 302
    address = f"{admin.base}/admin/catalog/item/import/{job.token}/"
    preview = admin.http.get(address, timeout=TIMEOUT).text
    token = preview.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    confirmed = admin.http.post(address, data={"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=TIMEOUT)

    assert confirmed.status_code == 302
    waiting = admin.http.get(address, timeout=TIMEOUT).text
    assert "Waiting for the task worker" in waiting and 'http-equiv="refresh"' in waiting
    os.killpg(server.pid, signal.SIGKILL)  # the web server dies; the task is in the database
    server.wait(timeout=TIMEOUT)
    assert jobs.Job.get(job.token, world.user).status["state"] == jobs.APPLYING

    finished = worker(world, "--batch")  # a worker starts: it takes the waiting task, then stops
    assert finished.wait(timeout=TIMEOUT) == 0

    assert jobs.Job.get(job.token, world.user).status["state"] == jobs.APPLIED
    server = web_server(world, port)
    wait_for(lambda: _answers(admin.base), "the web server to start again", server)
    summary = admin.http.get(address, timeout=TIMEOUT).text  # the same session: it is in the database
    assert "Imported items.csv" in html.unescape(summary)
    world.shared.pull()
    assert Item.objects.filter(identifier__startswith="kir-").count() == 40
    [task] = DBTaskResult.objects.filter(task_path="catalog.tasks.run_import")
    assert task.status == "SUCCESSFUL"


def test_a_worker_killed_while_it_writes_leaves_the_catalogue_unchanged_or_complete_and_the_job_can_be_run_again(world, settings):
    rows = 8000
    job = planned_job(world.user, rows)
    client = Client()
    client.force_login(world.user)
    assert job.apply(user=world.user, background=True)
    world.shared.push()
    running = worker(world)
    size = job.status["size"]

    # Progress shows while it plans again; the worker is killed once every row is planned, as
    # it writes them in one transaction.
    wait_for(lambda: 0 < job.status["progress"] < size, "the worker to plan the rows", running)
    shown = page(client, job)
    assert "Saving the changes of items.csv" in shown and '<progress value="0"' not in shown
    wait_for(lambda: job.status["progress"] == size or job.status["state"] != jobs.APPLYING, "the rows to be planned", running)
    os.killpg(running.pid, signal.SIGKILL)
    running.wait(timeout=TIMEOUT)

    world.shared.pull()
    made = Item.objects.filter(identifier__startswith="kir-").count()
    assert made in (0, rows)  # never half of it
    if job.status["state"] == jobs.APPLYING:  # killed before it could say it was done
        settings.ARKIV_TASK_STALLED_SECONDS = 0.5
        time.sleep(1)
        assert job.stalled
        shown = page(client, job)
        assert str(jobs.STALLED) in shown and "Start it again" in shown and 'http-equiv="refresh"' not in shown
        response = client.post(f"/admin/catalog/item/import/{job.token}/", {"retry": "yes"})
        assert response.status_code == 302 and job.waiting
        world.shared.push()
        assert worker(world, "--batch").wait(timeout=TIMEOUT) == 0
        world.shared.pull()
        assert job.status["state"] == jobs.PLANNED
        counts = job.status["result"]["counts"]
        assert (counts["create"], counts["unchanged"]) == ((rows, 0) if made == 0 else (0, rows))
        if made == 0:
            assert job.apply(user=world.user, background=True)
            world.shared.push()
            assert worker(world, "--batch").wait(timeout=TIMEOUT) == 0
            world.shared.pull()
            assert job.status["state"] == jobs.APPLIED
    assert Item.objects.filter(identifier__startswith="kir-").count() == rows


def test_a_failed_task_says_why_in_the_archivists_language_and_changes_nothing(world):
    job = planned_job(world.user, 5)
    jobs.Job(job.folder).update(language="nb")
    job.source.unlink()  # the uploaded file is gone by the time the worker applies it
    assert job.apply(user=world.user, background=True)

    run_queued_tasks()

    status = job.status
    assert status["state"] == jobs.FAILED
    assert status["message"].startswith("Importen stoppet på grunn av en uventet feil (")
    assert "source.csv" in status["message"]  # the cause, for the administrator
    client = Client()
    client.force_login(world.user)
    assert status["message"] in page(client, job)
    assert not Item.objects.filter(identifier__startswith="kir-").exists()


def test_the_rq_backend_runs_an_import_with_a_real_rq_worker_over_redis(world):
    queue = redis.Redis.from_url(REDIS_TEST_URL)
    queue.flushdb()  # a database of its own for this test: whatever an earlier run left
    job = planned_job(world.user, 12)
    world.shared.push()
    rq = {"ARKIV_TASKS": "rq", "REDIS_URL": REDIS_TEST_URL}
    confirm = (
        "from catalog.imports.jobs import Job; from django.contrib.auth.models import User; "
        f"user = User.objects.get(pk={world.user.pk}); job = Job.get({job.token!r}, user); "
        "assert job.apply(user=user, background=True)"
    )
    assert world.start("manage.py", "shell", "-c", confirm, **rq).wait(timeout=TIMEOUT) == 0
    assert queue.llen("rq:queue:default") == 1 and jobs.Job.get(job.token, world.user).waiting

    burst = world.start("manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "--burst", "default", **rq)

    assert burst.wait(timeout=TIMEOUT) == 0
    assert jobs.Job.get(job.token, world.user).status["state"] == jobs.APPLIED
    world.shared.pull()
    assert Item.objects.filter(identifier__startswith="kir-").count() == 12
    queue.flushdb()


# --- batch edits ------------------------------------------------------------------------------

def planned_batch_edit(client, monkeypatch, count, background_items):
    """A batch edit adding the subject War to `count` new items, planned and shown, not confirmed:
    (its preview's address, its digest). Selections above `background_items` go to a task."""
    from django.contrib.admin import helpers

    monkeypatch.setattr(batch_jobs, "BACKGROUND_ITEMS", background_items)
    AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War", slug="war")
    items = [ItemFactory(identifier=f"war-{n:03d}") for n in range(count)]
    selected = client.post("/admin/catalog/item/", {
        "action": "batch_edit", "index": "0", "select_across": "0", helpers.ACTION_CHECKBOX_NAME: [i.pk for i in items],
    })
    preview_url = client.post(selected["Location"], {"operation": "add_link", "term": "subject", "record": "war"})["Location"]
    return preview_url, client.get(preview_url).context["digest"]


def with_subject():
    return Statement.objects.filter(term="subject", authority__slug="war").count()


def test_a_large_batch_edit_is_applied_by_a_worker_after_the_request_as_one_change_set(world, monkeypatch):
    client = Client()
    client.force_login(world.user)
    preview_url, digest = planned_batch_edit(client, monkeypatch, 12, background_items=10)

    confirmed = client.post(preview_url, {"digest": digest})

    assert confirmed.status_code == 302 and confirmed["Location"] == preview_url
    waiting = html.unescape(client.get(preview_url).content.decode())
    assert "Saving the changes to 12 items" in waiting and "Waiting for the task worker" in waiting
    assert 'http-equiv="refresh"' in waiting and with_subject() == 0  # nothing until a worker runs it
    again = client.post(preview_url, {"digest": digest})  # a second click queues nothing more
    assert again.status_code == 302 and DBTaskResult.objects.filter(task_path="catalog.tasks.run_batch_edit").count() == 1

    world.shared.push()
    assert worker(world, "--batch").wait(timeout=TIMEOUT) == 0
    world.shared.pull()

    assert with_subject() == 12
    [change_set] = ChangeSet.objects.filter(source=ChangeSet.BATCH_EDIT)
    assert change_set.items == 12 and change_set.revision.user == world.user
    done = client.get(preview_url)
    assert done.status_code == 302 and done["Location"] == f"/admin/history/changeset/{change_set.pk}/undo/"
    [task] = DBTaskResult.objects.filter(task_path="catalog.tasks.run_batch_edit")
    assert task.status == "SUCCESSFUL" and task.return_value == 12


def test_a_small_batch_edit_is_applied_in_the_request(world, monkeypatch):
    client = Client()
    client.force_login(world.user)
    preview_url, digest = planned_batch_edit(client, monkeypatch, 3, background_items=10)

    confirmed = client.post(preview_url, {"digest": digest})

    [change_set] = ChangeSet.objects.filter(source=ChangeSet.BATCH_EDIT)
    assert confirmed["Location"] == f"/admin/history/changeset/{change_set.pk}/undo/" and with_subject() == 3
    assert not DBTaskResult.objects.exists()


def test_a_batch_edit_whose_task_fails_says_why_and_changes_nothing(world, monkeypatch):
    client = Client()
    client.force_login(world.user)
    preview_url, digest = planned_batch_edit(client, monkeypatch, 12, background_items=10)
    assert client.post(preview_url, {"digest": digest}).status_code == 302
    Authority.objects.filter(slug="war").delete()  # the record the edit adds goes before a worker comes

    [done] = run_queued_tasks()

    assert done.status == "SUCCESSFUL" and done.return_value is None
    assert not Statement.objects.filter(term="subject").exists() and not ChangeSet.objects.filter(source=ChangeSet.BATCH_EDIT).exists()
    shown = html.unescape(client.get(preview_url).content.decode())
    assert str(batch_jobs.EDIT_GONE) in shown and "Save these changes" in shown


def test_a_batch_edit_whose_worker_dies_is_stalled_and_can_be_confirmed_again(world, monkeypatch, settings):
    client = Client()
    client.force_login(world.user)
    preview_url, digest = planned_batch_edit(client, monkeypatch, 12, background_items=10)
    assert client.post(preview_url, {"digest": digest}).status_code == 302
    token = preview_url.rstrip("/").split("/")[-2]
    job = batch_jobs.BatchJob.get(token, world.user)
    (job.folder / background.HEARTBEAT).touch()  # a worker started it, and beat last two minutes ago
    os.utime(job.folder / background.HEARTBEAT, (time.time() - 120, time.time() - 120))
    settings.ARKIV_TASK_STALLED_SECONDS = 60

    shown = html.unescape(client.get(preview_url).content.decode())

    assert str(batch_jobs.STALLED) in shown and "Start it again" in shown and 'http-equiv="refresh"' not in shown
    assert client.post(preview_url, {"retry": "yes"}).status_code == 302
    again = html.unescape(client.get(preview_url).content.decode())
    assert str(batch_jobs.STALLED) in again and "Save these changes" in again  # the preview, said once
    assert with_subject() == 0


def test_a_large_change_set_is_undone_by_a_worker_after_the_request(world, monkeypatch):
    from catalog.history import undo_jobs

    client = Client()
    client.force_login(world.user)
    preview_url, digest = planned_batch_edit(client, monkeypatch, 12, background_items=100)
    undo_url = client.post(preview_url, {"digest": digest})["Location"]  # applied in the request
    assert with_subject() == 12
    monkeypatch.setattr(undo_jobs, "BACKGROUND_ITEMS", 10)

    assert client.post(undo_url).status_code == 302
    assert "Waiting for the task worker" in html.unescape(client.get(undo_url).content.decode())
    world.shared.push()
    assert worker(world, "--batch").wait(timeout=TIMEOUT) == 0
    world.shared.pull()

    assert with_subject() == 0
    [task] = DBTaskResult.objects.filter(task_path="catalog.tasks.undo_change_set")
    undone = ChangeSet.objects.get(source=ChangeSet.BATCH_EDIT).undone_by_id
    assert task.status == "SUCCESSFUL" and task.return_value == undone is not None
    assert f"Undone by change set #{undone}" in client.get(undo_url, follow=True).content.decode()
