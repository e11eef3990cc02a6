"""The OAI-PMH pages for people (/oai/browse) in chromium: reached from the footer, read on a
phone without sideways scrolling, paged by resumption token, and no XSLT anywhere."""
import pytest
from playwright.sync_api import expect

from catalog.oai import formats

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"The page threw uncaught JavaScript errors: {errors}"


def overflow(tab):
    """How far the page is wider than the screen, in CSS pixels (0 when it fits)."""
    return tab.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def wider_than_screen(tab):
    """The elements that stick out to the right of the screen, to name them when one does."""
    return tab.evaluate("""() => Array.from(document.querySelectorAll('main *'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5).map(e => e.outerHTML.slice(0, 120))""")


def test_a_visitor_finds_the_harvesting_pages_from_the_footer(page, site, catalogue, screenshot):
    page.goto(f"{site}/")
    page.locator(".site-footer").get_by_role("link", name="Harvesting (OAI-PMH)").click()
    expect(page.locator("h1")).to_have_text("Harvesting over OAI-PMH")
    expect(page.locator("#answer-title")).to_have_text("Identify")
    expect(page.locator(".oai-fields")).to_contain_text("Arkiv demo catalogue")
    screenshot(page, "oai-identify-desktop")

    page.get_by_role("link", name="Formats ListMetadataFormats").click()
    for metadata_format in formats.all_formats():
        expect(page.locator(".oai-table")).to_contain_text(metadata_format.prefix)
    page.get_by_role("link", name="Records in qdc").click()
    expect(page.locator(".oai-record").first).to_be_visible()
    expect(page.locator(".oai-record").first).to_contain_text("dcterms:")
    screenshot(page, "oai-records-qdc-desktop")


@pytest.mark.parametrize("name, query", [
    ("identify", "verb=Identify"),
    ("formats", "verb=ListMetadataFormats"),
    ("sets", "verb=ListSets"),
    ("records-oai_dc", "verb=ListRecords&metadataPrefix=oai_dc"),
    ("records-qdc", "verb=ListRecords&metadataPrefix=qdc"),
    ("identifiers", "verb=ListIdentifiers&metadataPrefix=oai_dc&set=type:StillImage"),
    ("error", "verb=ListRecords&metadataPrefix=oai_dc&from=2024-05-31&until=2024-01-01"),
])
def test_no_page_is_wider_than_a_phone(phone, site, catalogue, screenshot, name, query):
    phone.goto(f"{site}/oai/browse?{query}")
    expect(phone.locator("#answer-title")).to_be_visible()
    screenshot(phone, f"oai-{name}-390")
    assert overflow(phone) <= 0, wider_than_screen(phone)


def test_a_record_with_long_uris_fits_a_phone(phone, site, catalogue, screenshot):
    identifier = f"oai:arkiv.example.org:{catalogue.photograph.identifier}"
    phone.goto(f"{site}/oai/browse?verb=GetRecord&metadataPrefix=qdc&identifier={identifier}")
    expect(phone.locator(".oai-record")).to_contain_text(catalogue.photograph.identifier)
    screenshot(phone, "oai-getrecord-qdc-390")
    assert overflow(phone) <= 0, wider_than_screen(phone)


def test_a_list_is_read_a_page_at_a_time_on_a_phone(phone, site, catalogue, settings, screenshot):
    settings.ARKIV_BROWSE_PAGE_SIZE = 3
    phone.goto(f"{site}/oai/browse?verb=ListIdentifiers&metadataPrefix=oai_dc")
    first = phone.locator(".oai-record h3").all_inner_texts()
    assert len(first) == 3
    expect(phone.locator(".oai-position")).to_contain_text("1–3 of")
    phone.get_by_role("link", name="Next page").click()
    expect(phone.locator(".oai-position")).to_contain_text("4–6 of")
    second = phone.locator(".oai-record h3").all_inner_texts()
    assert not set(first) & set(second)
    assert "resumptionToken=" in phone.url
    screenshot(phone, "oai-identifiers-page-2-390")
    assert overflow(phone) <= 0, wider_than_screen(phone)


def test_a_bad_request_is_answered_with_the_endpoints_error_in_words(phone, site, catalogue):
    phone.goto(f"{site}/oai/browse?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:arkiv.example.org:nothing-here")
    alert = phone.get_by_role("alert")
    expect(alert).to_contain_text("idDoesNotExist")
    expect(alert).to_contain_text("No record has the identifier")
    # The form is open, holding the request, to be corrected.
    expect(phone.locator("#oai-identifier")).to_have_value("oai:arkiv.example.org:nothing-here")


def test_the_endpoint_itself_is_xml_with_no_stylesheet(page, site, catalogue):
    response = page.request.get(f"{site}/oai?verb=Identify")
    assert response.headers["content-type"] == "text/xml; charset=UTF-8"
    assert b"xml-stylesheet" not in response.body()
