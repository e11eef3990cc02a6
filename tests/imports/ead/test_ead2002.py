"""EAD 2002 as AtoM, ICA-AtoM and ArchivesSpace export it, read into the normalised shape."""
from catalog.imports.ead.units import Outline, Value

from .conftest import ASPACE, ATOM, ATOM_FIXTURE, ICA_ATOM, ead2002, read


def values(unit, term):
    return unit.values.get(term, [])


def test_atom_fonds_and_series():
    aid = read(ATOM)
    assert (aid.version, aid.language, aid.eadid) == ("2002", "en", "U257")
    fonds, series = aid.units
    assert (fonds.number, fonds.parent, fonds.depth, fonds.line, fonds.tag) == (0, None, 0, 33, "archdesc")
    assert (fonds.level, fonds.unitid, fonds.has_children) == ("fonds", "U257", True)
    assert values(fonds, "title") == [Value("Faculty of Social Work – Office of the Dean fonds", "en")]
    assert fonds.texts("created") == ["1968"]  # @normal, not the text "1968 - ?"
    assert values(fonds, "extent") == [Value("24 cm of textual records.", "en")]
    assert values(fonds, "creator") == [Value("Wilfrid Laurier University. Faculty of Social Work", kind="agent")]
    assert values(fonds, "subject") == [Value("Education", kind="concept")]
    assert fonds.texts("type") == ["Textual record"]
    assert fonds.texts("language") == ["en"]
    assert fonds.texts("abstract") == ["Fonds consists of records from the Office of the Dean, Faculty of Social Work."]
    assert fonds.texts("accessRights") == ["Open"]
    # AtoM's own <odd type="publicationStatus"> is about its record, not the material.
    assert "description" not in fonds.values
    assert (series.parent, series.depth, series.level, series.unitid) == (0, 1, "series", "U257-1")
    assert series.texts("title") == ["Alumni Office records"]
    assert dict(aid.not_imported) == {"bioghist": 1, "accruals": 1, "otherfindaid": 1, "dao": 1}


def test_atom_test_fixture_without_level_or_namespace():
    (unit,) = read(ATOM_FIXTURE).units
    assert (unit.level, unit.unitid, unit.has_children) == ("", "", False)
    assert unit.texts("title") == ["Ancient history"]
    assert values(unit, "creator") == [Value("Old school", kind="agent")]


def test_ica_atom_strips_country_and_repository_from_the_unitid_and_reads_creators_once():
    aid = read(ICA_ATOM)
    top, first, second = aid.units
    assert top.unitid == "HR-HDA 1551"  # written "HR r000382HR HR-HDA 1551" with those codes as attributes
    assert first.unitid == "HR-HDA 145"
    assert [unit.parent for unit in aid.units] == [None, 0, 0]
    assert top.texts("language") == ["ar", "hr", "fr", "he", "hu", "it", "sr"]
    # <origination><corpname> and <name> and two <controlaccess><corpname role="Creator"> of one name.
    assert second.texts("creator") == ["Hrvatski Državni Arhiv"]
    assert first.arrangement.startswith("The material is divided into books and records")
    assert top.texts("provenance") == ["Of different provenance"]
    assert top.texts("created") == ["1918/1941"]
    assert second.texts("description") == [
        "USHMM holds the copies of selected writings from this collection, relating to Jews (three boxes)."
    ]
    assert "Israelite charity in Varazdin, 1926-1941" in top.texts("abstract")[0]


def test_archivesspace_resource():
    aid = read(ASPACE)
    resource, child = aid.units
    assert aid.language == ""  # <langusage>English</langusage> names no code
    # The first unitid; the one of type aspace_uri is an address in ArchivesSpace.
    assert (resource.level, resource.unitid) == ("file", "Resource OAI test 0.OAI.1")
    assert (child.level, child.unitid, child.parent) == ("file", "ArchivalObject OAI test 0", 0)
    assert resource.texts("created") == ["2012-06-01/2016-06-01"]
    assert child.texts("created") == ["2017-06-01"]  # 2017-06-01/2017-06-01: one day
    assert resource.texts("extent") == [
        "10 Volumes", "Container summary", "Dimensions", "physical description note", "dimensions note",
    ]
    assert resource.texts("medium") == ["Physical details"]
    assert values(resource, "creator") == [Value("Agent, Creator", kind="agent")]
    assert values(resource, "subject") == [  # in the order of the file
        Value("Topical -- Subject", kind="concept"), Value("Function -- Subject", kind="concept"),
        Value("Occupation -- Subject", kind="concept"), Value("Agent, Subject", kind="agent"),
    ]
    assert values(resource, "spatial") == [Value("Geographic -- Subject", kind="place")]
    assert resource.texts("abstract") == ["scope and contents note"]  # the <head> left out
    assert resource.texts("provenance") == ["immediate source of acquisition note", "custodial history note"]
    assert resource.texts("accessRights") == ["conditions governing access note"]
    assert resource.texts("rights") == ["conditions governing use note"]
    assert resource.arrangement == "arrangement note"
    assert resource.texts("description")[2].startswith("2011-11-10\n\nEvent X\n\nEvent Y")
    assert aid.not_imported["bioghist"] == 2 and aid.not_imported["langmaterial"] == 2


def test_nested_numbered_components_and_the_outline():
    aid = read(ead2002(
        '<archdesc level="fonds"><did><unittitle>F</unittitle><unitdate normal="19440101/19451231">1944-45</unitdate></did>'
        '<dsc><c01 level="series"><did><unittitle>S</unittitle></did>'
        '<c02 level="file"><did><unittitle>F1</unittitle><unitdate>around 1945</unitdate></did></c02>'
        '<c02 level="otherlevel" otherlevel="Subfile"><did><unittitle>F2</unittitle></did></c02>'
        '</c01></dsc></archdesc>'
    ))
    assert aid.outline() == [
        Outline("fonds", None, ("F",), ("1944-01-01/1945-12-31",)),
        Outline("series", 0, ("S",), ()),
        Outline("file", 1, ("F1",), ("around 1945",)),
        Outline("Subfile", 1, ("F2",), ()),
    ]
