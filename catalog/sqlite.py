"""Settings of the SQLite connection that hold for a while and are then put back."""
from contextlib import contextmanager

from django.db import connection


@contextmanager
def pragma(name, value):
    """Run the block with `PRAGMA name = value` on the default connection, then restore it.

    Does nothing on another database. The pragma goes to the driver's connection directly: it
    is a setting of the connection, not a query of the page (nor one that tests count).
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    sqlite = connection.connection
    (before,) = sqlite.execute(f"PRAGMA {name}").fetchone()
    sqlite.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        sqlite.execute(f"PRAGMA {name} = {int(before)}")


def unchanged_mark():
    """What this connection can tell of the database's rows without reading them: a value equal
    at two moments only if no connection, this one included, changed a row in between (SQLite's
    data_version moves with others' commits, total_changes with this connection's writes).
    None on another database, or where SQLite cannot tell."""
    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    sqlite = connection.connection
    (version,) = sqlite.execute("PRAGMA data_version").fetchone()
    return id(sqlite), version, sqlite.total_changes
