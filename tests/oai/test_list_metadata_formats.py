import pytest
from lxml import etree

from tests.oai.support import errors, oai_id, request, xpath

pytestmark = pytest.mark.django_db


def formats(root):
    return {
        prefix: (schema, namespace)
        for prefix, schema, namespace in zip(
            xpath(root, "//oai:metadataFormat/oai:metadataPrefix/text()"),
            xpath(root, "//oai:metadataFormat/oai:schema/text()"),
            xpath(root, "//oai:metadataFormat/oai:metadataNamespace/text()"),
        )
    }


def test_lists_simple_and_qualified_dublin_core_and_edm(client):
    assert formats(request(client, verb="ListMetadataFormats")) == {
        "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
        "qdc": ("http://testserver/oai/schemas/qdc.xsd", "urn:arkiv:qdc"),
        "edm": ("http://www.europeana.eu/schemas/edm/EDM.xsd", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    }


def test_the_qdc_schema_is_served_with_the_schemas_it_imports(client):
    response = client.get("/oai/schemas/qdc.xsd")
    assert response.status_code == 200
    assert b'schemaLocation="dcterms.xsd"' in b"".join(response.streaming_content)
    for name in ("dcterms.xsd", "dc.xsd", "dcmitype.xsd", "xml.xsd"):
        served = client.get(f"/oai/schemas/{name}")
        assert served.status_code == 200
        etree.fromstring(b"".join(served.streaming_content))  # well-formed
    assert client.get("/oai/schemas/README.md").status_code == 404
    assert client.get("/oai/schemas/..%2Furls.py").status_code == 404


def test_formats_of_one_item_published_or_deleted(client, published, withdrawn):
    # An item with no rights statement Europeana accepts has no edm record; a deleted record is
    # reported deleted in every format.
    for item, offered in ((published(), {"oai_dc", "qdc"}), (withdrawn(), {"oai_dc", "edm", "qdc"})):
        root = request(client, verb="ListMetadataFormats", identifier=oai_id(item.identifier))
        assert set(formats(root)) == offered


def test_formats_of_an_unknown_item(client):
    root = request(client, verb="ListMetadataFormats", identifier=oai_id("nothing-here"))
    assert errors(root) == ["idDoesNotExist"]
