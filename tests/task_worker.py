"""Running the tasks a test enqueued, with the database backend's own worker (django-tasks-db's
db_worker loop), in the test's process and connection: it sees what the test wrote, committed
or not, and returns once no task is left. Tests of a worker in a process of its own, killed and
restarted, are in tests/test_tasks.py."""
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks():
    """Run every queued task, as `manage.py db_worker --batch` would; returns their results."""
    before = set(DBTaskResult.objects.values_list("id", flat=True).filter(status="READY"))
    Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    ).run()
    return list(DBTaskResult.objects.filter(id__in=before))
