"""Every error condition of OAI-PMH 2.0 section 3.6: HTTP 200, <error code>, and a request
element that echoes the arguments except when they are what is wrong."""
import pytest

from catalog.oai import tokens
from tests.factories import ItemFactory
from tests.oai.support import errors, oai_id, request, xpath

pytestmark = pytest.mark.django_db


def echoed(root):
    return dict(xpath(root, "/oai:OAI-PMH/oai:request")[0].attrib)


def messages(root):
    return xpath(root, "/oai:OAI-PMH/oai:error/text()")


@pytest.mark.parametrize("params", [
    {},
    {"verb": "ListThings"},
    {"verb": "listrecords", "metadataPrefix": "oai_dc"},
    {"verb": ["Identify", "Identify"]},
    {"verb": ""},
])
def test_bad_verb_missing_unknown_wrong_case_or_repeated(client, params):
    root = request(client, **params)
    assert errors(root) == ["badVerb"]
    assert echoed(root) == {}
    assert xpath(root, "/oai:OAI-PMH/oai:request/text()") == ["http://testserver/oai"]


def test_a_verb_in_the_wrong_case_is_named_in_the_message(client):
    assert "write ListRecords" in messages(request(client, verb="listRecords"))[0]


@pytest.mark.parametrize("params, hint", [
    ({"verb": "ListRecords"}, "needs “metadataPrefix”"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "needs “identifier”"),
    ({"verb": "Identify", "set": "a"}, "does not take “set”"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "given 2 times"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": ""}, "“from” is empty"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"}, "not a UTC datestamp"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-05-31T12:00:00"}, "not a UTC datestamp"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-05-31T12:00Z"}, "not a UTC datestamp"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "31.05.2024"}, "not a UTC datestamp"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-05-01", "until": "2024-05-31T00:00:00Z"}, "different granularities"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-06-01", "until": "2024-05-31"}, "later than until"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a::b"}, "is not a setSpec"),
    ({"verb": "ListRecords", "metadataPrefix": "oai dc"}, "is not a metadataPrefix"),
    ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "must come alone"),
    ({"verb": "ListSets", "resumptionToken": "x", "set": "a"}, "does not take “set”"),
])
def test_bad_argument(client, params, hint):
    root = request(client, **params)
    assert set(errors(root)) == {"badArgument"}
    assert any(hint in message for message in messages(root)), messages(root)
    assert echoed(root) == {}


def test_every_fault_of_a_request_is_reported(client):
    root = request(client, verb="ListRecords", metadataPrefix=["a", "b"], colour="blue", until="soon")
    assert errors(root) == ["badArgument"] * 3


def test_a_forged_or_altered_token_is_a_bad_resumption_token(client, published):
    published()
    genuine, _ = tokens.issue("ListRecords", {"arguments": {"metadataPrefix": "oai_dc"}, "cursor": [None, None], "n": 0, "total": 1})
    for token in ["not-a-token", genuine[:-2] + "xx", genuine.replace(":", ";", 1)]:
        root = request(client, verb="ListRecords", resumptionToken=token)
        assert errors(root) == ["badResumptionToken"]
        assert echoed(root) == {"verb": "ListRecords", "resumptionToken": token}


def test_a_token_of_one_verb_is_refused_by_another(client):
    listed, _ = tokens.issue("ListIdentifiers", {"arguments": {"metadataPrefix": "oai_dc"}, "cursor": [None, None], "n": 0, "total": 1})
    root = request(client, verb="ListRecords", resumptionToken=listed)
    assert errors(root) == ["badResumptionToken"]
    assert "with verb=ListRecords" in messages(root)[0]


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_an_unknown_format_cannot_be_disseminated(client, published, verb):
    published()
    root = request(client, verb=verb, metadataPrefix="marc21")
    assert errors(root) == ["cannotDisseminateFormat"]
    assert "oai_dc, edm, qdc" in messages(root)[0]
    assert echoed(root) == {"verb": verb, "metadataPrefix": "marc21"}


def test_get_record_in_an_unknown_format(client, published):
    item = published()
    root = request(client, verb="GetRecord", metadataPrefix="mods", identifier=oai_id(item.identifier))
    assert errors(root) == ["cannotDisseminateFormat"]


@pytest.mark.parametrize("identifier", [
    "oai:arkiv.example.org:no-such-item",
    "oai:another.example.org:item-00001",
    "oai:arkiv.example.org:",
    "item-00001",
])
def test_unknown_or_illegal_identifiers_do_not_exist(client, identifier):
    root = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
    assert errors(root) == ["idDoesNotExist"]
    assert echoed(root) == {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier}
    root = request(client, verb="ListMetadataFormats", identifier=identifier)
    assert errors(root) == ["idDoesNotExist"]


def test_drafts_do_not_exist_for_harvesters(client):
    draft = ItemFactory()
    root = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(draft.identifier))
    assert errors(root) == ["idDoesNotExist"]


def test_an_empty_repository_has_no_records_to_match(client):
    ItemFactory()  # a draft: harvesters do not see it
    for verb in ("ListRecords", "ListIdentifiers"):
        assert errors(request(client, verb=verb, metadataPrefix="oai_dc")) == ["noRecordsMatch"]


@pytest.mark.parametrize("params", [
    {"from": "2999-01-01"},
    {"until": "1999-12-31"},
    {"set": "no-such-collection"},
    {"set": "type:Sound"},
])
def test_an_empty_list_is_no_records_match(client, published, params):
    published(dcmi_type="StillImage")
    for verb in ("ListRecords", "ListIdentifiers"):
        root = request(client, verb=verb, metadataPrefix="oai_dc", **params)
        assert errors(root) == ["noRecordsMatch"]
        assert echoed(root) == {"verb": verb, "metadataPrefix": "oai_dc", **params}


def test_arguments_are_echoed_escaped(client, published):
    root = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier='oai:arkiv.example.org:<a href="x">&amp;')
    assert errors(root) == ["idDoesNotExist"]
    assert echoed(root)["identifier"] == 'oai:arkiv.example.org:<a href="x">&amp;'


def test_characters_xml_forbids_in_arguments_are_dropped_from_the_echo(client):
    root = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:arkiv.example.org:a\x00b\x0bc")
    assert errors(root) == ["idDoesNotExist"]
    assert echoed(root)["identifier"] == "oai:arkiv.example.org:abc"
