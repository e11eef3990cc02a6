"""The item's rights URI in the Dublin Core formats: the first dc:rights of oai_dc; in qdc a
dcterms:license for a licence, CC0 or the mark, a dc:rights for a rightsstatements.org statement,
typed dcterms:URI; valid against the official schemas; in the static export too."""
from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree

from catalog.exports import static
from catalog.oai import formats
from catalog.oai.records import Description, Value
from tests.oai.support import NAMESPACES, oai_id, request, schema, xpath

pytestmark = pytest.mark.django_db

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
BY_SA = "http://creativecommons.org/licenses/by-sa/4.0/"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
PDM = "http://creativecommons.org/publicdomain/mark/1.0/"
NOTE = "finnmark-1945-note-0924"


def described(rights_uri, *values):
    return Description(
        "kirkenes-1945-003", "StillImage", "https://arkiv.example.org/items/kirkenes-1945-003/",
        [Value(*value) for value in values], rights_uri=rights_uri,
    )


def oai_dc(description):
    element = formats.get("oai_dc").record(etree.Element("metadata"), description, schema_url="")
    assert schema("oai_dc.xsd").validate(etree.ElementTree(element)), schema("oai_dc.xsd").error_log
    return element


def qdc(description):
    element = formats.get("qdc").record(etree.Element("metadata"), description, schema_url="")
    validator = schema("oai-pmh-qdc-validate.xsd")
    assert validator.validate(etree.ElementTree(element)), validator.error_log
    return element


def rights_of(element):
    """(namespace prefix, name, text, xsi:type) of the rights values, in order."""
    prefixes = {NAMESPACES["dc"]: "dc", NAMESPACES["dcterms"]: "dcterms"}
    return [
        (prefixes[etree.QName(child).namespace], etree.QName(child).localname, child.text, child.get(XSI_TYPE))
        for child in element if etree.QName(child).localname in {"rights", "license", "accessRights", "rightsHolder"}
    ]


def test_oai_dc_gives_the_uri_as_the_first_dc_rights_and_the_notes_after_it():
    element = oai_dc(described(CNE, ("rights", "Photograph: Sør-Varanger Museum", "en"), ("rightsHolder", "Sør-Varanger Museum", "")))
    assert element.xpath("dc:rights/text()", namespaces=NAMESPACES) == [CNE, "Photograph: Sør-Varanger Museum", "Sør-Varanger Museum"]


def test_oai_dc_without_a_uri_has_only_the_notes():
    element = oai_dc(described("", ("rights", "© Russian Seven", "")))
    assert element.xpath("dc:rights/text()", namespaces=NAMESPACES) == ["© Russian Seven"]


def test_oai_dc_writes_a_uri_the_cataloguer_also_wrote_once():
    element = oai_dc(described(BY_SA, ("license", BY_SA, "")))
    assert element.xpath("dc:rights/text()", namespaces=NAMESPACES) == [BY_SA]


@pytest.mark.parametrize("uri", [BY_SA, CC0, PDM])
def test_qdc_gives_a_licence_cc0_or_the_mark_as_dcterms_license(uri):
    element = qdc(described(uri, ("rights", "Scan by the museum", "en")))
    assert rights_of(element) == [("dc", "rights", "Scan by the museum", None), ("dcterms", "license", uri, "dcterms:URI")]


def test_qdc_gives_a_rights_statement_as_dc_rights_before_the_notes():
    element = qdc(described(CNE, ("rights", "Scan by the museum", "en"), ("accessRights", "Open", "en")))
    assert rights_of(element) == [
        ("dc", "rights", CNE, "dcterms:URI"), ("dc", "rights", "Scan by the museum", None),
        ("dcterms", "accessRights", "Open", None),
    ]


def test_qdc_does_not_repeat_a_licence_the_cataloguer_wrote_as_a_statement():
    element = qdc(described(BY_SA, ("license", BY_SA, "")))
    assert rights_of(element) == [("dcterms", "license", BY_SA, "dcterms:URI")]


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0, stdout=StringIO())


def test_the_note_of_24_september_1945_carries_its_rights_uri_in_every_dc_format(client, demo):
    root = request(client, verb="GetRecord", identifier=oai_id(NOTE), metadataPrefix="oai_dc")
    assert xpath(root, "//oai_dc:dc/dc:rights/text()")[0] == CNE
    root = request(client, verb="GetRecord", identifier=oai_id(NOTE), metadataPrefix="qdc")
    [typed] = xpath(root, "//qdc:qualifieddc/dc:rights[@xsi:type='dcterms:URI']")
    assert typed.text == CNE
    # its free-text statement said only the label and the URI: the migration left no copy of it
    assert xpath(root, "//qdc:qualifieddc/dc:rights/text()") == [CNE]


def test_the_static_export_carries_the_uris(demo, tmp_path):
    path = tmp_path / "oai_dc.xml"
    static.write_list_records(path, "oai_dc", base_url="https://arkiv.example.org/oai", site_url="https://arkiv.example.org")
    root = etree.parse(str(path)).getroot()
    rights = root.xpath("//oai_dc:dc/dc:rights/text()", namespaces=NAMESPACES)
    assert rights.count(CNE) == 7 and rights.count("http://rightsstatements.org/vocab/InC/1.0/") == 1
