"""Relation cells that name another item in angle brackets (catalog/imports/targets.py): linked
to an item of the catalogue or of the same file, refused with a row error otherwise, written so
by the export, and a round trip changes nothing."""
import csv
import io

import pytest

from catalog.exports.csv import rows, write
from catalog.models import Item, Statement
from tests.factories import ItemFactory

from .conftest import all_entries, catalogue_state

pytestmark = pytest.mark.django_db

HEADER = "identifier,type,dc:title,dcterms:references\n"


def links(identifier, term="references"):
    return [
        (s.value, s.target.identifier if s.target_id else None)
        for s in Statement.objects.filter(item__identifier=identifier, term=term).select_related("target").order_by("position")
    ]


@pytest.fixture
def note():
    return ItemFactory(identifier="finnmark-1945-note-0924", title="Note on the Soviet forces in Eastern Finnmark", dcmi_type="Text")


def test_a_relation_names_an_item_of_the_catalogue_by_its_identifier(run, note):
    result, store = run(HEADER + "article-2015,Text,70 years since,Note on the Soviet forces <finnmark-1945-note-0924> | Aftenposten\n", apply=True)
    assert result.applied, store.errors()
    assert links("article-2015") == [("Note on the Soviet forces", "finnmark-1945-note-0924"), ("Aftenposten", None)]


def test_the_brackets_alone_take_the_items_title(run, note):
    run(HEADER + "article-2015,Text,70 years since,<finnmark-1945-note-0924>\n", apply=True)
    assert links("article-2015") == [("Note on the Soviet forces in Eastern Finnmark", "finnmark-1945-note-0924")]


def test_the_preview_says_which_item_a_value_links_to(run, note):
    result, store = run(HEADER + "article-2015,Text,70 years since,The note <finnmark-1945-note-0924>\n")
    [entry] = all_entries(store)
    change = next(c for c in entry["changes"] if c["column"] == "dcterms:references")
    assert change["notes"] == ["“The note” links to the item finnmark-1945-note-0924"]


def test_an_item_further_down_the_same_file_is_linked(run):
    result, store = run(
        HEADER
        + "article-2015,Text,70 years since,The note <note-0924>\n"
        + "note-0924,Text,Note of 24 September 1945,\n",
        apply=True,
    )
    assert result.applied, store.errors()
    assert links("article-2015") == [("The note", "note-0924")]


def test_an_item_further_up_the_same_file_is_linked_across_chunks(run, monkeypatch):
    from catalog.imports import csv as engine

    monkeypatch.setattr(engine, "CHUNK_ROWS", 1)
    result, store = run(
        HEADER
        + "a,Text,A,B <b>\n"
        + "b,Text,B,C <c>\n"
        + "c,Text,C,A <a>\n",
        apply=True,
    )
    assert result.applied, store.errors()
    assert [links(identifier) for identifier in "abc"] == [[("B", "b")], [("C", "c")], [("A", "a")]]


def test_an_unknown_identifier_is_a_row_error_and_nothing_is_written(run, note):
    before = catalogue_state()
    result, store = run(HEADER + "article-2015,Text,70 years since,The note <no-such-note>\n", apply=True)
    assert not result.applied
    [error] = store.errors()
    assert (error["row"], error["column"]) == (2, "dcterms:references")
    assert error["message"].startswith("“no-such-note” is neither an item in the catalogue nor a row of this file")
    assert catalogue_state() == before


def test_an_item_cannot_name_itself(run):
    result, store = run(HEADER + "article-2015,Text,70 years since,Myself <article-2015>\n")
    [error] = store.errors()
    assert error["message"].startswith("article-2015 names itself in dcterms:references")


def test_bad_rows_skipped_leave_the_others_linked(run, note):
    result, store = run(
        HEADER + "a,Text,A,The note <finnmark-1945-note-0924>\nb,Text,B,Lost <lost>\n", apply=True, skip_bad_rows=True,
    )
    assert result.applied
    assert links("a") == [("The note", "finnmark-1945-note-0924")]
    assert not Item.objects.filter(identifier="b").exists()


def test_angle_brackets_outside_relation_columns_stay_text(run, note):
    run("identifier,type,dc:title,dc:description\nx,Text,Title <finnmark-1945-note-0924>,See <finnmark-1945-note-0924>\n", apply=True)
    assert Statement.objects.get(item__identifier="x", term="description").value == "See <finnmark-1945-note-0924>"
    assert Statement.objects.filter(target__isnull=False).count() == 0


def test_removing_the_brackets_unlinks_and_keeps_the_text(run, note):
    run(HEADER + "article-2015,Text,70 years since,The note <finnmark-1945-note-0924>\n", apply=True)
    result, store = run(HEADER + "article-2015,Text,70 years since,The note\n", apply=True)
    assert result.counts["update"] == 1
    assert links("article-2015") == [("The note", None)]


def test_the_export_writes_the_identifier_and_a_round_trip_changes_nothing(run, note):
    run(HEADER + "article-2015,Text,70 years since,The note <finnmark-1945-note-0924> | Aftenposten\n", apply=True)
    stream = io.StringIO()
    write(Item.objects.order_by("identifier"), stream)
    table = list(csv.DictReader(io.StringIO(stream.getvalue().lstrip("\ufeff"))))
    article = next(row for row in table if row["identifier"] == "article-2015")
    assert article["dcterms:references"] == "The note <finnmark-1945-note-0924> | Aftenposten"

    before = catalogue_state()
    result, store = run(stream.getvalue().encode(), apply=True)
    assert result.counts["unchanged"] == 2 and not store.errors()
    assert catalogue_state() == before


def test_a_public_export_names_no_draft(run, note):
    run(HEADER + "article-2015,Text,70 years since,The note <finnmark-1945-note-0924>\n", apply=True)
    cells = [row for row in rows(Item.objects.filter(identifier="article-2015"), public=True)][1]
    assert "The note" in cells and not any("finnmark-1945-note-0924" in cell for cell in cells)
    Item.objects.filter(pk=note.pk).update(status=Item.PUBLISHED)
    cells = [row for row in rows(Item.objects.filter(identifier="article-2015"), public=True)][1]
    assert "The note <finnmark-1945-note-0924>" in cells
