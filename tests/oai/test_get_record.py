import pytest

from tests.factories import CollectionFactory
from tests.oai.support import at, oai_id, request, xpath

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix, title", [
    ("oai_dc", "oai_dc:dc/dc:title"),
    ("qdc", "qdc:qualifieddc/dc:title"),
])
def test_get_record_in_each_format(client, published, prefix, title):
    item = published(title="Note of 24 September 1945", datestamp=at("2024-05-08T10:00:00.250000Z"))
    root = request(client, verb="GetRecord", metadataPrefix=prefix, identifier=oai_id(item.identifier))
    assert xpath(root, "//oai:record/oai:header/oai:identifier/text()") == [oai_id(item.identifier)]
    assert xpath(root, "//oai:record/oai:header/oai:datestamp/text()") == ["2024-05-08T10:00:00Z"]
    assert xpath(root, f"//oai:record/oai:metadata/{title}/text()") == ["Note of 24 September 1945"]


def test_get_record_header_lists_the_sets(client, published):
    item = published(dcmi_type="Text")
    item.collections.add(CollectionFactory(identifier="notes"))
    root = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(item.identifier))
    assert xpath(root, "//oai:header/oai:setSpec/text()") == ["notes", "type:Text"]


def test_get_record_of_a_deleted_item(client, withdrawn):
    item = withdrawn(dcmi_type="Text")
    root = request(client, verb="GetRecord", metadataPrefix="qdc", identifier=oai_id(item.identifier))
    assert xpath(root, "//oai:record/oai:header/@status") == ["deleted"]
    assert xpath(root, "//oai:record/oai:header/oai:setSpec/text()") == ["type:Text"]
    assert not xpath(root, "//oai:record/oai:metadata")


def test_get_record_echoes_its_arguments(client, published):
    item = published()
    root = request(client, method="post", verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(item.identifier))
    assert dict(xpath(root, "/oai:OAI-PMH/oai:request")[0].attrib) == {
        "verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": oai_id(item.identifier),
    }
