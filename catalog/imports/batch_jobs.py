"""A batch edit between requests: the selection, the edit, its plan and the preview's digest.

The admin's action hands the selected items to a BatchJob (a private folder under
ARKIV_IMPORT_DIR/batch-edits/ named by an unguessable token, seen only by whoever made it); the
form adds the edit and plans it (a dry run into plan.sqlite3, the engine's PlanStore); the
preview pages through that plan; confirming applies the same edit with the preview's digest,
so that a plan which came out different is shown again instead of applied.
"""
import json
import os
import shutil
import time
from pathlib import Path

from django.conf import settings

from .store import PlanStore, new_private_folder, private_file, remove_old_folders

FOLDER = "batch-edits"
KEEP_SECONDS = 24 * 3600
TOKEN_BYTES = 18


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
