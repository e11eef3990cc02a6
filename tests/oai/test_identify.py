import pytest

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
