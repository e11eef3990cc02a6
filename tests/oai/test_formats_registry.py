"""The registry: a format is a MetadataFormat in a module of catalog/oai/formats/."""
import pytest
from lxml import etree

from catalog.dublincore import NS_DC, NS_OAI_DC
from catalog.oai import formats
from tests.oai.support import request, xpath

pytestmark = pytest.mark.django_db


def titles_only(parent, description):
    e_dc = etree.SubElement(parent, etree.QName(NS_OAI_DC, "dc"), nsmap={"oai_dc": NS_OAI_DC, "dc": NS_DC})
    for term, value, lang in description.values:
        if term == "title":
            etree.SubElement(e_dc, etree.QName(NS_DC, "title")).text = value
    return e_dc


TITLES = formats.MetadataFormat(
    prefix="titles", namespace=NS_OAI_DC, schema="http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    nsmap={"oai_dc": NS_OAI_DC, "dc": NS_DC}, write=titles_only,
)


def test_the_built_in_formats_are_found_by_their_modules():
    assert [f.prefix for f in formats.all_formats()] == ["oai_dc", "edm", "qdc"]


def test_two_formats_cannot_share_a_prefix():
    with pytest.raises(ValueError, match="Two formats claim the metadataPrefix “oai_dc”"):
        formats.register(formats.MetadataFormat(prefix="oai_dc", namespace="urn:x", write=titles_only))


def test_a_registered_format_is_offered_and_disseminated(client, monkeypatch, published):
    monkeypatch.setitem(formats._registry, "titles", TITLES)
    published(title="Kirkenes, October 1944")
    listed = request(client, verb="ListMetadataFormats")
    assert "titles" in xpath(listed, "//oai:metadataPrefix/text()")
    root = request(client, verb="ListRecords", metadataPrefix="titles")
    assert xpath(root, "//oai:metadata/oai_dc:dc/*/text()") == ["Kirkenes, October 1944"]
