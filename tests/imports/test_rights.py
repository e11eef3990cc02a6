"""The `rights_uri` column of the CSV import and export: the controlled list's URI, the forms
people paste taken silently, anything else refused with the nearest URI of the list."""
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.exports.csv import write
from catalog.imports import plan
from catalog.models import Item
from tests.factories import ItemFactory

from .conftest import catalogue_state, run  # noqa: F401  (run is a fixture)

pytestmark = pytest.mark.django_db

CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
BY = "http://creativecommons.org/licenses/by/4.0/"


def export_all():
    stream = io.StringIO()
    write(Item.objects.order_by("identifier"), stream)
    return stream.getvalue().encode()


def test_a_new_item_takes_the_uri_and_the_forms_people_paste_are_the_lists_own(run):
    data = (
        "identifier,type,rights_uri,dc:title\n"
        f"note,Text,{CNE},Note\n"
        "photo,StillImage,https://creativecommons.org/licenses/by/4.0,Bridge\n"
        "poster,StillImage,https://rightsstatements.org/page/InC/1.0/?language=en,Poster\n"
        "letter,Text,,Letter\n"
    )
    result, store = run(data, apply=True)

    assert result.applied and result.counts["create"] == 4, store.errors()
    assert dict(Item.objects.values_list("identifier", "rights_uri")) == {"note": CNE, "photo": BY, "poster": INC, "letter": ""}


def test_a_changed_uri_shows_in_the_diff_and_moves_the_datestamp(run):
    ItemFactory(identifier="note", rights_uri=CNE)
    past = timezone.now() - timedelta(days=30)
    Item.objects.update(modified=past)

    result, store = run(f"identifier,rights_uri\nnote,{INC}\n")
    [entry] = store.entries(["update"])
    assert entry["changes"] == [{"column": "rights_uri", "old": [CNE], "new": [INC], "notes": []}]

    run(f"identifier,rights_uri\nnote,{INC}\n", apply=True)
    note = Item.objects.get(identifier="note")
    assert note.rights_uri == INC and note.modified > past


def test_the_same_uri_in_another_form_is_no_change(run):
    ItemFactory(identifier="note", rights_uri=CNE)
    result, _store = run("identifier,rights_uri\nnote,https://rightsstatements.org/vocab/CNE/1.0\n")
    assert result.counts["unchanged"] == 1


def test_an_empty_cell_clears_the_uri_and_says_so(run):
    ItemFactory(identifier="note", rights_uri=CNE)
    _result, store = run("identifier,rights_uri\nnote,\n")
    [entry] = store.entries(["update"])
    assert entry["changes"] == [{"column": "rights_uri", "old": [CNE], "new": [], "notes": [plan.CLEARED]}]


def test_a_uri_outside_the_list_is_a_row_error_naming_the_nearest_and_nothing_is_written(run):
    ItemFactory(identifier="note", rights_uri=CNE)
    before = catalogue_state()
    data = (
        "identifier,rights_uri\n"
        "note,http://rightsstatements.org/vocab/InC-EUD/1.0/\n"
    )
    result, store = run(data, apply=True)

    assert not result.applied and result.counts["error"] == 1
    [error] = store.errors()
    assert error["column"] == "rights_uri"
    assert error["message"].startswith(
        "“http://rightsstatements.org/vocab/InC-EUD/1.0/” is not in Arkiv's list of rights statements and "
        "licences (did you mean “http://rightsstatements.org/vocab/InC-EDU/1.0/”?)"
    )
    assert catalogue_state() == before


def test_text_in_the_column_is_refused_without_a_guess(run):
    _result, store = run("identifier,type,rights_uri\nnew,Text,In copyright\n")
    [error] = store.errors()
    assert "“In copyright” is not in Arkiv's list" in error["message"] and "did you mean" not in error["message"]


def test_a_missing_column_leaves_the_uri_alone(run):
    ItemFactory(identifier="note", rights_uri=CNE)
    run("identifier,dc:title\nnote,Another title\n", apply=True)
    assert Item.objects.get(identifier="note").rights_uri == CNE


def test_the_export_writes_the_uri_and_an_import_of_it_changes_nothing(run):
    ItemFactory(identifier="note", rights_uri=CNE)
    ItemFactory(identifier="photo", rights_uri=BY)
    ItemFactory(identifier="letter")
    data = export_all()
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("identifier,type,status,rights_uri,")
    assert {line.split(",")[0]: line.split(",")[3] for line in lines[1:]} == {"note": CNE, "photo": BY, "letter": ""}
    before = catalogue_state()

    result, store = run(data, apply=True)

    assert result.counts["unchanged"] == 3, store.errors()
    assert catalogue_state() == before


def test_items_exported_deleted_and_imported_again_keep_their_rights(run):
    for number, uri in enumerate(["", CNE, INC, BY, "http://creativecommons.org/publicdomain/mark/1.0/"]):
        ItemFactory(identifier=f"item-{number}", rights_uri=uri)
    kept = dict(Item.objects.values_list("identifier", "rights_uri"))
    data = export_all()
    Item.objects.all().delete()

    result, store = run(data, apply=True)

    assert result.applied and result.counts["create"] == 5, store.errors()[:3]
    assert dict(Item.objects.values_list("identifier", "rights_uri")) == kept
