"""Background jobs of the arrangement: state and progress on disk, private, one per unit at a time,
and every way a job can end (done, refused, busy, crashed) written down for its page."""
import os
import stat
import time

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import OperationalError

from catalog.arrangement import jobs
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _job_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "jobs"


@pytest.fixture
def user():
    return User.objects.create_user("archivist", is_staff=True)


@pytest.fixture
def unit():
    return ItemFactory(identifier="kf-a")


def test_a_job_reports_its_progress_and_its_result(user, unit):
    job = jobs.Job.create(user=user, unit=unit, description="Moving kf-a")
    assert (job.status["state"], job.percent) == (jobs.RUNNING, 0)

    def work(progress):
        progress(500, 2000)
        assert job.percent == 25
        return {"count": 2001}

    job.start(work)
    assert (job.status["state"], job.status["result"], job.percent) == (jobs.DONE, {"count": 2001}, 100)


def test_a_refusal_is_written_as_the_archivist_would_read_it(user, unit):
    job = jobs.Job.create(user=user, unit=unit, description="Moving kf-a")

    def refused(progress):
        raise ValidationError({"parent": ValidationError("Choose a unit outside it.")})

    job.start(refused)
    assert (job.status["state"], job.status["message"]) == (jobs.FAILED, "Choose a unit outside it.")


def test_a_busy_database_and_a_crash_are_reported_and_nothing_else(user, unit):
    class Busy(Exception):
        sqlite_errorcode = 5  # SQLITE_BUSY
        sqlstate = "55P03"

    def busy(progress):
        try:
            raise Busy()
        except Busy as cause:
            raise OperationalError("database is locked") from cause

    job = jobs.Job.create(user=user, unit=unit, description="Moving kf-a")
    job.start(busy)
    assert job.status["message"] == str(jobs.BUSY)

    def crash(progress):
        raise RuntimeError("disk on fire")

    job = jobs.Job.create(user=user, unit=unit, description="Moving kf-a")
    job.start(crash)
    assert job.status["message"] == jobs.CRASHED % {"error": "disk on fire"}


def test_only_the_starter_finds_a_job(user, unit):
    job = jobs.Job.create(user=user, unit=unit, description="Moving kf-a")
    other = User.objects.create_user("other", is_staff=True)
    assert jobs.Job.get(job.token, user).folder == job.folder
    assert jobs.Job.get(job.token, other) is None
    assert jobs.Job.get("../../etc", user) is None


def test_a_running_job_is_found_for_its_unit_until_it_ends_or_stalls(user, unit, settings):
    job = jobs.Job.create(user=user, unit=unit, description="Moving kf-a")
    assert jobs.Job.running_for(unit.pk).folder == job.folder and job.waiting and not job.stalled
    assert jobs.Job.running_for(unit.pk + 1) is None
    (job.folder / "heartbeat").touch()  # a worker took it
    assert not job.waiting and not job.stalled
    settings.ARKIV_TASK_STALLED_SECONDS = -1  # and has not beaten since
    assert job.stalled and jobs.Job.running_for(unit.pk) is None
    settings.ARKIV_TASK_STALLED_SECONDS = 60
    job.start(lambda progress: {})
    assert jobs.Job.running_for(unit.pk) is None


def test_a_job_is_private_to_the_servers_user(user, unit):
    job = jobs.Job.create(user=user, unit=unit, description="Moving kf-a")
    job.progress(1, 2)
    assert stat.S_IMODE(os.stat(job.folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(jobs.Job.root()).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(job.folder / "status.json").st_mode) == 0o600


def test_old_jobs_are_removed_when_a_new_one_starts(user, unit):
    old = jobs.Job.create(user=user, unit=unit, description="Moving kf-a")
    week_ago = time.time() - jobs.KEEP_SECONDS - 60
    os.utime(old.folder, (week_ago, week_ago))
    jobs.Job.create(user=user, unit=unit, description="Moving kf-a again")
    assert not old.folder.exists()
