"""The HTTP side: methods, content type, the browser stylesheet, and data that XML forbids."""
from http import HTTPStatus

import pytest
from lxml import etree

from catalog.models import Authority, Statement
from tests.oai.support import check, oai_id, request, xpath

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("params", [
    {"verb": "Identify"},
    {"verb": "ListSets"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2000-01-01"},
    {"verb": "Nonsense"},
])
def test_get_and_post_give_the_same_answer(client, published, params):
    published(title="Kirkenes liberated")

    def without_date(root):
        date = xpath(root, "/oai:OAI-PMH/oai:responseDate")[0]
        date.getparent().remove(date)
        return etree.tostring(root)

    by_get = request(client, "get", **params)
    by_post = check(client.post("/oai", params))  # form-urlencoded, as the test client sends it
    assert without_date(by_get) == without_date(by_post)


def test_other_methods_are_refused(client):
    assert client.put("/oai?verb=Identify").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_post_needs_no_csrf_token(published):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    check(strict.post("/oai", {"verb": "Identify"}))


def test_responses_are_utf8_xml_and_nothing_else(client):
    response = client.get("/oai", {"verb": "Identify"})
    assert response["Content-Type"] == "text/xml; charset=UTF-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    # No xml-stylesheet instruction (browsers are dropping XSLT): people read /oai/browse.
    assert etree.fromstring(response.content).getroottree().getroot().getprevious() is None
    assert b"<?xml-stylesheet" not in response.content


def test_the_old_stylesheet_is_gone(client):
    assert client.get("/static/catalog/oai.xsl").status_code == 404


def test_characters_xml_forbids_in_the_catalogue_never_break_a_response(client, published):
    # (No NUL: PostgreSQL cannot store it, so no catalogue holds one.)
    item = published(title="Bridge\x0b over the Jakobselv\uffff")
    Statement.objects.create(item=item, term="description", value="Troops\x1b leaving \ufffeNorway", lang="en")
    agent = Authority.objects.create(kind="agent", preferred_label="Sør-Varanger\x07 Museum")
    Statement.objects.create(item=item, term="creator", value="", authority=agent)
    for prefix in ("oai_dc", "qdc"):
        for root in (
            request(client, verb="ListRecords", metadataPrefix=prefix),
            request(client, verb="GetRecord", metadataPrefix=prefix, identifier=oai_id(item.identifier)),
        ):
            values = xpath(root, "//oai:metadata/*/*/text()")
            assert "Bridge over the Jakobselv" in values
            assert "Troops leaving Norway" in values
            assert "Sør-Varanger Museum" in values
