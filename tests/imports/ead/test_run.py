"""The EAD import end to end: dry run first (nothing written), then the same plan applied."""
import pytest

from catalog.imports.ead import errors, safe
from catalog.imports.lookup import MATCHED_VARIANT, WILL_BE_NEW
from catalog.models import Authority, Item, Statement

from tests.factories import AuthorityFactory, VariantFactory

from ..conftest import catalogue_state
from .conftest import ASPACE, ATOM, ICA_ATOM, ead2002
from .test_safe import BILLION_LAUGHS, EXTERNAL_ENTITY, REMOTE_DTD

pytestmark = pytest.mark.django_db


def statements(identifier, term):
    return list(Statement.objects.filter(item__identifier=identifier, term=term).order_by("position"))


def test_atom_export_dry_run_then_apply(run_ead):
    faculty = AuthorityFactory(kind=Authority.AGENT, preferred_label="Laurier Faculty of Social Work")
    VariantFactory(authority=faculty, label="Wilfrid Laurier University. Faculty of Social Work")
    before = catalogue_state()

    dry, store = run_ead(ATOM, fonds="WLU")
    assert catalogue_state() == before  # nothing written
    assert (dry.result.readable, dry.result.applied, dry.result.counts["create"]) == (True, False, 2)
    assert [entry["identifier"] for entry in store.entries(["create"])] == ["WLU", "WLU-1"]
    assert dry.matched == [str(MATCHED_VARIANT.format(
        value="Wilfrid Laurier University. Faculty of Social Work", kind="agent", label="Laurier Faculty of Social Work",
    ))]
    assert dry.new_records == [str(WILL_BE_NEW.format(value="Education", kind="concept"))]
    assert dry.where(2) == 33 and dry.where(3) == 88  # the rows' units start on these lines

    done, _ = run_ead(ATOM, fonds="WLU", apply=True, expected_digest=dry.result.digest)
    assert done.result.applied, done.result.message
    fonds, series = Item.objects.get(identifier="WLU"), Item.objects.get(identifier="WLU-1")
    assert (fonds.level.code, fonds.parent, fonds.status, fonds.dcmi_type) == ("fonds", None, Item.DRAFT, "Collection")
    assert (series.level.code, series.parent, series.status) == ("series", fonds, Item.DRAFT)
    assert (fonds.local_code, fonds.reference, series.reference) == ("U257", "U257", "U257/U257-1")
    assert fonds.title == "Faculty of Social Work – Office of the Dean fonds"
    assert series.title == "Alumni Office records"
    assert (fonds.date_text, str(fonds.date_earliest), fonds.date_latest.year) == ("1968", "1968-01-01", 1968)
    (creator,) = statements("WLU", "creator")
    assert creator.authority == faculty
    (subject,) = statements("WLU", "subject")
    assert (subject.authority.kind, subject.authority.preferred_label) == (Authority.CONCEPT, "Education")
    assert [s.value for s in statements("WLU", "title")] == ["Faculty of Social Work – Office of the Dean fonds"]
    assert statements("WLU", "title")[0].lang == "en"


def test_archivesspace_export_dry_run_then_apply(run_ead):
    creator = AuthorityFactory(kind=Authority.AGENT, preferred_label="The Creator Agent")
    VariantFactory(authority=creator, label="agent,  creator")  # case and spaces aside, the file's name
    before = catalogue_state()
    dry, _ = run_ead(ASPACE, fonds="AS")
    assert catalogue_state() == before
    assert dry.result.counts["create"] == 2
    assert dry.matched == [str(MATCHED_VARIANT.format(value="Agent, Creator", kind="agent", label="The Creator Agent"))]
    done, _ = run_ead(ASPACE, fonds="AS", apply=True, expected_digest=dry.result.digest)
    assert done.result.applied, done.result.message
    resource, child = Item.objects.get(identifier="AS"), Item.objects.get(identifier="AS-1")
    assert (resource.level.code, child.level.code, child.parent) == ("file", "file", resource)
    assert resource.dcmi_type == "Collection"  # a file with a file below it
    assert (child.title, child.date_text) == ("Archival_Object 1", "2017-06-01")
    assert resource.date_text == "2012-06-01/2016-06-01"
    kinds = {s.value: s.authority.kind for s in statements("AS", "subject")}
    # A <persname> in <controlaccess> is a person, though dc:subject would make a new name a concept.
    assert kinds == {
        "Agent, Subject": Authority.AGENT, "Topical -- Subject": Authority.CONCEPT,
        "Function -- Subject": Authority.CONCEPT, "Occupation -- Subject": Authority.CONCEPT,
    }
    (place,) = statements("AS", "spatial")
    assert place.authority.kind == Authority.PLACE
    # Both units' creator is the existing record, found by its variant.
    assert {s.authority_id for s in statements("AS", "creator") + statements("AS-1", "creator")} == {creator.pk}
    assert not Authority.objects.filter(preferred_label="Agent, Creator").exists()


