"""An import the admin runs over several requests: upload, plan, confirmation, summary.

Each job is a folder under ARKIV_IMPORT_DIR named by an unguessable token: the uploaded CSV,
the files uploaded with it, the plan (a PlanStore) and status.json, which says what the job is
doing and how far it has got. Keeping all of it on disk rather than in the session lets any
worker process serve the next request, and lets a large file be planned or applied in a
background thread while the browser polls the progress.
"""
import json
import logging
import os
import secrets
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections

from .. import imaging
from .csv import import_csv
from .plan import Options
from .store import PlanStore

logger = logging.getLogger(__name__)

PLANNING, PLANNED, APPLYING, APPLIED, FAILED = "planning", "planned", "applying", "applied", "failed"
RUNNING = {PLANNING, APPLYING}
TOKEN_BYTES = 18
KEEP_SECONDS = 7 * 24 * 3600
"""Jobs older than this are removed when a new one starts."""

CRASHED = "The import stopped with an unexpected error ({error}); nothing was changed. Try again, or tell the administrator."


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
    def create(cls, *, user, upload, files=(), create_authorities=False, accept_unreadable_dates=False):
        """A new job holding the uploaded CSV and files; nothing is planned yet."""
        cls._remove_old()
        job = cls(cls.root() / secrets.token_urlsafe(TOKEN_BYTES))
        (job.folder / "files").mkdir(parents=True)
        with (job.folder / "source.csv").open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        for uploaded in files:
            with (job.folder / "files" / imaging.clean_name(uploaded.name)).open("wb") as target:
                for chunk in uploaded.chunks():
                    target.write(chunk)
        job._write_status({
            "user": user.pk, "file_name": upload.name, "size": job.source.stat().st_size,
            "files": len(files), "create_authorities": create_authorities,
            "accept_unreadable_dates": accept_unreadable_dates, "state": PLANNING,
            "progress": 0, "created": time.time(),
        })
        return job

    @classmethod
    def _remove_old(cls):
        root = cls.root()
        if not root.is_dir():
            return
        limit = time.time() - KEEP_SECONDS
        for folder in root.iterdir():
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)

    # --- state ----------------------------------------------------------------------------

    @property
    def source(self):
        return self.folder / "source.csv"

    @property
    def status(self):
        return json.loads((self.folder / "status.json").read_text())

    def _write_status(self, status):
        scratch = self.folder / "status.json.new"
        scratch.write_text(json.dumps(status))
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

    def plan(self, *, user, background=False):
        self.update(state=PLANNING, progress=0, message="")
        self._start(self._run, background, user=user, apply=False)

    def apply(self, *, user, skip_bad_rows=False, background=False):
        """Apply the plan the user saw; False if the job is busy or not ready for it."""
        claim = self.folder / "applying.lock"
        try:
            descriptor = os.open(claim, os.O_CREAT | os.O_EXCL)  # one confirmation wins a double click
        except FileExistsError:
            return False
        os.close(descriptor)
        if self.status["state"] != PLANNED:
            claim.unlink()
            return False
        self.update(state=APPLYING, progress=0, message="")
        self._start(self._run, background, user=user, apply=True, skip_bad_rows=skip_bad_rows)
        return True

    def _start(self, target, background, **kwargs):
        if not background:
            target(**kwargs)
            return
        thread = threading.Thread(target=self._in_thread, args=(target,), kwargs=kwargs, daemon=True)
        thread.start()

    @staticmethod
    def _in_thread(target, **kwargs):
        close_old_connections()
        try:
            target(**kwargs)
        finally:
            connections.close_all()

    def _run(self, *, user, apply, skip_bad_rows=False):
        store = self.store()
        try:
            with self.source.open("rb") as stream:
                result = import_csv(
                    stream, store=store, options=self.options(user, skip_bad_rows), apply=apply,
                    expected_digest=self.status.get("digest") if apply else None,
                    progress=lambda done: self.update(progress=done),
                )
        except Exception as error:  # the transaction is undone: say so on the job's page
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


_status_lock = threading.Lock()
