"""Migrations that do more than change the schema."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ItemFactory

BEFORE, AFTER = ("catalog", "0007_perf_statement_facet_index"), ("catalog", "0008_perf_recent_index")


def historical(app, migration, model):
    executor = MigrationExecutor(connection)
    return executor.loader.project_state((app, migration)).apps.get_model(app, model)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations(transactional_db):
    """The tests after these expect the whole schema, which a migration back in time would leave
    behind."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


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


def test_files_stored_under_uploaders_names_are_renamed_to_arkivs_own(transactional_db, settings):
    item = ItemFactory(identifier="kirkenes-1944-001")
    migrate(("catalog", "0009_perf_statement_indexes"))
    old_apps = MigrationExecutor(connection).loader.project_state(("catalog", "0009_perf_statement_indexes")).apps
    DigitalFile = old_apps.get_model("catalog", "DigitalFile")
    for relative, content in (("originals/kirkenes-1944-001/evil.html", b"%PDF-1.4 <script>"),
                              ("derivatives/kirkenes-1944-001/evil-display.jpg", b"jpeg")):
        (settings.MEDIA_ROOT / relative).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / relative).write_bytes(content)
    DigitalFile.objects.create(
        item_id=item.pk, file="originals/kirkenes-1944-001/evil.html", mime_type="application/pdf",
        size=17, sha256="0" * 64, display="derivatives/kirkenes-1944-001/evil-display.jpg", position=0,
    )

    migrate(("catalog", "0010_digitalfile_public_copy"))

    renamed = DigitalFile.objects.values("file", "display").get()
    assert renamed == {
        "file": "originals/kirkenes-1944-001/kirkenes-1944-001-001.pdf",
        "display": "derivatives/kirkenes-1944-001/kirkenes-1944-001-001-display.jpg",
    }
    assert (settings.MEDIA_ROOT / renamed["file"]).read_bytes() == b"%PDF-1.4 <script>"
    assert not (settings.MEDIA_ROOT / "originals/kirkenes-1944-001/evil.html").exists()


def test_dates_are_read_again_with_open_ends_kept_open(transactional_db):
    from datetime import date

    migrate(("catalog", "0011_preference"))
    # The model as it was then: today's Item has columns that schema lacks.
    Item = historical("catalog", "0011_preference", "Item")
    # What the old parser stored: a made-up decade, and an unreadable Norwegian season.
    Item.objects.create(
        identifier="open-end", dcmi_type="Text", date_text="1944/",
        date_earliest=date(1944, 1, 1), date_latest=date(1954, 12, 31),
    )
    Item.objects.create(identifier="autumn", dcmi_type="Text", date_text="høsten 1944", date_unparsed=True)

    migrate(("catalog", "0012_reread_dates"))

    rows = dict(Item.objects.values_list("identifier", "date_latest"))
    assert rows["open-end"] is None
    assert Item.objects.get(identifier="autumn").date_unparsed is False
    assert Item.objects.get(identifier="autumn").date_earliest == date(1944, 9, 1)


def test_items_become_single_items_whose_reference_code_is_their_identifier(transactional_db):
    migrate(("catalog", "0013_translatable_labels"))
    Old = historical("catalog", "0013_translatable_labels", "Item")
    Old.objects.create(identifier="kirkenes-1944-001", dcmi_type="StillImage")

    migrate(("catalog", "0014_arrangement"))

    # The models as 0014 left them: today's have columns that later migrations add.
    Item = historical("catalog", "0014_arrangement", "Item")
    Level = historical("catalog", "0014_arrangement", "Level")
    item = Item.objects.get(identifier="kirkenes-1944-001")
    assert (item.level.code, item.reference, item.ancestry, item.parent) == ("item", "kirkenes-1944-001", "/", None)
    assert list(Level.objects.values_list("code", flat=True)) == [
        "collection", "fonds", "subfonds", "series", "subseries", "file", "item",
    ]
