"""A folder ingest the admin runs over several requests: upload, preview (a dry run), confirmation,
summary, as catalog.imports.jobs runs a CSV import, and with its machinery: a private folder per
job named by an unguessable token, status.json, the uploader's language, one confirmation
winning a double click, and a task (catalog.tasks.run_folder_ingest) that outlives the request
and the web server. The job's folder holds the uploaded scans (files/, unpacked from a zip or
saved one by one) and the log of what became of each (log.sqlite3, log.FolderLog). Both the
preview and the ingest run as tasks, outside the request: they read every file, and the ingest
makes the derivatives (and enqueues each image's pyramid as a task of its own). A worker killed
in the middle of an ingest keeps the items saved before (it saves in chunks); the job's page
offers to run the preview again, which finds them by their files' hashes and goes on.
"""
import logging
import os
import shutil
import time

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ...busy import is_busy
from .. import jobs
from . import walk
from .log import FolderLog
from ..store import new_private_folder
from .run import FolderError, ingest_folder
from .uploads import save_files, unzip

logger = logging.getLogger(__name__)

KIND = "folder"

FAILED_PART = _(
    "The ingest stopped with an unexpected error ({error}). The items saved before it are kept: "
    "upload the same files again to continue where it stopped, or tell the administrator."
)


class FolderJob(jobs.Job):
    task_name = "run_folder_ingest"

    @classmethod
    def get(cls, token, user):
        job = super().get(token, user)
        return job if job is not None and job.status.get("kind") == KIND else None

    @classmethod
    def create(cls, *, user, files=(), zip_file=None, collection="", parent="", prefix=""):
        """A new job holding the uploaded scans; raises UnsafeZip, keeping nothing, for a zip refused."""
        cls._remove_old()
        job = cls(new_private_folder(cls.root(), jobs.TOKEN_BYTES))
        try:
            if zip_file is not None:
                job.scans.mkdir(mode=0o700)
                unzip(zip_file, job.scans)
            else:
                save_files(files, job.scans)
        except BaseException:
            shutil.rmtree(job.folder, ignore_errors=True)
            raise
        name = zip_file.name if zip_file is not None else (files[0].name if len(files) == 1 else "")
        default_prefix = walk.safe_part(os.path.splitext(os.path.basename(zip_file.name))[0]) if zip_file else "scans"
        job._write_status({
            "kind": KIND, "user": user.pk, "file_name": name, "files": walk.count_files(job.scans),
            "size": walk.count_files(job.scans), "collection": collection, "parent": parent,
            "prefix": prefix or default_prefix, "state": jobs.PLANNING, "progress": 0, "created": time.time(),
            "language": translation.get_language(),
        })
        return job

    @property
    def scans(self):
        return self.folder / "files"

    def log(self):
        return FolderLog(self.folder / "log.sqlite3")

    def _run(self, *, user, apply, skip_bad_rows=False):
        with translation.override(self.status.get("language", settings.LANGUAGE_CODE)):
            self._ingest(user=user, apply=apply)

    def _ingest(self, *, user, apply):
        status, log = self.status, self.log()
        try:
            result = ingest_folder(
                self.scans, log=log, collection=status["collection"], parent=status["parent"],
                prefix=status["prefix"], apply=apply, user=user, progress=lambda done: self.update(progress=done),
            )
        except FolderError as error:  # the collection or unit went away since the upload
            self.update(state=jobs.FAILED, message=str(error))
            return
        except Exception as error:  # the chunks written before it stay; a new run continues
            if apply and is_busy(error):  # waited DATABASE_LOCK_TIMEOUT for the write lock
                self.update(state=jobs.PLANNED, message=str(jobs.BUSY))
                return
            logger.exception("Folder ingest %s failed", self.token)
            self.update(state=jobs.FAILED, message=str(FAILED_PART.format(error=error)))
            return
        finally:
            log.close()
            (self.folder / "applying.lock").unlink(missing_ok=True)
        if apply:  # the items hold their own copies now: the upload need not wait a week
            shutil.rmtree(self.scans, ignore_errors=True)
        self.update(state=jobs.APPLIED if apply else jobs.PLANNED, progress=self.status["size"], result=result.as_json())

