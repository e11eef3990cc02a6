"""Migrations that do more than change the schema."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ItemFactory

BEFORE, AFTER = ("catalog", "0007_perf_statement_facet_index"), ("catalog", "0008_perf_recent_index")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def statistics_of(index):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE idx = %s", [index])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL plans from its tables' statistics")
def test_the_recent_index_is_analyzed_where_the_other_indexes_are(transactional_db):
    ItemFactory()
    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as a catalogue past its first bulk load has
    assert statistics_of("item_title_idx") == 1 and statistics_of("item_recent_idx") == 0
    migrate(AFTER)
    # Without statistics of its own, SQLite's planner took the new index for the best one
    # for queries it does not suit (the catalogue state's latest datestamp: 1.5 s at 1M items).
    assert statistics_of("item_recent_idx") == 1
