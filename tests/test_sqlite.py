"""SQLite's statistics after a migration (catalog/sqlite.py: restore_statistics)."""
import pytest
from django.core.management import call_command
from django.db import connection

from catalog import sqlite
from catalog.models import Item
from tests.factories import ItemFactory

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own statistics")


def statistics_of(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0]


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as generate_catalog and a large reindex leave a catalogue


def test_a_table_a_migration_remakes_is_analysed_again_after_migrate(transactional_db):
    ItemFactory.create_batch(3)
    analyze()
    table = Item._meta.db_table
    assert statistics_of(table) > 0
    # What AlterField does to a column on SQLite: the table is copied and the old one dropped,
    # and its statistics go with it.
    with connection.schema_editor() as editor:
        editor._remake_table(Item)
    assert statistics_of(table) == 0
    call_command("migrate", verbosity=0)
    assert statistics_of(table) > 0


def test_only_tables_with_rows_and_without_statistics_are_analysed(transactional_db):
    ItemFactory()
    analyze()
    assert sqlite.restore_statistics() == []
    table = Item._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
        cursor.execute("PRAGMA analysis_limit = 7")  # the connection's own, whatever it was
    assert sqlite.restore_statistics() == [table]
    assert statistics_of(table) > 0
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit")
        assert cursor.fetchone()[0] == 7  # put back as it was


def test_a_database_never_analysed_is_left_so(transactional_db):
    ItemFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:
            cursor.execute("DROP TABLE sqlite_stat1")
    assert sqlite.restore_statistics() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 0
