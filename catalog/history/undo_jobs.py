"""The undo of a large change set, run by a task.

An import or a batch edit of 20,000 items is undone item by item (undo.py: each put back as its
version before, in one transaction), which takes minutes: too long for a request, which a web
server would kill half way. So a change set of more than BACKGROUND_ITEMS items is undone by the
task catalog.tasks.undo_change_set, enqueued when the confirming request commits, as a large
import is applied (catalog.background: a worker runs it, never the web server; it beats while it
runs). The job's folder, ARKIV_IMPORT_DIR/undo/<change set>/<token>/, holds status.json: who asked,
in what language, and once the task ended, the number of the undoing change set or why it could
not be undone (translated in that language). The change set's page reads it: waiting, running,
stalled (its worker died: the undo is one transaction, so nothing was changed) with a button to
start it again, or the outcome, said once. Smaller change sets are undone in the request, as
before.
"""
import json
import logging
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import background
from ..busy import is_busy
from ..imports.store import new_private_folder, private_file
from .models import ChangeSet
from .undo import Blocked, undo

logger = logging.getLogger(__name__)

FOLDER = "undo"
TOKEN_BYTES = 18
BACKGROUND_ITEMS = 1_000
"""Change sets of up to this many items are undone in the request."""

RUNNING, DONE, FAILED = "running", "done", "failed"

CRASHED = _("The undo stopped with an unexpected error ({error}); nothing was changed. Try again, or tell the administrator.")
BUSY = _("An import or batch edit was saving to the catalogue at the same time, so the undo could not: nothing was changed. Try again in a minute.")
STALLED = _(
    "The task worker stopped while it undid this change set (it was stopped or its machine restarted). "
    "An undo is saved whole or not at all: start it again."
)
TASK_FAILED = _(
    "The task stopped with an unexpected error (%(error)s) before it could begin; nothing was changed. "
    "Start it again, or tell the administrator."
)


def in_background(change_set):
    return change_set.items > BACKGROUND_ITEMS


class UndoJob:
    def __init__(self, folder):
        self.folder = Path(folder)

    @staticmethod
    def root(change_set_pk):
        return Path(settings.ARKIV_IMPORT_DIR) / FOLDER / str(change_set_pk)

    @classmethod
    def of(cls, change_set_pk):
        """The change set's undo job, if one was started and its outcome not yet shown; else None."""
        root = cls.root(change_set_pk)
        if not root.is_dir():
            return None
        folders = [folder for folder in root.iterdir() if (folder / "status.json").is_file()]
        return cls(max(folders, key=lambda folder: folder.stat().st_mtime)) if folders else None

    @classmethod
    def start(cls, change_set, *, user):
        """Enqueue the undo of `change_set` once the request commits; the job, or the one
        already under way."""
        running = cls.of(change_set.pk)
        if running is not None and running.status["state"] == RUNNING:
            return running
        job = cls(new_private_folder(cls.root(change_set.pk), TOKEN_BYTES))
        job._write({"state": RUNNING, "change_set": change_set.pk, "user": user.pk,
                    "language": translation.get_language(), "message": "", "undoing": None})
        job._enqueue()
        return job

    def _enqueue(self):
        from .. import tasks  # tasks wraps this job

        background.forget_heartbeat(self.folder)
        background.enqueue(tasks.undo_change_set, self.folder.parent.name, self.folder.name, folder=self.folder)

    @property
    def status(self):
        return json.loads((self.folder / "status.json").read_text())

    def _write(self, status):
        scratch = self.folder / "status.json.new"
        private_file(scratch)
        scratch.write_text(json.dumps(status))
        os.replace(scratch, self.folder / "status.json")  # readers never see half a file

    def update(self, **changes):
        self._write({**self.status, **changes})

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- the task's side ------------------------------------------------------------------

    @classmethod
    def run_task(cls, change_set_pk, token):
        """The task's work (catalog.tasks.undo_change_set); returns the undoing change set's
        number, or None if it could not be undone (the job says why)."""
        job = cls(cls.root(change_set_pk) / token)
        if not (job.folder / "status.json").is_file():
            logger.warning("Undo job %s of change set %s is gone; nothing to do", token, change_set_pk)
            return None
        with background.beating(job.folder):
            try:
                return job._run()
            except Exception as error:  # what _run could not say (a stopped worker leaves it to stall)
                with translation.override(job.status.get("language") or settings.LANGUAGE_CODE):
                    job.update(state=FAILED, message=str(CRASHED).format(error=error))
                raise

    def _run(self):
        status = self.status
        user = get_user_model().objects.filter(pk=status["user"]).first()
        change_set = ChangeSet.objects.select_related("revision").filter(pk=status["change_set"]).first()
        with translation.override(status.get("language") or settings.LANGUAGE_CODE):
            try:
                if change_set is None:
                    raise ValidationError(_("The change set was deleted."))
                undoing = undo(revision=change_set.revision, user=user)
            except Blocked as blocked:
                self.update(state=FAILED, message=blocked.message())
                return None
            except (ValidationError, PermissionDenied) as error:
                self.update(state=FAILED, message=" ".join(str(m) for m in getattr(error, "messages", [str(error)])))
                return None
            except Exception as error:  # the transaction is undone: say so on the page
                if not is_busy(error):
                    logger.exception("Undo of change set %s failed", status["change_set"])
                self.update(state=FAILED, message=str(BUSY if is_busy(error) else CRASHED.format(error=error)))
                return None
        self.update(state=DONE, undoing=undoing.pk)
        return undoing.pk

    # --- what its page shows ----------------------------------------------------------------

    @property
    def waiting(self):
        return self.status["state"] == RUNNING and not background.started(self.folder) and not self.failure

    @property
    def failure(self):
        return background.failure(self.folder) if self.status["state"] == RUNNING else None

    @property
    def stalled(self):
        return self.status["state"] == RUNNING and (background.stalled(self.folder) or bool(self.failure))

    @property
    def stalled_message(self):
        error = self.failure
        return TASK_FAILED % {"error": error} if error else STALLED

    def retry(self):
        """Start a stalled undo again (the undo checks afresh what blocks it)."""
        self._enqueue()
