"""Another writer holding the database, as an import does while it writes.

On SQLite the other connection has begun a write transaction; the test database lives in shared
memory, where a writer that cannot have the lock is refused at once. On PostgreSQL it has locked the
tables a login, a save or an import writes to, and this test's connection waits only 100 ms for
them (lock_timeout). Use in transactional tests (django_db(transaction=True)): a test's own open
transaction would hold the lock first.
"""
from contextlib import contextmanager

from django.db import connection, connections

TABLES = ("django_session", "auth_user", "catalog_item")


@contextmanager
def database_held_by_another_writer():
    other = connections.create_connection("default")
    other.ensure_connection()
    raw = other.connection
    try:
        if connection.vendor == "sqlite":
            raw.execute("BEGIN IMMEDIATE")
        else:
            raw.execute("BEGIN")
            raw.execute(f"LOCK TABLE {', '.join(TABLES)} IN SHARE ROW EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '100ms'")
        yield
    finally:
        raw.rollback()
        other.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
