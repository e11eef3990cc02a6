"""The item page in the browser: the image, the description, and the metadata in <head>."""
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from catalog.site import citations, htmlmeta, jsonld
from catalog.models import Item
from tests.browser.conftest import HOSTILE_TITLE, PHOTOGRAPH_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def described(item):
    return Item.objects.with_description().get(pk=item.pk)


def head_metadata(page):
    """(tag, attributes) of every Dublin Core and Open Graph element in <head>, in order."""
    return page.eval_on_selector_all(
        "head link[rel^='schema.'], head meta[name^='DC.'], head meta[name^='DCTERMS.'], head meta[property^='og:']",
        """elements => elements.map(e => [e.localName,
            Array.from(e.attributes).filter(a => a.value).map(a => [a.name, a.value])])""",
    )


def json_ld(page):
    scripts = page.locator("head script[type='application/ld+json']")
    expect(scripts).to_have_count(1)
    return json.loads(scripts.text_content())


def test_a_photograph_shows_its_image_and_description(page, site, catalogue, screenshot):
    photograph = described(catalogue.photograph)
    digital_file = photograph.files.get()
    page.goto(f"{site}{photograph.get_absolute_url()}")

    expect(page.get_by_role("heading", level=1)).to_have_text(PHOTOGRAPH_TITLE)
    display_url = digital_file.url("display")
    image = page.get_by_role("main").locator(f"img[src$='{display_url}']")
    # The deep-zoom viewer stands in for the plain image once open (tests/browser/test_viewer.py).
    expect(image).to_be_attached()
    expect(page.get_by_role("region", name="Zoomable image")).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0, "The display image did not load"
    assert image.get_attribute("alt"), "The image has no alt text"
    main = page.get_by_role("main")
    expect(main).to_contain_text("September 1945")
    expect(main).to_contain_text("A generated picture standing in for the photograph of the border bridge.")
    screenshot(page, "item")


def test_head_carries_dublin_core_open_graph_and_json_ld(page, site, catalogue):
    photograph = described(catalogue.photograph)
    page.goto(f"{site}{photograph.get_absolute_url()}")
    base_url = f"{site}/"

    expected = [
        [tag.name, [list(pair) for pair in tag.attrs]]
        for tag in htmlmeta.head_tags(photograph, base_url=base_url)
    ]
    assert head_metadata(page) == expected

    document = json_ld(page)
    assert document["@type"] == ["ArchiveComponent", "Photograph"]
    assert document["name"] == {"@value": PHOTOGRAPH_TITLE, "@language": "en"}
    assert document["url"] == f"{site}{photograph.get_absolute_url()}"
    image_url = document["image"]["contentUrl"]
    response = page.request.get(image_url)
    assert response.ok and response.headers["content-type"] == "image/jpeg"
    assert urlparse(image_url).path == photograph.files.get().url("display")


def test_a_script_title_is_shown_as_text_and_never_run(page, site, catalogue):
    hostile = catalogue.hostile
    page.goto(f"{site}{hostile.get_absolute_url()}")

    expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE_TITLE)
    assert HOSTILE_TITLE in page.title()
    assert page.locator("head meta[name='DC.title']").get_attribute("content") == HOSTILE_TITLE
    assert json_ld(page)["name"] == {"@value": HOSTILE_TITLE, "@language": "en"}
    assert page.evaluate("() => document.querySelectorAll('body script:not([src])').length") == 0

    page.goto(f"{site}/items/?q=alert")
    expect(page.get_by_role("main").get_by_role("link", name=HOSTILE_TITLE, exact=True)).to_be_visible()
    # The `page` fixture fails the test if any of this opened a dialog.


def test_citation_and_downloads_are_the_catalogues_own_records(page, site, catalogue):
    photograph = described(catalogue.photograph)
    page.goto(f"{site}{photograph.get_absolute_url()}")
    base_url = f"{site}/"
    expect(page.get_by_role("main")).to_contain_text(citations.citation(photograph, base_url=base_url))

    for name, expected, filename in (
        ("RIS", citations.ris(photograph, base_url=base_url), "browser-jakobselv-bridge.ris"),
        ("BibTeX", citations.bibtex(photograph, base_url=base_url), "browser-jakobselv-bridge.bib"),
    ):
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile(rf"^{name}")).click()
        assert download.value.suggested_filename == filename
        assert Path(download.value.path()).read_bytes().decode("utf-8") == expected

    href = page.get_by_role("link", name=re.compile(r"^JSON-LD")).get_attribute("href")
    response = page.request.get(f"{site}{href}")
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json() == jsonld.item_jsonld(photograph, base_url=base_url)


def test_the_notes_head_gives_reference_managers_a_complete_citation(page, site, catalogue):
    """What Zotero's and Google Scholar's readers take from the page as chromium parsed it:
    citation_* tags, and an alternate for each machine format that answers."""
    page.goto(f"{site}/items/finnmark-1945-note-0924/")
    tags = page.eval_on_selector_all(
        "head meta[name^='citation_']", "elements => elements.map(e => [e.name, e.content])"
    )
    assert tags[0] == ["citation_title", "Note on the Soviet forces in Eastern Finnmark"]
    # One per creator, each linked person record inverted as Scholar reads names.
    assert [content for name, content in tags if name == "citation_author"] == ["Karlsen, R.", "Lukin-Griege, P."]
    assert ["citation_publication_date", "1945/09/24"] in tags
    assert ["citation_date", "1945/09/24"] in tags
    alternates = page.eval_on_selector_all(
        "head link[rel='alternate'][type]", "elements => elements.map(e => [e.type, e.href])"
    )
    # oai_dc and qdc at least (edm where Europeana would take the note), then JSON-LD.
    media_types = [media_type for media_type, _href in alternates]
    assert media_types[-1] == "application/ld+json" and media_types.count("text/xml") >= 2
    assert "metadataPrefix=oai_dc" in alternates[0][1]
    for _media_type, href in alternates:
        response = page.request.get(href)
        assert response.ok
        assert b"<error" not in response.body()
