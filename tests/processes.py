"""What the tests that run Arkiv in other processes (gunicorn, import_csv, task workers) share:
a free port, and a DATABASE_URL those processes can open holding what the test wrote so far."""
import socket
import sqlite3

from django.db import connection


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_database(tmp_path):
    """A DATABASE_URL other processes can use, holding what this test has written so far."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        return f"postgres://{credentials}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    # The SQLite test database lives in this process's memory: copy it to a file, in WAL mode as
    # settings.DATABASES makes every catalogue.
    path = tmp_path / "catalogue.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return f"sqlite:///{path}"
