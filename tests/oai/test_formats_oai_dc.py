"""oai_dc: every statement dumbed down to the fifteen elements, valid against oai_dc.xsd."""
import pytest
from lxml import etree

from catalog.models import Authority, Statement
from catalog.oai import formats
from catalog.oai.records import Description, Value
from tests.oai.support import NAMESPACES, oai_id, request, schema, xpath

pytestmark = pytest.mark.django_db


def write(description):
    oai_dc = formats.get("oai_dc")
    element = oai_dc.record(etree.Element("metadata"), description, schema_url=oai_dc.schema)
    assert schema("oai_dc.xsd").validate(etree.ElementTree(element)), schema("oai_dc.xsd").error_log
    return element


def values(element, name):
    return element.xpath(f"dc:{name}/text()", namespaces=NAMESPACES)


def described(*values_, dcmi_type="StillImage"):
    return Description("kirkenes-1945-003", dcmi_type, "https://arkiv.example.org/items/kirkenes-1945-003/", [Value(*v) for v in values_])


def test_refinements_are_dumbed_down_to_their_element():
    element = write(described(
        ("created", "1945-09-24", ""),
        ("spatial", "Kirkenes", ""),
        ("isPartOf", "Sør-Varanger Museum photographs", ""),
        ("abstract", "Soviet troops leave Norway.", "en"),
        ("alternative", "Jakobselv bridge", "en"),
        ("title", "The bridge over the Jakobselv", "en"),
    ))
    assert values(element, "date") == ["1945-09-24"]
    assert values(element, "coverage") == ["Kirkenes"]
    assert values(element, "relation") == ["Sør-Varanger Museum photographs"]
    assert values(element, "description") == ["Soviet troops leave Norway."]
    assert values(element, "title") == ["The bridge over the Jakobselv", "Jakobselv bridge"]


def test_elements_come_in_the_order_of_the_specification_values_in_the_cataloguers():
    """An element's own values come before its refinements' (the main title first)."""
    element = write(described(
        ("subject", "Liberation", "en"), ("title", "Second title", ""), ("title", "First title", ""),
        ("creator", "Igor Diakonoff", ""), ("date", "1945", ""),
    ))
    names = [etree.QName(child).localname for child in element]
    assert names == ["title", "title", "creator", "subject", "date", "type", "identifier", "identifier"]
    assert values(element, "title") == ["Second title", "First title"]


def test_terms_that_refine_no_element_are_left_out():
    element = write(described(("provenance", "Donated in 1990", ""), ("audience", "Schools", "")))
    assert "Donated in 1990" not in etree.tostring(element, encoding="unicode")
    assert "Schools" not in etree.tostring(element, encoding="unicode")


def test_languages_become_xml_lang_and_malformed_tags_are_left_off():
    element = write(described(("title", "Brua over Jakobselva", "nb"), ("title", "Мост", "ru-Cyrl"), ("title", "Bad", "not a tag!")))
    langs = element.xpath("dc:title/@xml:lang", namespaces=NAMESPACES)
    assert langs == ["nb", "ru-Cyrl"]


def test_type_identifiers_and_rights_are_always_there():
    element = write(described(
        ("rights", "CC BY 4.0", ""), ("license", "https://creativecommons.org/licenses/by/4.0/", ""),
        ("rightsHolder", "Sør-Varanger Museum", ""), ("identifier", "SVM.1945.3", ""),
        ("bibliographicCitation", "Sør-Varanger Museum, photograph 3", ""),
    ))
    assert values(element, "type") == ["StillImage"]
    assert values(element, "identifier") == [
        "https://arkiv.example.org/items/kirkenes-1945-003/", "kirkenes-1945-003", "SVM.1945.3",
        "Sør-Varanger Museum, photograph 3",
    ]
    assert values(element, "rights") == ["CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/", "Sør-Varanger Museum"]


def test_repeated_values_are_written_once():
    element = write(described(("type", "StillImage", ""), ("identifier", "kirkenes-1945-003", ""), ("subject", "Kirkenes", ""), ("spatial", "Kirkenes", "")))
    assert values(element, "type") == ["StillImage"]
    assert values(element, "identifier").count("kirkenes-1945-003") == 1
    assert values(element, "subject") == ["Kirkenes"] and values(element, "coverage") == ["Kirkenes"]


def test_authority_values_read_as_the_preferred_label(client, published):
    item = published()
    igor = Authority.objects.create(kind="agent", preferred_label="Igor Diakonoff")
    Statement.objects.create(item=item, term="creator", value="Dyakonov", authority=igor, position=1)
    root = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(item.identifier))
    assert xpath(root, "//dc:creator/text()") == ["Igor Diakonoff"]


def test_a_renamed_authority_changes_the_record_and_its_datestamp(client, published):
    item = published()
    igor = Authority.objects.create(kind="agent", preferred_label="Igor Diakonov")
    Statement.objects.create(item=item, term="creator", value="", authority=igor)
    before = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(item.identifier))
    igor.preferred_label = "Igor Diakonoff"
    igor.save()
    after = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(item.identifier))
    assert xpath(after, "//dc:creator/text()") == ["Igor Diakonoff"]
    assert xpath(after, "//oai:datestamp/text()") >= xpath(before, "//oai:datestamp/text()")
