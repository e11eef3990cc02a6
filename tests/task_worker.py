"""Running the tasks a test enqueued, with the database backend's own worker (django-tasks-db's
db_worker loop), in the test's process and connection: it sees what the test wrote, committed
or not, and returns once no task is left. Tests of a worker in a process of its own, killed and
restarted, are in tests/test_tasks.py."""
from contextlib import contextmanager

from django.db import connection
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks():
    """Run every queued task, as `manage.py db_worker --batch` would; returns their results."""
    before = set(DBTaskResult.objects.values_list("id", flat=True).filter(status="READY"))
    with _connection_kept():
        db_worker.Worker(
            queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
            max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
        ).run()
    return list(DBTaskResult.objects.filter(id__in=before))


@contextmanager
def _connection_kept():
    """A worker drops connections between tasks as a request does; inside a test's transaction
    (autocommit off) that would close the test's connection and lose what it wrote, so the worker
    keeps it while the test holds one."""
    if not connection.in_atomic_block:
        yield
        return
    dropping = db_worker.close_old_connections
    db_worker.close_old_connections = lambda **kwargs: None
    try:
        yield
    finally:
        db_worker.close_old_connections = dropping
