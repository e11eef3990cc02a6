"""A batch edit between requests: the selection, the edit, its plan and the preview's digest.

The admin's action hands the selected items to a BatchJob (a private folder under
ARKIV_IMPORT_DIR/batch-edits/ named by an unguessable token, seen only by whoever made it); the
form adds the edit and plans it (a dry run into plan.sqlite3, the engine's PlanStore); the
preview pages through that plan; confirming applies the same edit with the preview's digest,
so that a plan which came out different is shown again instead of applied.

Applying is one transaction of the engine's. A selection of more than BACKGROUND_ITEMS items is
applied by a task (catalog.tasks.run_batch_edit), as a large import is: enqueued when the
confirming request commits, run by a worker, never by the web server, beating while it runs
(catalog.background), so the preview's page shows it waiting, applying, stalled (its worker died:
nothing was saved, or all of it) or failed with the reason, and offers to confirm it again. The
job's `state` says which: None (planned), APPLYING, APPLIED (with the change set's number), or
back to None with a `message` when the apply failed or the plan came out different.
"""
import json
import logging
import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import background
from ..busy import is_busy
from .store import PlanStore, new_private_folder, private_file, remove_old_folders

logger = logging.getLogger(__name__)

FOLDER = "batch-edits"
KEEP_SECONDS = 24 * 3600
TOKEN_BYTES = 18
APPLYING, APPLIED = "applying", "applied"

BACKGROUND_ITEMS = 1_000
"""Selections up to this many items are applied in the confirming request (about half a second
at the engine's 2,000 items/s); larger ones by a task."""

CRASHED = _("The batch edit stopped with an unexpected error ({error}); nothing was changed. Confirm it again, or tell the administrator.")
EDIT_GONE = _("The record or collection this edit names was deleted meanwhile: choose the edit again.")
BUSY = _("Another import or batch edit was saving to the catalogue at the same time, so this one could not: nothing was changed. Confirm it again in a minute.")
STALLED = _(
    "The task worker stopped while it applied this batch edit (it was stopped or its machine restarted). "
    "A batch edit is saved whole or not at all: confirm it again, and the preview shows what is left to do."
)
TASK_FAILED = _(
    "The task stopped with an unexpected error (%(error)s) before it could begin; nothing was changed. "
    "Confirm it again, or tell the administrator."
)


class BatchJob:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.token = self.folder.name

    @staticmethod
    def root():
        return Path(settings.ARKIV_IMPORT_DIR) / FOLDER

    @classmethod
    def create(cls, *, user, pks):
        cls._remove_old()
        job = cls(new_private_folder(cls.root(), TOKEN_BYTES))
        job.write({"user": user.pk, "pks": list(pks), "created": time.time(), "edit": None, "digest": None})
        return job

    @classmethod
    def get(cls, token, user):
        """The job `token` of `user`, or None."""
        if not token.replace("-", "").replace("_", "").isalnum():
            return None
        job = cls(cls.root() / token)
        if not (job.folder / "job.json").is_file() or job.read().get("user") != user.pk:
            return None
        return job

    @classmethod
    def _remove_old(cls):
        remove_old_folders(cls.root(), KEEP_SECONDS)

    def read(self):
        return json.loads((self.folder / "job.json").read_text())

    def write(self, data):
        scratch = self.folder / "job.json.new"
        private_file(scratch)
        scratch.write_text(json.dumps(data))
        os.replace(scratch, self.folder / "job.json")

    def update(self, **changes):
        self.write({**self.read(), **changes})

    def store(self):
        return PlanStore(self.folder / "plan.sqlite3")

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- applying ---------------------------------------------------------------------------

    def apply(self, *, user, expected_digest):
        """Apply the planned edit, here or by a task (BACKGROUND_ITEMS); False if it is being
        applied already (a double click)."""
        try:
            private_file(self.folder / "applying.lock", exclusive=True)
        except FileExistsError:
            return False
        self.update(state=APPLYING, message="", language=translation.get_language(), expected_digest=expected_digest)
        if len(self.read()["pks"]) <= BACKGROUND_ITEMS:
            self._run(user=user)
            return True
        from .. import tasks  # tasks wraps this job

        background.forget_heartbeat(self.folder)
        background.enqueue(tasks.run_batch_edit, self.token, user.pk, folder=self.folder)
        return True

    @classmethod
    def run_task(cls, token, user_pk):
        """The task's work (catalog.tasks.run_batch_edit): apply the job `token`, beating while
        it runs. A job removed meanwhile (after a day) or of a user since deleted is skipped."""
        job = cls(cls.root() / token)
        user = get_user_model().objects.filter(pk=user_pk).first()
        if user is None or not (job.folder / "job.json").is_file():
            logger.warning("Batch edit %s is gone, or its user; nothing to do", token)
            return None
        with background.beating(job.folder):
            try:
                return job._run(user=user)
            except Exception as error:  # what _run could not say (a stopped worker leaves it to stall)
                with translation.override(job.read().get("language") or settings.LANGUAGE_CODE):
                    job.update(state=None, message=str(CRASHED).format(error=error))
                (job.folder / "applying.lock").unlink(missing_ok=True)
                raise

    def _run(self, *, user):
        from ..admin.batch_forms import edit_from_json  # the edit as the form stored it
        from ..history.models import ChangeSet
        from .batch import run_batch

        state = self.read()
        with translation.override(state.get("language") or settings.LANGUAGE_CODE):
            store = self.store()
            try:
                edit = edit_from_json(state["edit"])
                if gone(edit, state["edit"]):  # deleted after the confirmation, before a worker came
                    self.update(state=None, message=str(EDIT_GONE))
                    return None
                result = run_batch(edit, state["pks"], store=store, user=user, apply=True,
                                   expected_digest=state.get("expected_digest"))
            except Exception as error:  # the engine's transaction is undone: say so on the page
                message = BUSY if is_busy(error) else CRASHED.format(error=error)
                if not is_busy(error):
                    logger.exception("Batch edit %s failed", self.token)
                self.update(state=None, message=str(message))
                return None
            finally:
                store.close()
                (self.folder / "applying.lock").unlink(missing_ok=True)
            if not result.applied:  # the plan came out different: the preview shows it again
                self.update(state=None, digest=result.digest, message=str(result.message))
                return None
            change_set = (
                ChangeSet.objects.filter(source=ChangeSet.BATCH_EDIT, revision__user=user)
                .order_by("-revision").values_list("pk", flat=True).first()
            )
            self.update(state=APPLIED, message="", changed_items=result.changed_items, change_set=change_set)
            return result.changed_items

    @property
    def state(self):
        return self.read().get("state")

    @property
    def waiting(self):
        """Queued, and no worker has started it yet."""
        return self.state == APPLYING and not background.started(self.folder) and not self.failure

    @property
    def failure(self):
        """The error class its task failed with before the job could say why, or None."""
        return background.failure(self.folder) if self.state == APPLYING else None

    @property
    def stalled(self):
        return self.state == APPLYING and (background.stalled(self.folder) or bool(self.failure))

    @property
    def stalled_message(self):
        error = self.failure
        return TASK_FAILED % {"error": error} if error else STALLED

    def retry(self):
        """After a stalled apply: back to the preview, to be confirmed again (against the
        catalogue as it is now: a plan that came out different is shown first)."""
        (self.folder / "applying.lock").unlink(missing_ok=True)
        self.update(state=None, message=str(self.stalled_message))


def gone(edit, stored):
    """Whether the record or collection the stored edit names has been deleted since."""
    return (edit.authority is None and bool(stored["authority"])) or (edit.collection is None and bool(stored["collection"]))
