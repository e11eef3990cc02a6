"""A FindingAid as rows of the CSV import's shape: identifiers, levels, local codes, types."""
import pytest

from catalog.imports import format as fmt
from catalog.imports.ead import errors, rows
from catalog.models import Level
from catalog.models.items import REFERENCE_TAKEN

from tests.factories import ItemFactory

from .conftest import ASPACE, ATOM, ATOM_FIXTURE, EAD3_SAMPLE, ICA_ATOM, ead2002, read

pytestmark = pytest.mark.django_db


def by_column(made):
    return [dict(zip(made.header, cells)) for cells in made.rows]


def faults_of(call):
    with pytest.raises(ExceptionGroup) as refused:
        call()
    return errors.faults(refused.value)


def test_atom_fonds_rows():
    made = rows.make_rows(read(ATOM), fonds="WLU-U257")
    assert made.header[:6] == ["identifier", "type", "status", "level", "parent", "local_code"]
    fonds, series = by_column(made)
    assert {key: fonds[key] for key in made.header[:6]} == {
        "identifier": "WLU-U257", "type": "Collection", "status": "draft", "level": "fonds", "parent": "",
        "local_code": "U257",
    }
    assert {key: series[key] for key in made.header[:6]} == {
        "identifier": "WLU-U257-1", "type": "Collection", "status": "draft", "level": "series",
        "parent": "WLU-U257", "local_code": "U257-1",
    }
    assert fonds["dc:title@en"] == "Faculty of Social Work – Office of the Dean fonds"
    assert fonds["dcterms:created"] == "1968"
    assert fonds["dc:creator"] == "Wilfrid Laurier University. Faculty of Social Work"
    assert fonds["dc:identifier"] == "U257"
    assert fonds["dc:subject"] == "Education"
    assert fonds["dc:language"] == "en"
    assert made.names == {("concept", "Education")}
    assert made.notes == [str(errors.NOT_IMPORTED % {"elements": "<accruals> ×1, <bioghist> ×1, <dao> ×1, <otherfindaid> ×1"})]


def test_the_columns_follow_isadg_and_name_each_language():
    made = rows.make_rows(read(ASPACE), fonds="AS")
    terms = made.header[7:]
    assert terms == [
        "dc:identifier", "dc:title", "dcterms:created", "dcterms:extent", "dcterms:medium", "dc:creator",
        "dcterms:abstract", "dc:description", "dcterms:accessRights", "dc:rights", "dcterms:provenance",
        "dc:relation", "dcterms:bibliographicCitation", "dc:subject", "dcterms:spatial", "dc:type",
    ]
    resource = by_column(made)[0]
    assert fmt.split_values(resource["dcterms:provenance"]) == [
        "immediate source of acquisition note", "custodial history note",
    ]
    assert resource["dc:subject"] == "Topical -- Subject | Function -- Subject | Occupation -- Subject | Agent, Subject"


def test_published_on_request():
    made = rows.make_rows(read(ATOM), fonds="F", publish=True)
    assert {row["status"] for row in by_column(made)} == {"published"}


def test_items_get_their_type_from_the_genre():
    made = rows.make_rows(read(ead2002(
        '<archdesc level="file"><did><unittitle>File</unittitle></did><dsc>'
        '<c level="item"><did><unittitle>A photograph</unittitle></did>'
        '<controlaccess><genreform>Photographs</genreform></controlaccess></c>'
        '<c level="item"><did><unittitle>A letter</unittitle></did></c>'
        '<c level="item"><did><unittitle>A tape</unittitle><physdesc><genreform>sound recording</genreform></physdesc></did></c>'
        '</dsc></archdesc>'
    )), fonds="F")
    assert [row["type"] for row in by_column(made)] == ["Collection", "StillImage", "Text", "Sound"]


def test_a_unit_without_level_is_an_item_with_a_note():
    made = rows.make_rows(read(ATOM_FIXTURE), fonds="OLD")
    (row,) = by_column(made)
    assert (row["level"], row["type"]) == ("", "Text")
    assert str(errors.NO_LEVEL % {"line": 3}) in made.notes


def test_otherlevel_names_a_level_by_code_or_name():
    Level.objects.create(code="subfile", name="Sub-file", ead_level="otherlevel", position=20)
    made = rows.make_rows(read(ead2002(
        '<archdesc level="fonds"><did/><dsc>'
        '<c level="otherlevel" otherlevel="Sub-file"><did/></c><c level="otherlevel" otherlevel="SUBFILE"><did/></c>'
        '</dsc></archdesc>'
    )), fonds="F")
    assert [row["level"] for row in by_column(made)] == ["fonds", "subfile", "subfile"]


def test_unknown_levels_are_refused_listing_the_known_ones():
    (class_level, no_name, other) = faults_of(lambda: rows.make_rows(read(ead2002(
        '<archdesc level="class"><did/><dsc>'
        '<c level="otherlevel"><did/></c>\n<c level="otherlevel" otherlevel="Piece"><did/></c>'
        '</dsc></archdesc>'
    )), fonds="F"))
    known = "collection, fonds, subfonds, series, subseries, file, item"
    assert class_level.message == errors.UNKNOWN_LEVEL % {"line": 2, "level": "class", "known": known}
    assert no_name.message == errors.NO_OTHERLEVEL % {"line": 2, "known": known}
    assert other.message == errors.UNKNOWN_LEVEL % {"line": 3, "level": "Piece", "known": known}


