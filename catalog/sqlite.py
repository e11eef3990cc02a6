"""SQLite's own settings and statistics: pragmas that hold for a while and are then put back, what
a connection can tell of changes without reading rows, and the planner's statistics after a
migration."""
from contextlib import contextmanager

from django.db import connection, connections


@contextmanager
def pragma(name, value, using="default"):
    """Run the block with `PRAGMA name = value` on the connection `using`, then restore it.

    Does nothing on another database. The pragma goes to the driver's connection directly: it
    is a setting of the connection, not a query of the page (nor one that tests count).
    """
    database = connections[using]
    if database.vendor != "sqlite":
        yield
        return
    database.ensure_connection()
    sqlite = database.connection
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


def restore_statistics(using="default"):
    """ANALYZE the tables with rows and indexes that have no statistics, in a database that has
    some (generate_catalog and large reindexes write them); returns the tables analysed.

    Django's SQLite schema editor alters a column by remaking its table (a copy, the old one
    dropped), and SQLite drops the table's rows of sqlite_stat1 with it. Planned without them, an
    item page of a million-item catalogue read its related items through the title index of
    every published item (2.6 s a page) until ANALYZE. So this runs after each
    migrate (receivers.py). A database never analysed is left so: the planner's defaults serve
    small catalogues, which is what such a database holds.
    """
    database = connections[using]
    if database.vendor != "sqlite":
        return []
    quote = database.ops.quote_name
    with database.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute(
            "SELECT t.name FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite%' "
            "AND EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.tbl_name = t.name) "
            "AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = t.name)"
        )
        analysed = []
        for (table,) in cursor.fetchall():
            # An empty table has no statistics to lose, and ANALYZE writes it none.
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
            if cursor.fetchone()[0]:
                analysed.append(table)
        # Sampled, as migration 0008 analyses its index: the planner needs the shape, not an
        # exact count, and a full ANALYZE of the item table takes 3.5 s at a million.
        with pragma("analysis_limit", 1000, using):
            for table in analysed:
                cursor.execute(f"ANALYZE {quote(table)}")
        return analysed
