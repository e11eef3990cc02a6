"""The engine's shortcuts leave the catalogue, and the process, as the slow, general paths would."""
import gc

import pytest
from django.db import connection

from catalog.imports.apply import Writer
from catalog.models import Authority
from catalog.search import reindex_items
from tests.factories import AuthorityFactory, ItemFactory, VariantFactory

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