def test_unitids_become_local_codes_with_a_note():
    made = rows.make_rows(read(ICA_ATOM), fonds="HDA-1551")
    assert [row["local_code"] for row in by_column(made)] == ["HR-HDA-1551", "HR-HDA-145", "HR-HDA-223"]
    assert [row["dc:identifier"] for row in by_column(made)] == ["HR-HDA 1551", "HR-HDA 145", "HR-HDA-223"]
    assert str(errors.UNITID_CHANGED % {"line": 63, "unitid": "HR-HDA 145", "code": "HR-HDA-145"}) in made.notes


def test_the_system_of_arrangement_is_the_units_own_column():
    made = rows.make_rows(read(ICA_ATOM), fonds="HDA-1551")
    aid = read(ICA_ATOM)
    assert [row["arrangement"] for row in by_column(made)] == [unit.arrangement for unit in aid.units]
    assert any(unit.arrangement for unit in aid.units)  # the file has one to carry
    assert not any("arrangement" in note for note in made.notes)


def test_duplicate_unitids_among_siblings_are_refused_with_both_lines():
    (fault,) = faults_of(lambda: rows.make_rows(read(ead2002(
        '<archdesc level="fonds"><did><unitid>A</unitid></did><dsc>\n'
        '<c level="series"><did><unitid>1</unitid></did>\n<c level="file"><did><unitid>1</unitid></did></c></c>\n'
        '<c level="series"><did><unitid>1</unitid></did></c>'
        '</dsc></archdesc>'
    )), fonds="F"))
    # The file below series 1 may be 1 too: its reference code is A/1/1.
    assert isinstance(fault, errors.DuplicateUnitid)
    assert fault.message == errors.DUPLICATE_UNITID % {"line": 5, "unitid": "1", "first": 3}


def test_a_unitid_too_long_for_a_local_code_is_refused():
    (fault,) = faults_of(lambda: rows.make_rows(read(ead2002(
        f'<archdesc level="fonds"><did><unitid>{"x" * 51}</unitid></did></archdesc>'
    )), fonds="F"))
    assert fault.message == errors.BAD_UNITID % {"line": 2, "unitid": "x" * 51}


def test_identifiers_number_the_components_in_document_order():
    made = rows.make_rows(read(ead2002(
        '<archdesc level="fonds"><did/><dsc>'
        '<c01 level="series"><did/><c02 level="file"><did/><c03 level="item"><did/></c03></c02></c01>'
        '<c01 level="series"><did/></c01>'
        '</dsc></archdesc>'
    )), fonds="KF")
    found = by_column(made)
    assert [row["identifier"] for row in found] == ["KF", "KF-1", "KF-2", "KF-3", "KF-4"]
    assert [row["parent"] for row in found] == ["", "KF", "KF-1", "KF-2", "KF"]


def test_saas_sample_repeats_a_shelfmark_and_has_a_level_arkiv_lacks():
    found = faults_of(lambda: rows.make_rows(read(EAD3_SAMPLE), fonds="C1571"))
    assert [type(fault) for fault in found] == [errors.DuplicateUnitid, errors.UnknownLevel]
    assert found[0].message == errors.DUPLICATE_UNITID % {"line": 547, "unitid": "2.4.5.34 (M)", "first": 503}
    assert found[1].line == 594


def test_the_fonds_identifier_must_be_new():
    ItemFactory(identifier="WLU-1")
    (fault,) = faults_of(lambda: rows.make_rows(read(ATOM), fonds="WLU"))
    assert fault.message == errors.IDENTIFIER_TAKEN % {"identifier": "WLU-1"}


def test_the_fonds_reference_code_must_be_free():
    ItemFactory(identifier="other", local_code="U257")
    (fault,) = faults_of(lambda: rows.make_rows(read(ATOM), fonds="WLU"))
    assert fault.message == REFERENCE_TAKEN % {"reference": "U257", "other": "other"}


def test_a_fonds_identifier_too_long_for_its_units():
    with pytest.raises(errors.FondsIdentifier) as refused:
        rows.make_rows(read(ATOM), fonds="x" * 99)
    assert refused.value.message == errors.FONDS_IDENTIFIER_TOO_LONG % {"identifier": "x" * 99, "count": 1}


def test_the_fonds_identifier_given_or_made():
    aid = read(ICA_ATOM)
    assert rows.fonds_identifier(aid, " KF ") == "KF"
    assert rows.fonds_identifier(aid, "") == "HR-HDA-1551"
    with pytest.raises(errors.FondsIdentifier):
        rows.fonds_identifier(aid, "not an identifier")
    with pytest.raises(errors.FondsIdentifier) as refused:
        rows.fonds_identifier(read(ATOM_FIXTURE), "")
    assert refused.value.message == str(errors.NO_FONDS_IDENTIFIER)
