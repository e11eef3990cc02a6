"""/oai/browse: the OAI-PMH verbs as pages for people, answered by the endpoint's own code."""
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from lxml import etree

from catalog.models import Statement
from catalog.oai import formats
from tests.factories import CollectionFactory
from tests.oai.support import errors, oai_id, request, xpath

pytestmark = pytest.mark.django_db

PAGE = "/oai/browse"


def page(client, **params):
    response = client.get(PAGE, params)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return lxml.html.fromstring(response.content)


def text(document, path):
    return [" ".join(element.text_content().split()) for element in document.xpath(path)]


def links(document, path="//a"):
    return [element.get("href") for element in document.xpath(path)]


def query(url):
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_without_a_verb_the_page_is_identify(client, settings, published):
    settings.ARKIV_ADMIN_EMAIL = "arkiv@example.org"
    item = published(identifier="kirkenes-1945-003")
    document = page(client)
    assert text(document, "//*[@id='answer-title']") == ["Identify"]
    rows = dict(zip(text(document, "//dl[contains(concat(' ', normalize-space(@class), ' '), ' oai-fields ')]//dt/code"), text(document, "//dl[contains(concat(' ', normalize-space(@class), ' '), ' oai-fields ')]//dd")))
    assert rows["repositoryName"] == "Arkiv demo catalogue"
    assert rows["baseURL"] == "http://testserver/oai"
    assert rows["sampleIdentifier"] == oai_id(item.identifier)
    assert "mailto:arkiv@example.org" in links(document, "//dl[contains(concat(' ', normalize-space(@class), ' '), ' oai-fields ')]//dd/a")
    sample = next(url for url in links(document, "//dl[contains(concat(' ', normalize-space(@class), ' '), ' oai-fields ')]//dd/a") if "GetRecord" in url)
    assert query(sample) == {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": oai_id(item.identifier)}


def test_the_page_is_the_endpoints_answer_and_links_it_as_xml(client, published):
    published(title="Soviet troops leaving Norway")
    document = page(client, verb="ListRecords", metadataPrefix="oai_dc")
    xml_link = links(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-answer ')]//*[contains(concat(' ', normalize-space(@class), ' '), ' toolbar ')]//a")[0]
    assert urlsplit(xml_link).path == "/oai"
    assert query(xml_link) == {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    root = request(client, verb="ListRecords", metadataPrefix="oai_dc")
    shown = text(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record ')]//td/span[contains(concat(' ', normalize-space(@class), ' '), ' oai-value ')]")
    assert shown == [" ".join(value.split()) for value in xpath(root, "//oai:metadata/*/*/text()")]
    assert text(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record ')]//h3") == xpath(root, "//oai:header/oai:identifier/text()")


def test_a_list_is_paged_by_the_endpoints_resumption_token(client, settings, published):
    settings.ARKIV_BROWSE_PAGE_SIZE = 2
    made = [published(title=f"Photograph {n}") for n in range(5)]
    seen, url, positions = [], f"{PAGE}?verb=ListIdentifiers&metadataPrefix=qdc", []
    while url:
        document = lxml.html.fromstring(client.get(url).content)
        headers = text(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record ')]//h3")
        assert len(headers) <= 2  # bounded: one page of records
        seen += headers
        positions += text(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-position ')]")
        next_links = links(document, "//a[@rel='next']")
        url = next_links[0] if next_links else None
        if url:
            token = query(url)["resumptionToken"]
            # The token is the endpoint's own: /oai takes it as it is.
            assert not errors(request(client, verb="ListIdentifiers", resumptionToken=token))
    assert seen == [oai_id(item.identifier) for item in made]
    assert positions == ["1–2 of 5", "3–4 of 5", "5–5 of 5"]
    # Records of a page carried on by a token link to their record in the list's format.
    record_links = links(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record ')]//h3/a")
    assert query(record_links[0])["metadataPrefix"] == "qdc"


def test_bad_arguments_get_the_endpoints_errors(client):
    root = request(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-05-31", "until": "2024-01-01"})
    document = page(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-05-31", "until": "2024-01-01"})
    assert text(document, "//*[@role='alert']//li/code") == errors(root) == ["badArgument"]
    message = xpath(root, "/oai:OAI-PMH/oai:error/text()")[0]
    assert text(document, "//*[@role='alert']//li") == [f"badArgument {message}"]
    assert text(document, "//*[@id='answer-title']") == ["No answer"]


@pytest.mark.parametrize("params, codes", [
    ({"verb": "Frobnicate"}, ["badVerb"]),
    ({"verb": "GetRecord"}, ["badArgument", "badArgument"]),
    ({"verb": "GetRecord", "metadataPrefix": "marc", "identifier": "oai:arkiv.example.org:none"}, ["cannotDisseminateFormat"]),
    ({"verb": "ListRecords", "resumptionToken": "forged"}, ["badResumptionToken"]),
])
def test_every_fault_is_named_as_the_endpoint_names_it(client, params, codes):
    assert text(page(client, **params), "//*[@role='alert']//li/code") == codes == errors(request(client, **params))


def test_empty_form_fields_are_left_out_rather_than_refused(client, published):
    item = published()
    document = page(client, verb="ListRecords", metadataPrefix="oai_dc", set="", identifier="", until="")
    assert not document.xpath("//*[@role='alert']")
    assert text(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record ')]//h3") == [oai_id(item.identifier)]
    assert query(links(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-answer ')]//*[contains(concat(' ', normalize-space(@class), ' '), ' toolbar ')]//a")[0]) == {"verb": "ListRecords", "metadataPrefix": "oai_dc"}


def test_formats_are_the_registry_and_link_their_records(client):
    document = page(client, verb="ListMetadataFormats")
    prefixes = [f.prefix for f in formats.all_formats()]
    assert text(document, "//table[contains(concat(' ', normalize-space(@class), ' '), ' oai-table ')]/tbody//th/code") == prefixes
    assert [query(url) for url in links(document, "//table[contains(concat(' ', normalize-space(@class), ' '), ' oai-table ')]/tbody//td[last()]/a")] == [
        {"verb": "ListRecords", "metadataPrefix": prefix} for prefix in prefixes
    ]


def test_sets_link_their_records(client):
    CollectionFactory(identifier="kirkenes", title="Kirkenes", description="Photographs of Kirkenes.")
    document = page(client, verb="ListSets")
    rows = document.xpath("//table[contains(concat(' ', normalize-space(@class), ' '), ' oai-table ')]/tbody/tr")
    assert text(rows[0], "./th") == ["kirkenes"]
    assert text(rows[0], "./td") == ["Kirkenes", "Photographs of Kirkenes."]
    assert query(links(rows[0], "./th/a")[0]) == {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "kirkenes"}


def test_a_qdc_record_shows_names_schemes_and_languages(client, published):
    item = published(title="Kirkenes after the liberation")
    Statement.objects.create(item=item, term="created", value="1945-05-08", position=9)
    document = page(client, verb="GetRecord", metadataPrefix="qdc", identifier=oai_id(item.identifier))
    rows = {row.xpath("./th/code")[0].text: row for row in document.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record ')]//tbody/tr")}
    assert "dcterms:W3CDTF" in rows["dcterms:created"].text_content()
    title = rows["dc:title"].xpath(".//span[contains(concat(' ', normalize-space(@class), ' '), ' oai-value ')]")[0]
    assert title.get("lang") == "en"
    assert text(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record__header ')]/a")[-1] == "The item’s page"
    assert links(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record__header ')]/a")[-1] == f"http://testserver/items/{item.identifier}/"


def test_a_deleted_record_is_marked_and_has_no_page_link(client, withdrawn):
    gone = withdrawn()
    document = page(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(gone.identifier))
    assert document.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record--deleted ')]")
    assert "Deleted" in text(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record__header ')]")[0]
    assert "The item’s page" not in text(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' oai-record__header ')]")[0]


def test_the_page_speaks_the_readers_language(client, published):
    published()
    document = page(client, verb="Identify", lang="nb")
    assert document.get("lang") == "nb"
    assert text(document, "//h1") == ["Høsting over OAI-PMH"]
    # The language parameter is the site's, not the protocol's: no badArgument for it.
    assert not document.xpath("//*[@role='alert']")


def test_the_footer_links_the_pages_not_the_xml(client):
    document = lxml.html.fromstring(client.get("/").content)
    assert PAGE in links(document, "//*[contains(concat(' ', normalize-space(@class), ' '), ' site-footer ')]//a")


def test_only_get(client):
    assert client.post(PAGE, {"verb": "Identify"}).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_pages_are_not_indexed(client):
    document = page(client)
    assert document.xpath("//meta[@name='robots']")[0].get("content") == "noindex, follow"


def test_the_endpoint_still_answers_in_xml(client):
    response = client.get("/oai", {"verb": "Identify"})
    etree.fromstring(response.content)
    assert response["Content-Type"] == "text/xml; charset=UTF-8"


def test_the_pages_own_address_keeps_only_what_the_verb_took(client):
    document = page(client, verb="ListSets", junk="x")  # a fault: ListSets takes no junk
    canonical = document.xpath("//link[@rel='canonical']/@href")[0]
    assert query(canonical) == {"verb": "ListSets"}
    document = page(client, verb="ListMetadataFormats")
    assert query(document.xpath("//link[@rel='canonical']/@href")[0]) == {"verb": "ListMetadataFormats"}