def test_ica_atom_export_with_its_doctype(run_ead):
    done, _ = run_ead(ICA_ATOM, fonds="HDA-1551", apply=True)
    assert done.result.applied, done.result.message
    top = Item.objects.get(identifier="HDA-1551")
    assert (top.level.code, top.reference) == ("collection", "HR-HDA-1551")
    assert list(top.children.order_by("position").values_list("identifier", "reference")) == [
        ("HDA-1551-1", "HR-HDA-1551/HR-HDA-145"), ("HDA-1551-2", "HR-HDA-1551/HR-HDA-223"),
    ]


def test_published_on_request(run_ead):
    done, _ = run_ead(ATOM, fonds="WLU", apply=True, publish=True)
    assert done.result.applied
    assert set(Item.objects.values_list("status", flat=True)) == {Item.PUBLISHED}


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, REMOTE_DTD])
def test_hostile_files_change_nothing(run_ead, data):
    before = catalogue_state()
    outcome, store = run_ead(data, fonds="X", apply=True)
    assert catalogue_state() == before
    assert (outcome.result.readable, outcome.result.applied) == (False, False)
    (error,) = store.errors()
    assert error["row"] is None and error["message"].startswith("The ")


def test_a_malformed_file_says_where(run_ead):
    outcome, store = run_ead(b'<ead xmlns="urn:isbn:1-931666-22-9">\n<archdesc level="fonds">\n<did>\n</ead>', fonds="X", apply=True)
    assert not outcome.result.readable
    (error,) = store.errors()
    assert error["message"] == errors.MALFORMED % {
        "line": 4, "column": 7, "problem": "Opening and ending tag mismatch: did line 3 and ead",
    }
    assert Item.objects.count() == 0


def test_faults_of_the_description_are_all_reported_and_nothing_stored(run_ead):
    outcome, store = run_ead(ead2002(
        '<archdesc level="fonds"><did><unitid>A</unitid></did><dsc>\n'
        '<c level="series"><did><unitid>1</unitid></did></c>\n'
        '<c level="series"><did><unitid>1</unitid></did></c>\n'
        '<c level="recordgrp"><did/></c>'
        '</dsc></archdesc>'
    ), fonds="X", apply=True)
    assert [error["message"][:8] for error in store.errors()] == ["Line 4: ", "Line 5: "]
    assert Item.objects.count() == 0 and not outcome.result.applied


def test_a_row_error_leaves_the_catalogue_as_it_was(run_ead):
    # Two agents of one name: the creator is ambiguous, so the plan has an error and nothing is written.
    AuthorityFactory(kind=Authority.AGENT, preferred_label="Wilfrid Laurier University. Faculty of Social Work")
    AuthorityFactory(kind=Authority.AGENT, preferred_label="Wilfrid Laurier University. Faculty of Social Work")
    before = catalogue_state()
    outcome, store = run_ead(ATOM, fonds="WLU", apply=True)
    # The fonds's row fails, and so does the series's, whose parent it is.
    assert not outcome.result.applied and outcome.result.counts["error"] == 2
    creator, parent = store.errors()
    assert (creator["row"], creator["column"], outcome.where(creator["row"])) == (2, "dc:creator", 33)
    assert (parent["row"], parent["column"], outcome.where(parent["row"])) == (3, "parent", 88)
    assert catalogue_state() == before


def test_the_same_file_again_needs_a_new_fonds(run_ead):
    run_ead(ATOM, fonds="WLU", apply=True)
    outcome, store = run_ead(ATOM, fonds="WLU", apply=True)
    assert not outcome.result.readable
    messages = [error["message"] for error in store.errors()]
    assert str(errors.IDENTIFIER_TAKEN % {"identifier": "WLU"}) in messages


def test_the_size_cap_holds_for_the_import(run_ead, settings):
    settings.ARKIV_MAX_EAD_BYTES = 1024
    outcome, store = run_ead(ATOM, fonds="WLU", apply=True)
    assert not outcome.result.readable and Item.objects.count() == 0
    assert store.errors()[0]["message"].startswith("The file is ")
    assert safe.max_bytes() == 1024
