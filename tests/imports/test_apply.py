"""The engine's shortcuts leave the catalogue, and the process, as the slow, general paths would;
and writing after planning outside the transaction never writes a plan the catalogue has outrun."""
import gc

import pytest
from django.db import connection, models

from catalog.imports import csv as engine
from catalog.imports.apply import Writer
from catalog.models import Authority, DigitalFile, Item, Statement
from catalog.search import reindex_items
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory, VariantFactory

from .conftest import catalogue_state, image_bytes

pytestmark = pytest.mark.django_db


def index_rows():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, title, body, full_text FROM catalog_search ORDER BY rowid")
        else:
            cursor.execute("SELECT rowid, vector::text FROM catalog_search ORDER BY rowid")
        return cursor.fetchall()


def test_new_items_are_indexed_as_rebuilding_the_index_would_index_them(run):
    diakonov = AuthorityFactory(kind=Authority.AGENT, preferred_label="Diakonoff")
    for label in ("Dyakonov", "Diakonov"):
        VariantFactory(authority=diakonov, label=label)
    pechenga = AuthorityFactory(kind=Authority.PLACE, preferred_label="Pechenga")
    VariantFactory(authority=pechenga, label="Petsamo")
    ItemFactory(identifier="old-001", title="An item already there")
    data = (
        "identifier,type,dc:title@en,dcterms:alternative,dc:creator,dcterms:spatial,dc:description@nb,dc:subject,full_text\n"
        "kir-001,Text,Report from Petsamo,Rapport | Отчёт,Dyakonov | Diakonoff | Ny Person,Petsamo,Brev fra Bjørnevatn,,"
        "The troops left on 25 September.\n"
        "kir-002,StillImage,Bridge,,,,,Liberation,\n"
        "kir-003,Text,,,Ny Person,,,,\n"
        "old-001,Text,An item already there,,Diakonov,,,,\n"
    )

    result, _ = run(data, apply=True, create_authorities=True)

    assert result.applied and result.counts["create"] == 3 and result.counts["update"] == 1
    imported = index_rows()
    assert len(imported) == 4
    reindex_items()
    assert index_rows() == imported


def test_updated_items_are_indexed_as_rebuilding_the_index_would_index_them(run):
    diakonoff = AuthorityFactory(kind=Authority.AGENT, preferred_label="Diakonoff")
    VariantFactory(authority=diakonoff, label="Dyakonov")
    # Statements sharing a position, as the admin saves them; a blank one; a linked one; a full text.
    first = ItemFactory(identifier="kir-001", title="Bridge")
    for term, value, authority in (("description", "First", None), ("description", "", None),
                                   ("creator", "Diakonoff", diakonoff), ("subject", "Harbour", None)):
        StatementFactory(item=first, term=term, value=value, authority=authority, position=0)
    Item.objects.filter(pk=first.pk).update(full_text="Kept transcription")
    ItemFactory(identifier="kir-002", title="Quay")
    ItemFactory(identifier="kir-003", title="Road")
    reindex_items()

    result, _ = run(
        "identifier,status,dc:description,dc:creator\n"
        "kir-001,draft,First | Second,Dyakonov | Ny Person\n"
        "kir-002,published,,\n",
        apply=True, create_authorities=True,
    )
    assert result.applied and result.counts["update"] == 2
    imported = index_rows()
    reindex_items()
    assert index_rows() == imported

    result, _ = run("identifier,full_text\nkir-001,Kept transcription\nkir-003,A new transcription\n", apply=True)
    assert result.applied and result.counts == {"create": 0, "update": 1, "unchanged": 1, "error": 0}
    imported = index_rows()
    reindex_items()
    assert index_rows() == imported


def process_state():
    """What an import changes for its own duration only: the collector and SQLite's page cache
    (set here to a size of its own, so that a size left behind by any import shows)."""
    cache = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1234")
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
    return gc.isenabled(), gc.get_freeze_count(), cache


def current_state():
    cache = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
    return gc.isenabled(), gc.get_freeze_count(), cache


def test_an_import_leaves_the_collector_and_the_page_cache_as_it_found_them(run):
    before = process_state()
    result, _ = run("identifier,type,dc:title\nkir-001,Text,Letter\n", apply=True)
    assert result.applied
    assert current_state() == before


def test_so_does_an_import_that_fails_halfway(run, monkeypatch):
    def fail(self, plans):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Writer, "write", fail)
    before = process_state()
    with pytest.raises(RuntimeError):
        run("identifier,type,dc:title\nkir-001,Text,Letter\n", apply=True)
    assert current_state() == before


# --- planned outside the transaction, written inside it ------------------------------------
# The progress callback runs after each chunk is planned: what it does happens while the
# import plans, as an archivist's edit in the admin would.

def retitle(identifier, title):
    """The admin's way of changing a title: the old statement goes, a new one comes."""
    item = Item.objects.get(identifier=identifier)
    Statement.objects.filter(item=item, term="title").delete()
    StatementFactory(item=item, term="title", value=title, lang="", position=0)


