"""qdc: DCMI Terms as catalogued, valid against DCMI's own schemas (2008-02-11)."""
import pytest
from lxml import etree

from catalog.oai import formats
from catalog.oai.records import Description, Value
from tests.oai.support import NAMESPACES, oai_id, request, schema, xpath

pytestmark = pytest.mark.django_db

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def write(*values_, dcmi_type="StillImage"):
    description = Description("kirkenes-1945-003", dcmi_type, "https://arkiv.example.org/items/kirkenes-1945-003/", [Value(*v) for v in values_])
    qdc = formats.get("qdc")
    element = qdc.record(etree.Element("metadata"), description, schema_url="https://arkiv.example.org/oai/schemas/qdc.xsd")
    # The record alone, against DCMI's dc/dcterms/dcmitype and Arkiv's container.
    validator = schema("oai-pmh-qdc-validate.xsd")
    assert validator.validate(etree.ElementTree(element)), validator.error_log
    return element


def terms(element):
    return [(etree.QName(child).namespace, etree.QName(child).localname, child.text) for child in element]


def test_refinements_stay_refinements():
    element = write(("created", "1945-09-24", ""), ("spatial", "Kirkenes", ""), ("isPartOf", "Sør-Varanger Museum photographs", ""))
    found = terms(element)
    assert ("http://purl.org/dc/terms/", "created", "1945-09-24") in found
    assert ("http://purl.org/dc/terms/", "spatial", "Kirkenes") in found
    assert ("http://purl.org/dc/terms/", "isPartOf", "Sør-Varanger Museum photographs") in found


def test_the_fifteen_elements_are_in_dc_and_come_before_their_refinements():
    element = write(("abstract", "Short", "en"), ("description", "Long", "en"), ("title", "Title", "en"), ("provenance", "Donated", ""))
    names = [etree.QName(child).localname for child in element]
    assert names == ["type", "identifier", "identifier", "title", "description", "abstract", "provenance"]
    assert etree.QName(element[3]).namespace == "http://purl.org/dc/elements/1.1/"


def test_encoding_schemes_are_named_with_xsi_type():
    element = write(("created", "1945-09-24", ""), ("date", "1945-09", ""), ("issued", "2015", ""),
                    ("created", "circa 1945", ""), ("date", "1945-02-30", ""), ("date", "1945", "en"))
    typed = {(child.text, child.get(XSI_TYPE)) for child in element}
    assert ("StillImage", "dcterms:DCMIType") in typed
    assert ("https://arkiv.example.org/items/kirkenes-1945-003/", "dcterms:URI") in typed
    assert ("1945-09-24", "dcterms:W3CDTF") in typed
    assert ("1945-09", "dcterms:W3CDTF") in typed
    assert ("2015", "dcterms:W3CDTF") in typed
    assert ("circa 1945", None) in typed  # not W3CDTF: written as it is, untyped
    assert ("1945-02-30", None) in typed  # no such day
    assert ("1945", None) in typed  # a value with a language is text, not a date


def test_a_wrong_encoding_scheme_would_not_validate():
    """The validation above has teeth: DCMI's schemas do check typed values."""
    element = write(("created", "1945-09-24", ""))
    created = element.find("dcterms:created", namespaces=NAMESPACES)
    created.text = "circa 1945"
    assert not schema("oai-pmh-qdc-validate.xsd").validate(etree.ElementTree(element))


def test_qdc_through_the_endpoint(client, published):
    item = published(title="Soviet troops leaving Norway")
    root = request(client, verb="ListRecords", metadataPrefix="qdc")
    assert xpath(root, "//qdc:qualifieddc/dc:title/text()") == ["Soviet troops leaving Norway"]
    assert xpath(root, "//qdc:qualifieddc/@xsi:schemaLocation") == ["urn:arkiv:qdc http://testserver/oai/schemas/qdc.xsd"]
    assert xpath(root, "//oai:header/oai:identifier/text()") == [oai_id(item.identifier)]


# --- Authority URIs ---------------------------------------------------------------------------

def linked_item(published, **fields):
    from catalog.models import Statement
    from tests.factories import AuthorityFactory, AuthorityLinkFactory

    item = published(**fields)
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff", agent_type="person")
    AuthorityLinkFactory(authority=diakonoff, source="wikidata", uri="http://www.wikidata.org/entity/Q1372270")
    AuthorityLinkFactory(authority=diakonoff, source="viaf", uri="http://viaf.org/viaf/108497416")
    kirkenes = AuthorityFactory(kind="place", preferred_label="Kirkenes", latitude="69.7271", longitude="30.045")
    AuthorityLinkFactory(authority=kirkenes, source="geonames", uri="https://sws.geonames.org/779683/")
    unlinked = AuthorityFactory(kind="concept", preferred_label="Liberation of Finnmark")
    for position, (term, authority) in enumerate([("creator", diakonoff), ("spatial", kirkenes), ("subject", unlinked)], start=10):
        Statement.objects.create(item=item, term=term, value=authority.preferred_label, authority=authority, position=position)
    return item


def values_of(record, term):
    return [
        (element.text, element.get(XSI_TYPE))
        for element in xpath(record, f"//qdc:qualifieddc/*[local-name()='{term}']")
    ]


def test_authority_uris_follow_their_value_typed_as_uris(client, published):
    item = linked_item(published)
    record = request(client, verb="GetRecord", metadataPrefix="qdc", identifier=oai_id(item.identifier))  # validated
    assert values_of(record, "creator") == [
        ("Igor Diakonoff", None),
        ("http://viaf.org/viaf/108497416", "dcterms:URI"),
        ("http://www.wikidata.org/entity/Q1372270", "dcterms:URI"),
    ]
    assert values_of(record, "spatial") == [("Kirkenes", None), ("https://sws.geonames.org/779683/", "dcterms:URI")]
    assert values_of(record, "subject") == [("Liberation of Finnmark", None)]  # a record with no external URI


def test_oai_dc_keeps_the_labels_only(client, published):
    item = linked_item(published)
    record = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(item.identifier))
    assert xpath(record, "//dc:creator/text()") == ["Igor Diakonoff"]


def test_authority_uris_cost_one_query_for_the_whole_page(client, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            request(client, verb="ListRecords", metadataPrefix="qdc")
        return len(captured)

    linked_item(published)
    one = queries()
    for _ in range(4):
        linked_item(published)
    assert queries() == one
    records = request(client, verb="ListRecords", metadataPrefix="qdc")
    assert len(xpath(records, "//dc:creator[@xsi:type='dcterms:URI']")) == 10
