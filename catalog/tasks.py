"""Long work as tasks of Django's Tasks API (the django-tasks backport of Django 6.0's django.tasks).

Every task here is a thin wrapper over an engine that also runs inline: it takes ids, tokens and
paths (a task's arguments are stored as JSON until a worker takes it, so never instances), loads
what it needs afresh, and calls the engine. Where the work has a page in the admin (an import, a
folder ingest, an arrangement change) the job's folder under ARKIV_IMPORT_DIR stays the place its
progress and result live, as before: the page reads one small file, whichever backend runs the
task, and the result (a plan of a million rows, a log of every file) is far larger than a task
result should be. The job records its own failure there, translated in the starter's language;
the task fails as well (its row keeps the traceback) if the job could not say why.

The backend is settings.TASKS (ARKIV_TASKS): the database backend by default, whose worker is
`manage.py db_worker` (`make run` starts one beside the web server); RQ over Redis for several
machines. Tasks are enqueued through catalog.background.enqueue, after the request's commit.
"""
import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_import(token, user_pk, apply, skip_bad_rows=False):
    """Plan (or, with `apply`, apply) the CSV or EAD import job `token` (catalog.imports.jobs)."""
    from .imports.jobs import Job

    Job.run_task(token, user_pk, apply=apply, skip_bad_rows=skip_bad_rows)


@task()
def run_folder_ingest(token, user_pk, apply, skip_bad_rows=False):
    """Preview (or, with `apply`, make the items of) the folder ingest job `token` (a folder has
    no bad rows to skip: the argument is the import's, whose confirmation it shares)."""
    from .imports.folder.jobs import FolderJob

    FolderJob.run_task(token, user_pk, apply=apply)


@task()
def run_arrangement(token, work, arguments):
    """Run the arrangement job `token`: the work named `work` (catalog.arrangement.work.WORK), a
    move or a change carried down a subtree, with `arguments`."""
    from .arrangement.jobs import Job

    Job.run_task(token, work, arguments)


@task()
def run_batch_edit(token, user_pk):
    """Apply the planned batch edit `token` (catalog.imports.batch_jobs) of user `user_pk`;
    returns how many items changed (None if it could not be applied: its job says why)."""
    from .imports.batch_jobs import BatchJob

    return BatchJob.run_task(token, user_pk)


@task()
def undo_change_set(change_set_pk, token):
    """Undo the change set `change_set_pk` as its undo job `token` asked (catalog.history.undo_jobs);
    returns the undoing change set's number (None if it could not be undone: the job says why)."""
    from .history.undo_jobs import UndoJob

    return UndoJob.run_task(change_set_pk, token)


@task()
def make_pyramid(source, target):
    """Make the pyramid `target` of the image file `source` (paths; no database is read)."""
    from . import pyramids

    pyramids.make_queued(source, target)


@task()
def reindex_items(item_ids=None):
    """Rebuild the search rows of `item_ids` (every item when None); returns how many."""
    from .search import reindex_items as reindex

    return reindex(item_ids)


@task()
def reindex_authority(authority_pk, reindex=True, touch=False):
    """Rebuild the search rows (`reindex`) and bump the datestamps (`touch`) of every item linked
    to the authority record `authority_pk` (after a rename, a new or removed variant or link, or
    a merge into it), in batches; returns how many items."""
    from .search.linked import reindex_linked

    return reindex_linked(authority_pk, reindex=reindex, touch=touch)
