"""Arrangement work that outlives a request: a move, or a change carried down a large subtree, run
as a task (catalog.tasks.run_arrangement) while a page shows its progress.

A job is a folder under ARKIV_IMPORT_DIR/arrangement/ named by an unguessable token, holding one
file, status.json: who started it and for which unit, what it does (a sentence written in the
starter's language), its state (running, done, failed), how far it has got (`done` of `total`
units below) and when it last moved. Keeping it on disk rather than in memory lets any worker
process answer the progress page, as the CSV import's jobs do (catalog/imports/jobs.py, whose
approach this follows: the same folder, private files, a task stored when the request commits).

The work is one of catalog.arrangement.work.WORK, named with its arguments so that a task can be
stored (`enqueue`), or, inline, any callable (`start`); either is called as work(progress) with
progress(done, total), and it is one transaction (arrangement.move is atomic): a harvester sees
the subtree before or after, never half-moved, and a refusal, a busy database or a crash leaves
the catalogue as it was and says so on the job. If the worker dies while it works, the database
undoes the transaction; the task stops beating (catalog.background) and the job looks `stalled`.
"""
import json
import logging
import os
import threading
import time
from contextlib import suppress
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from catalog import background
from catalog.busy import is_busy
from catalog.imports.store import new_private_folder, private_file, remove_old_folders

logger = logging.getLogger(__name__)

RUNNING, DONE, FAILED = "running", "done", "failed"
FOLDER = "arrangement"
TOKEN_BYTES = 18
KEEP_SECONDS = 7 * 24 * 3600
"""Jobs older than this are removed when a new one starts."""

CRASHED = _("The change stopped with an unexpected error (%(error)s); nothing was changed. Try again, or tell the administrator.")
BUSY = _(
    "Another task was saving to the catalogue at the same time, so this change could not be made: "
    "nothing was changed. Try again in a minute."
)

_status_lock = threading.Lock()


class Job:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.token = self.folder.name

    # --- finding and making jobs --------------------------------------------------------

    @staticmethod
    def root():
        return Path(settings.ARKIV_IMPORT_DIR) / FOLDER

    @classmethod
    def get(cls, token, user):
        """The job `token` of `user`, or None: a job is seen only by whoever started it."""
        if not token or not token.replace("-", "").replace("_", "").isalnum():
            return None
        job = cls(cls.root() / token)
        if not (job.folder / "status.json").is_file() or job.status.get("user") != user.pk:
            return None
        return job

    @classmethod
    def create(cls, *, user, unit, description, **details):
        """A new running job about `unit`, described to its starter by `description`."""
        cls._remove_old()
        job = cls(new_private_folder(cls.root(), TOKEN_BYTES))
        with suppress(PermissionError):  # ARKIV_IMPORT_DIR, made by someone else
            os.chmod(cls.root().parent, 0o700)
        now = time.time()
        job._write_status({
            "user": user.pk, "unit": unit.pk, "description": str(description), "state": RUNNING,
            "done": 0, "total": None, "created": now, "updated": now,
            "language": translation.get_language(), "message": "", "result": {}, **details,
        })
        return job

    @classmethod
    def running_for(cls, unit_pk):
        """A job still running on the unit `unit_pk`, if there is one (a second confirmation of
        the same move, or an edit of a unit being moved, waits for it)."""
        root = cls.root()
        if not root.is_dir():
            return None
        for folder in root.iterdir():
            job = cls(folder)
            with suppress(OSError, ValueError):
                status = job.status
                if status.get("unit") == unit_pk and status.get("state") == RUNNING and not job.stalled:
                    return job
        return None

    @classmethod
    def _remove_old(cls):
        remove_old_folders(cls.root(), KEEP_SECONDS)

    # --- state ----------------------------------------------------------------------------

    @property
    def status(self):
        return json.loads((self.folder / "status.json").read_text())

    @property
    def stalled(self):
        """Started by a worker that has since died: it beats no more (catalog.background); or its
        task failed before the job could say why."""
        return self.status["state"] == RUNNING and (
            background.stalled(self.folder) or background.failure(self.folder) is not None
        )

    @property
    def waiting(self):
        """Queued, and no worker has started it yet."""
        return self.status["state"] == RUNNING and not background.started(self.folder) and not self.stalled

    @property
    def percent(self):
        status = self.status
        if status["state"] == DONE:
            return 100
        return int(100 * status["done"] / status["total"]) if status.get("total") else 0

    def _write_status(self, status):
        scratch = self.folder / "status.json.new"
        private_file(scratch)
        scratch.write_text(json.dumps(status))
        os.replace(scratch, self.folder / "status.json")  # readers never see half a file

    def update(self, **changes):
        with _status_lock:
            self._write_status({**self.status, **changes, "updated": time.time()})

    def progress(self, done, total):
        """The progress callback of arrangement.move and refresh_below."""
        self.update(done=done, total=total)

    # --- running --------------------------------------------------------------------------

    def enqueue(self, work, **arguments):
        """Run the work named `work` (catalog.arrangement.work.WORK) with `arguments` (JSON-able)
        as a task, once the current transaction commits."""
        from catalog import tasks  # tasks wraps this engine

        background.forget_heartbeat(self.folder)
        background.enqueue(tasks.run_arrangement, self.token, work, arguments, folder=self.folder)

    @classmethod
    def run_task(cls, token, work, arguments):
        """The task's work: run job `token`, beating while it runs. A job removed meanwhile (after
        a week) is skipped."""
        from .work import WORK

        job = cls(cls.root() / token)
        if not (job.folder / "status.json").is_file():
            logger.warning("Arrangement job %s is gone; nothing to do", token)
            return
        with background.beating(job.folder):
            job._run(partial(WORK[work], **arguments))

    def start(self, work):
        """Run work(progress) now, in this process; its return value, a dict, becomes the job's
        result."""
        self._run(work)

    def _run(self, work):
        with translation.override(self.status.get("language") or settings.LANGUAGE_CODE):
            try:
                result = work(self.progress)
            except ValidationError as error:  # refused as the form would refuse it: nothing changed
                self.update(state=FAILED, message=" ".join(error.messages))
            except Exception as error:  # the transaction is undone: say so on the job's page
                if is_busy(error):
                    self.update(state=FAILED, message=str(BUSY))
                else:
                    logger.exception("Arrangement job %s failed", self.token)
                    self.update(state=FAILED, message=CRASHED % {"error": error})
            else:
                status = self.status
                self.update(state=DONE, done=status.get("total") or status["done"], result=result or {})
