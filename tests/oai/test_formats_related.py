"""Relations to other records in OAI-PMH: qdc carries the other record's OAI identifier and page
typed dcterms:URI, oai_dc its page in dc:relation (dc:source); a relation to an item no harvester
sees stays text. Every response is validated against the official schemas (support.request)."""
import pytest
from lxml import etree

from catalog import services
from catalog.exports.static import write_list_records
from catalog.models import Item, Statement
from tests.factories import ItemFactory
from tests.oai.support import oai_id, request, schema, xpath

pytestmark = pytest.mark.django_db

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
NOTE_PAGE = "http://testserver/items/finnmark-1945-note-0924/"


@pytest.fixture
def note():
    return ItemFactory(identifier="finnmark-1945-note-0924", title="Note on the Soviet forces", dcmi_type="Text", status=Item.PUBLISHED)


@pytest.fixture
def article(note):
    article = ItemFactory(identifier="barentsobserver-2015", title="70 years since", dcmi_type="Text", status=Item.PUBLISHED)
    Statement.objects.create(item=article, term="references", value="Note of 24 September 1945", target=note, position=5)
    Statement.objects.create(item=article, term="source", value="Aftenposten, 13 May 2015", position=6)
    return article


def get(client, prefix, identifier="barentsobserver-2015"):
    return request(client, verb="GetRecord", metadataPrefix=prefix, identifier=oai_id(identifier))


def test_qdc_carries_the_text_and_the_other_records_oai_identifier_and_page(client, article):
    root = get(client, "qdc")
    references = [(e.text, e.get(XSI_TYPE)) for e in xpath(root, "//qdc:qualifieddc/dcterms:references")]
    assert references == [
        ("Note of 24 September 1945", None),
        (oai_id("finnmark-1945-note-0924"), "dcterms:URI"),
        (NOTE_PAGE, "dcterms:URI"),
    ]
    # A relation to no item of the catalogue is text only.
    assert [(e.text, e.get(XSI_TYPE)) for e in xpath(root, "//dc:source")] == [("Aftenposten, 13 May 2015", None)]


def test_oai_dc_carries_the_other_records_page_in_dc_relation(client, article):
    root = get(client, "oai_dc")
    assert xpath(root, "//oai_dc:dc/dc:relation/text()") == ["Note of 24 September 1945", NOTE_PAGE]


def test_dc_source_to_an_item_stays_dc_source(client, note):
    copy = ItemFactory(identifier="copy", title="A copy", status=Item.PUBLISHED)
    Statement.objects.create(item=copy, term="source", value="The note", target=note, position=3)
    root = get(client, "oai_dc", "copy")
    assert xpath(root, "//dc:source/text()") == ["The note", NOTE_PAGE]
    root = get(client, "qdc", "copy")
    assert [e.get(XSI_TYPE) for e in xpath(root, "//dc:source")] == [None, "dcterms:URI", "dcterms:URI"]


@pytest.mark.parametrize("prefix", ["oai_dc", "qdc"])
def test_a_relation_to_an_item_no_harvester_sees_is_text_only(client, note, article, prefix):
    services.item_withdraw(item=note)
    root = get(client, prefix)
    texts = xpath(root, "//oai:metadata//text()")
    assert "Note of 24 September 1945" in texts
    assert not any("finnmark-1945-note-0924" in text for text in texts)


def test_the_static_export_writes_the_links_as_the_formats_do(tmp_path, article):
    site = "https://arkiv.example.org"
    path = tmp_path / "qdc.xml"
    write_list_records(path, "qdc", base_url=f"{site}/oai", site_url=site)
    document = etree.parse(str(path))
    assert schema("oai-pmh-qdc-validate.xsd").validate(document), schema("oai-pmh-qdc-validate.xsd").error_log
    assert xpath(document.getroot(), "//dcterms:references[@xsi:type='dcterms:URI']/text()") == [
        oai_id("finnmark-1945-note-0924"), f"{site}/items/finnmark-1945-note-0924/",
    ]
