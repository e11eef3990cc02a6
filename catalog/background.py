"""What a job kept on disk (an import, a folder ingest, an arrangement change) needs of the task
that runs it: to be enqueued once the request's transaction commits, and to show that it is alive.

django.tasks never uses on_commit (a task enqueued inside a transaction could start before the
rows it reads are committed, or run for a transaction that is rolled back), so `enqueue` waits
for the commit; outside a transaction it enqueues at once.

A worker can die in the middle of a task (killed, out of memory, the machine restarted): the
database undoes the task's transaction, but the task's row stays `RUNNING` for ever, and the
job's status.json still says it is working. So the task beats: `beating(folder)` touches the file
`heartbeat` in the job's folder every HEARTBEAT_SECONDS from a thread of the worker's process,
which dies with it. A job whose heartbeat is older than ARKIV_TASK_STALLED_SECONDS has lost its
worker (`stalled`), and its page offers to run it again. A job still waiting for a worker has no
heartbeat yet: it is queued, not stalled, however long no worker runs. A task can also fail
before its job could say why (it could not be loaded or called): the job keeps the id of its
task (`task`), and `failure` asks the backend.
"""
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction

HEARTBEAT_SECONDS = 2
HEARTBEAT = "heartbeat"
TASK = "task"


def enqueue(task, *args, folder=None, **kwargs):
    """Enqueue `task` with JSON-able arguments once the current transaction commits; the id of
    its result is kept in the job's `folder`, if given."""

    def send():
        result = task.enqueue(*args, **kwargs)
        if folder is not None:  # private, as every file of a job (catalog.imports.jobs)
            descriptor = os.open(Path(folder) / TASK, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as target:
                target.write(result.id)

    transaction.on_commit(send)


def failure(folder):
    """The class of the error the job's task failed with, if the backend says it failed; else
    None (not failed, not found, or a backend that keeps no results)."""
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    try:
        result_id = (Path(folder) / TASK).read_text().strip()
    except FileNotFoundError:
        return None
    if not default_task_backend.supports_get_result:
        return None
    try:
        result = default_task_backend.get_result(result_id)
    except TaskResultDoesNotExist:
        return None
    if result.status != TaskResultStatus.FAILED:
        return None
    return result.errors[-1].exception_class_path if result.errors else "?"


@contextmanager
def beating(folder):
    """Touch `folder`/heartbeat every HEARTBEAT_SECONDS while the block runs."""
    path = Path(folder) / HEARTBEAT
    stop = threading.Event()

    def beat():
        while True:
            try:
                path.touch(mode=0o600)
            except OSError:  # the job's folder was removed: nothing left to show alive
                return
            if stop.wait(HEARTBEAT_SECONDS):
                return

    path.touch(mode=0o600)  # started, from the first moment of the block; private, as a job's files
    thread = threading.Thread(target=beat, name=f"heartbeat-{Path(folder).name}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def started(folder):
    """Whether a worker has started the job's task (its heartbeat exists)."""
    return (Path(folder) / HEARTBEAT).exists()


def stalled(folder):
    """Whether the job's task started and then stopped beating: its worker died."""
    try:
        beaten = (Path(folder) / HEARTBEAT).stat().st_mtime
    except FileNotFoundError:
        return False
    return time.time() - beaten > settings.ARKIV_TASK_STALLED_SECONDS


def forget_heartbeat(folder):
    """Before a job is queued again: it waits for a worker afresh."""
    (Path(folder) / HEARTBEAT).unlink(missing_ok=True)
    (Path(folder) / TASK).unlink(missing_ok=True)
