"""An import the admin runs over several requests: upload, plan, confirmation, summary.

Each job is a folder under ARKIV_IMPORT_DIR named by an unguessable token: the uploaded CSV,
the files uploaded with it, the plan (a PlanStore) and status.json, which says what the job is
doing and how far it has got. Keeping all of it on disk rather than in the session lets any
worker process serve the next request, and lets a large file be planned or applied by a task
(catalog.tasks.run_import) while the browser polls the progress: the task is stored in the
database (or Redis) when the request commits, so it outlives a restart of the web server, and an
import confirmed while no task worker runs is applied when one starts. Progress and results stay
in the job's folder rather than in the task's result: the admin pages read them there whichever
backend runs the task, and a plan is far larger than a task result should be.

Applying is one transaction: a worker killed in the middle leaves the catalogue as it was (or,
killed after the commit, complete). Its job then stops beating (catalog.background) and its page
says so and offers to read the file again, which plans it afresh against the catalogue as it is.

Messages (errors, notes, the result) are stored as text, so they are written in the language of
the archivist who uploaded the file: status.json keeps that language, and planning and applying
run in it (translation.override), in a task as in the request. One language for
both also keeps the plan's fingerprint, which covers the messages, the same from preview to
confirmation.

A job holds unpublished data, so ARKIV_IMPORT_DIR and every folder in it are open to their owner
only (0700) and every file is readable and writable by its owner only (0600), whatever the umask.
"""
import json
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import background, imaging
from ..busy import is_busy
from .csv import import_csv
from .ead import import_ead, safe as ead
from .plan import Options
from .store import PlanStore, new_private_folder, private_file, remove_old_folders

logger = logging.getLogger(__name__)

PLANNING, PLANNED, APPLYING, APPLIED, FAILED = "planning", "planned", "applying", "applied", "failed"
RUNNING = {PLANNING, APPLYING}
TOKEN_BYTES = 18
KEEP_SECONDS = 7 * 24 * 3600
"""Jobs older than this are removed when a new one starts."""

CRASHED = _("The import stopped with an unexpected error ({error}); nothing was changed. Try again, or tell the administrator.")
STALLED = _(
    "The task worker stopped while it worked on this file (it was stopped or its machine restarted). "
    "A confirmed import is saved whole or not at all: read the file again to see what is left to do."
)
TASK_FAILED = _(
    "The task stopped with an unexpected error (%(error)s) before it could begin; nothing was changed. "
    "Start it again, or tell the administrator."
)
BUSY = _(
    "Another import was saving to the catalogue at the same time, so this one could not: nothing was "
    "changed. Confirm it again in a minute."
)


