"""The writer's bulk shortcuts leave the catalogue as the slow, general paths would."""
import pytest
from django.db import connection

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
