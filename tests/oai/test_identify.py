from pathlib import Path

import pytest
from lxml import etree

from catalog.models import Item
from tests.factories import ItemFactory
from tests.oai.support import at, oai_id, request, xpath

pytestmark = pytest.mark.django_db


def identify(client, **params):
    return request(client, verb="Identify", **params)


def field(root, name):
    return xpath(root, f"/oai:OAI-PMH/oai:Identify/oai:{name}/text()")


def test_identify_describes_the_repository(client, settings):
    settings.ARKIV_REPOSITORY_NAME = "Sør-Varanger archive"
    settings.ARKIV_ADMIN_EMAIL = "arkiv@example.org"
    root = identify(client)
    assert field(root, "repositoryName") == ["Sør-Varanger archive"]
    assert field(root, "protocolVersion") == ["2.0"]
    assert field(root, "adminEmail") == ["arkiv@example.org"]
    assert field(root, "deletedRecord") == ["persistent"]
    assert field(root, "granularity") == ["YYYY-MM-DDThh:mm:ssZ"]


def test_base_url_is_exactly_the_endpoint(client, settings):
    assert field(identify(client), "baseURL") == ["http://testserver/oai"]
    settings.ARKIV_BASE_URL = "https://arkiv.example.org/"
    assert field(identify(client), "baseURL") == ["https://arkiv.example.org/oai"]


def test_the_endpoint_answers_without_a_redirect(client):
    response = client.get("/oai", {"verb": "Identify"})
    assert response.status_code == 200
    assert client.get("/oai/", {"verb": "Identify"}).status_code == 404


def test_earliest_datestamp_is_not_later_than_any_record_deleted_ones_included(client, published, withdrawn):
    published(datestamp=at("2021-03-04T05:06:07.890000Z"))
    gone = withdrawn()
    gone.tombstone.datestamp = at("2019-01-02T03:04:05.600000Z")
    gone.tombstone.save()
    assert field(identify(client), "earliestDatestamp") == ["2019-01-02T03:04:05Z"]


def test_earliest_datestamp_never_rounds_up(client, published):
    published(datestamp=at("2021-03-04T05:06:07.999999Z"))
    assert field(identify(client), "earliestDatestamp") == ["2021-03-04T05:06:07Z"]


def test_oai_identifier_description_gives_a_real_sample(client, published):
    item = published(identifier="kirkenes-1945-003")
    root = identify(client)
    description = "/oai:OAI-PMH/oai:Identify/oai:description/id:oai-identifier"
    assert xpath(root, f"{description}/id:scheme/text()") == ["oai"]
    assert xpath(root, f"{description}/id:repositoryIdentifier/text()") == ["arkiv.example.org"]
    assert xpath(root, f"{description}/id:delimiter/text()") == [":"]
    sample = xpath(root, f"{description}/id:sampleIdentifier/text()")[0]
    assert sample == oai_id(item.identifier)
    record = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=sample)
    assert xpath(record, "//oai:header/oai:identifier/text()") == [sample]


def test_identify_takes_no_arguments(client):
    root = identify(client, metadataPrefix="oai_dc")
    assert xpath(root, "/oai:OAI-PMH/oai:error/@code") == ["badArgument"]


SHARED_SCHEMAS = Path("/work/shared/schemas")


def test_identify_validates_against_the_official_schemas_with_its_description(client, published):
    """Against the kit's own driver (OAI-PMH.xsd, oai-identifier.xsd, friends, eprints ...), not
    only the copy the tests vendor: the description's schema is loaded, so it is checked strictly."""
    published(identifier="kirkenes-1945-003")
    response = client.get("/oai", {"verb": "Identify"})
    root = etree.fromstring(response.content)
    schema = etree.XMLSchema(etree.parse(str(SHARED_SCHEMAS / "oai-pmh-validate.xsd")))
    assert schema.validate(root), schema.error_log
    assert xpath(root, "count(//oai:Identify/oai:description)") == 1


def test_the_only_description_is_oai_identifier(client, published):
    """Arkiv is no e-print archive and keeps no list of friends: no eprints, friends or branding
    description may claim otherwise."""
    published()
    root = identify(client)
    containers = [etree.QName(element).text for element in xpath(root, "//oai:Identify/oai:description/*")]
    assert containers == ["{http://www.openarchives.org/OAI/2.0/oai-identifier}oai-identifier"]


def test_with_nothing_published_there_is_no_sample_and_no_description(client, withdrawn):
    withdrawn(identifier="gone-1")  # a deleted record's identifier answers GetRecord with no record
    root = identify(client)
    assert xpath(root, "//oai:Identify/oai:description") == []
    # The messages still show the form of an identifier.
    missing = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:arkiv.example.org:nothing")
    assert "oai:arkiv.example.org:gone-1" in xpath(missing, "/oai:OAI-PMH/oai:error/text()")[0]


def test_the_sample_is_a_published_record_never_a_draft_or_a_deleted_one(client, published, withdrawn):
    withdrawn(identifier="a-gone")
    ItemFactory(identifier="b-draft", status=Item.DRAFT)
    published(identifier="c-published")
    sample = xpath(identify(client), "//id:sampleIdentifier/text()")
    assert sample == [oai_id("c-published")]


def test_admin_email_comes_from_the_setting(client, settings):
    settings.ARKIV_ADMIN_EMAIL = "harvesting@arkiv.example.org"
    assert field(identify(client), "adminEmail") == ["harvesting@arkiv.example.org"]
