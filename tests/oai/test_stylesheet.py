"""The stylesheet that turns /oai into a page for people: applied by lxml, and by a real browser."""
import os
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from lxml import etree, html

from tests.oai.support import oai_id

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def stylesheet():
    return etree.XSLT(etree.parse(finders.find("catalog/oai.xsl")))


def page(client, stylesheet, **params):
    response = client.get("/oai", params)
    return html.fromstring(str(stylesheet(etree.fromstring(response.content))))


def test_the_stylesheet_is_served(client):
    response = client.get("/static/catalog/oai.xsl")
    assert response.status_code == 200
    etree.fromstring(b"".join(response.streaming_content))


def test_identify_reads_as_a_page(client, stylesheet):
    document = page(client, stylesheet, verb="Identify")
    assert document.findtext(".//h2") == "Arkiv demo catalogue"
    assert "http://testserver/oai?verb=ListSets" in document.xpath("//nav/a/@href")


def test_records_link_to_their_record_and_the_next_page(client, settings, stylesheet, published, withdrawn):
    settings.ARKIV_OAI_PAGE_SIZE = 2
    first, second = published(title="Kirkenes liberated"), published()
    withdrawn()
    document = page(client, stylesheet, verb="ListRecords", metadataPrefix="oai_dc")
    links = document.xpath("//a/@href")
    assert f"http://testserver/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={oai_id(first.identifier)}" in links
    assert "Kirkenes liberated" in document.text_content()
    assert "1–2 of 3" in " ".join(document.text_content().split())
    assert any(link.startswith("http://testserver/oai?verb=ListRecords&resumptionToken=") for link in links)


def test_errors_read_as_a_page(client, stylesheet):
    document = page(client, stylesheet, verb="Frobnicate")
    assert "badVerb" in document.text_content()


CHROMIUM = Path(os.environ.get("ARKIV_CHROMIUM", "/usr/bin/chromium"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_browser_shows_the_endpoint_as_a_page(live_server, published):
    if not CHROMIUM.exists():
        pytest.fail(f"No chromium at {CHROMIUM}: run `make chromium`, or set ARKIV_CHROMIUM.")
    from playwright.sync_api import sync_playwright

    published(title="Soviet troops leaving Norway")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            tab.goto(f"{live_server.url}/oai?verb=ListRecords&metadataPrefix=oai_dc")
            assert tab.locator("h1").inner_text() == "OAI-PMH repository"
            assert "Soviet troops leaving Norway" in tab.locator("main").inner_text()
            tab.get_by_role("link", name="Identify").click()
            tab.wait_for_url("**verb=Identify")
            assert tab.locator("h2").inner_text() == "Arkiv demo catalogue"
        finally:
            browser.close()