class Job:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.token = self.folder.name

    # --- finding and making jobs --------------------------------------------------------

    @staticmethod
    def root():
        return Path(settings.ARKIV_IMPORT_DIR)

    @classmethod
    def get(cls, token, user):
        """The job `token` of `user`, or None: a job is seen only by whoever uploaded it."""
        if not token.replace("-", "").replace("_", "").isalnum():
            return None
        job = cls(cls.root() / token)
        if not (job.folder / "status.json").is_file() or job.status.get("user") != user.pk:
            return None
        return job

    @classmethod
    def create(cls, *, user, upload, files=(), create_authorities=False, accept_unreadable_dates=False, fonds_identifier=""):
        """A new job holding the uploaded CSV (or EAD file) and files; nothing is planned yet."""
        cls._remove_old()
        job = cls(new_private_folder(cls.root(), TOKEN_BYTES))
        (job.folder / "files").mkdir(mode=0o700)
        os.chmod(job.folder / "files", 0o700)  # mkdir's mode passes through the umask
        _write_private(job.folder / "source.csv", upload.chunks())
        for uploaded in files:
            _write_private(job.folder / "files" / imaging.clean_name(uploaded.name), uploaded.chunks())
        job._write_status({
            "user": user.pk, "file_name": upload.name, "size": job.source.stat().st_size,
            "files": len(files), "create_authorities": create_authorities,
            "accept_unreadable_dates": accept_unreadable_dates, "state": PLANNING,
            "progress": 0, "created": time.time(), "language": translation.get_language(),
            "fonds_identifier": fonds_identifier,
        })
        return job

    @classmethod
    def _remove_old(cls):
        remove_old_folders(cls.root(), KEEP_SECONDS)

    # --- state ----------------------------------------------------------------------------

    @property
    def source(self):
        return self.folder / "source.csv"

    @property
    def status(self):
        return json.loads((self.folder / "status.json").read_text())

    def _write_status(self, status):
        scratch = self.folder / "status.json.new"
        _write_private(scratch, [json.dumps(status).encode()])
        os.replace(scratch, self.folder / "status.json")  # readers never see half a file

    def update(self, **changes):
        with _status_lock:
            self._write_status({**self.status, **changes})

    def store(self):
        return PlanStore(self.folder / "plan.sqlite3")

    def options(self, user, skip_bad_rows=False):
        files = self.folder / "files"
        return Options(
            create_authorities=self.status["create_authorities"], skip_bad_rows=skip_bad_rows,
            accept_unreadable_dates=self.status.get("accept_unreadable_dates", False),
            files_dir=files if any(files.iterdir()) else None, user=user,
        )

    # --- running --------------------------------------------------------------------------

    task_name = "run_import"
    """The task of catalog.tasks that runs this kind of job."""

    def plan(self, *, user, background=False):
        self.update(state=PLANNING, progress=0, message="")
        self._start(background, user=user, apply=False)

    def apply(self, *, user, skip_bad_rows=False, background=False):
        """Apply the plan the user saw; False if the job is busy or not ready for it."""
        claim = self.folder / "applying.lock"
        try:
            private_file(claim, exclusive=True)  # one confirmation wins a double click
        except FileExistsError:
            return False
        if self.status["state"] != PLANNED:
            claim.unlink()
            return False
        self.update(state=APPLYING, progress=0, message="")
        self._start(background, user=user, apply=True, skip_bad_rows=skip_bad_rows)
        return True

    def _start(self, in_background, *, user, **kwargs):
        if not in_background:
            self._run(user=user, **kwargs)
            return
        from .. import tasks  # tasks wraps this engine

        background.forget_heartbeat(self.folder)
        background.enqueue(getattr(tasks, self.task_name), self.token, user.pk, folder=self.folder, **kwargs)

    @classmethod
    def run_task(cls, token, user_pk, **kwargs):
        """The task's work (catalog.tasks): run the job `token` of user `user_pk`, beating while it
        runs. A job removed meanwhile (after a week) or of a user since deleted is skipped."""
        job = cls(cls.root() / token)
        user = get_user_model().objects.filter(pk=user_pk).first()
        if user is None or not (job.folder / "status.json").is_file():
            logger.warning("Job %s is gone, or its user; nothing to do", token)
            return
        with background.beating(job.folder):
            try:
                job._run(user=user, **kwargs)
            except Exception as error:  # _run says why on the job; this is what it could not (a
                # stopped worker, SystemExit, leaves it to stall: its page offers to start it again)
                with translation.override(job.status.get("language", settings.LANGUAGE_CODE)):
                    job.update(state=FAILED, message=str(CRASHED).format(error=error))
                (job.folder / "applying.lock").unlink(missing_ok=True)
                raise

    @property
    def waiting(self):
        """Queued, and no worker has started it yet."""
        return self.status["state"] in RUNNING and not background.started(self.folder) and not self.failure

    @property
    def failure(self):
        """The error class a task failed with before the job could say why, or None."""
        return background.failure(self.folder) if self.status["state"] in RUNNING else None

    @property
    def stalled(self):
        """Started by a worker that has since died (see the module's docstring), or failed before
        it could say why: either way the job can be started again."""
        return self.status["state"] in RUNNING and (background.stalled(self.folder) or bool(self.failure))

    @property
    def stalled_message(self):
        error = self.failure
        return TASK_FAILED % {"error": error} if error else STALLED

    def retry(self, *, user):
        """Plan a stalled job again, against the catalogue as it is now."""
        (self.folder / "applying.lock").unlink(missing_ok=True)
        self.plan(user=user, background=True)

    def _run(self, *, user, apply, skip_bad_rows=False):
        # A job made before jobs kept their language was planned in the default one.
        with translation.override(self.status.get("language", settings.LANGUAGE_CODE)):
            self._run_in_language(user=user, apply=apply, skip_bad_rows=skip_bad_rows)

    def _run_in_language(self, *, user, apply, skip_bad_rows):
        store = self.store()
        try:
            with self.source.open("rb") as stream:
                head = stream.read(64)
                stream.seek(0)
                if ead.looks_like_xml(head):  # an EAD finding aid: the same engine, behind its reader
                    result = import_ead(
                        stream, store=store, options=self.options(user, skip_bad_rows), apply=apply,
                        fonds_identifier=self.status.get("fonds_identifier", ""),
                        expected_digest=self.status.get("digest") if apply else None,
                        progress=lambda done: self.update(progress=int(done * self.status["size"])),
                    ).result
                else:
                    result = import_csv(
                        stream, store=store, options=self.options(user, skip_bad_rows), apply=apply,
                        expected_digest=self.status.get("digest") if apply else None,
                        progress=lambda done: self.update(progress=done),
                    )
        except Exception as error:  # the transaction is undone: say so on the job's page
            if apply and is_busy(error):  # waited DATABASE_LOCK_TIMEOUT for the write lock
                self.update(state=PLANNED, message=str(BUSY))
                return
            logger.exception("Import %s failed", self.token)
            self.update(state=FAILED, message=CRASHED.format(error=error))
            return
        finally:
            store.close()
            (self.folder / "applying.lock").unlink(missing_ok=True)
        self.update(
            state=APPLIED if result.applied else PLANNED, progress=self.status["size"],
            digest=result.digest, result=result.as_json(), message=result.message,
        )


def _write_private(path, chunks):
    """Write the byte strings of `chunks` to `path`, which is made private before any is written."""
    private_file(path)
    with path.open("wb") as target:
        for chunk in chunks:
            target.write(chunk)


_status_lock = threading.Lock()