def test_an_item_edited_while_the_import_plans_is_planned_again_before_it_is_written(run):
    ItemFactory(identifier="kir-001", title="Bridge")
    edits = []

    def edit_once(done):
        if not edits:
            retitle("kir-001", "Bro")
            edits.append(done)

    result, store = run("identifier,dc:title\nkir-001,Harbour\n", apply=True, progress=edit_once)

    assert result.applied
    item = Item.objects.get(identifier="kir-001")
    assert [s.value for s in item.statements.filter(term="title")] == ["Harbour"]
    assert item.sort_title == "Harbour"
    # The summary shows the change as it was made: from the archivist's title, not the old one.
    assert store.entries(["update"])[0]["changes"][0]["old"] == ["Bro"]


def test_an_edit_while_a_confirmed_import_plans_asks_for_confirmation_again(run):
    ItemFactory(identifier="kir-001", title="Bridge")
    data = "identifier,dc:title\nkir-001,Harbour\n"
    preview, _ = run(data)

    def edit(done):
        if Item.objects.get(identifier="kir-001").sort_title == "Bridge":
            retitle("kir-001", "Bro")

    result, store = run(data, apply=True, expected_digest=preview.digest, progress=edit)

    assert not result.applied and result.message == engine.PLAN_CHANGED
    assert [s.value for s in Statement.objects.filter(item__identifier="kir-001", term="title")] == ["Bro"]
    assert store.entries(["update"])[0]["changes"][0]["old"] == ["Bro"]


def test_an_import_whose_items_keep_changing_is_written_at_last(run):
    ItemFactory(identifier="kir-001", title="Bridge")
    plannings = []

    def edit_every_time(done):
        plannings.append(done)
        retitle("kir-001", f"Edit {len(plannings)}")

    result, _ = run("identifier,type,dc:title\nkir-001,Text,Harbour\nkir-002,Text,New\n", apply=True,
                    progress=edit_every_time)

    # Planned outside the transaction and outrun each time but the last, which plans inside it.
    assert len(plannings) == engine.PLANNING_ATTEMPTS
    assert result.applied and result.counts["create"] == 1 and result.counts["update"] == 1
    assert Item.objects.get(identifier="kir-002").sort_title == "New"


@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_by_another_connection_while_the_import_plans_is_found(run):
    """The edit comes from another thread's connection, as from another process: the shortcut
    of the check (the database says nothing changed) must not hide it."""
    import threading

    from django.db import connections

    ItemFactory(identifier="kir-001", title="Bridge")
    edits = []

    def edit_elsewhere(done):
        if not edits:
            def edit():
                try:
                    retitle("kir-001", "Bro")
                finally:
                    connections.close_all()
            thread = threading.Thread(target=edit)
            thread.start()
            thread.join()
            edits.append(done)

    result, store = run("identifier,dc:title\nkir-001,Harbour\n", apply=True, progress=edit_elsewhere)

    assert result.applied and edits
    assert [s.value for s in Statement.objects.filter(item__identifier="kir-001", term="title")] == ["Harbour"]
    assert store.entries(["update"])[0]["changes"][0]["old"] == ["Bro"]  # planned again, against the edit


def test_items_nothing_changed_since_they_were_read_are_not_read_again_before_writing(run):
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        ItemFactory(identifier=f"kir-{n:03d}", title="Bridge")
    with CaptureQueriesContext(connection) as queries:
        result, _ = run("identifier,dc:title\nkir-000,Harbour\nkir-001,Harbour\nkir-002,Harbour\n", apply=True)
    assert result.applied
    reads = [q["sql"] for q in queries.captured_queries
             if q["sql"].startswith("SELECT s.id, s.term, s.lang, s.value") and "catalog_statement" in q["sql"]]
    # Read once to plan; on PostgreSQL, whose rows can change between two statements of a
    # transaction until they are locked, read again once locked.
    assert len(reads) == (1 if connection.vendor == "sqlite" else 2), reads


def test_files_stored_before_the_edit_was_found_are_removed_with_the_rest(run, monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 1)
    (tmp_path / "a.png").write_bytes(image_bytes())
    ItemFactory(identifier="kir-001", title="Bridge")
    before = catalogue_state()
    plannings = []

    def edit_after_second_chunk(done):
        plannings.append(done)
        if len(plannings) == 2:  # kir-001 is planned; the first writing attempt stores a.png, then finds the edit
            retitle("kir-001", "Bro")

    result, _ = run("identifier,type,dc:title,files\nkir-002,Text,New,a.png\nkir-001,Text,Harbour,\n",
                    apply=True, files_dir=tmp_path, progress=edit_after_second_chunk)

    assert result.applied and len(plannings) == 4
    digital_file = DigitalFile.objects.get()
    stored = {getattr(digital_file, f.name).name for f in DigitalFile._meta.fields if isinstance(f, models.FileField)}
    assert set(catalogue_state()["media"]) - set(before["media"]) <= stored
