"""The tree of a fonds in the browser: opened level by level by keyboard alone (the script reads
each level as a fragment), and by links with JavaScript switched off; a unit's page at desktop
and phone widths, screenshots under test-artifacts/arrangement/."""
import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from catalog.models import Item, Level, Statement
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def unit(identifier, parent, level, title, code, position, date=""):
    made = Item(identifier=identifier, dcmi_type="Text", status=Item.PUBLISHED, parent=parent,
                level=Level.objects.get(code=level), local_code=code, position=position)
    made.save()
    Statement.objects.create(item=made, term="title", value=title, lang="en", position=1)
    if date:
        Statement.objects.create(item=made, term="created", value=date, position=2)
    made.refresh_derived()
    return made


@pytest.fixture
def fonds(transactional_db):
    """A collection > Documents (3 files; the second holds 30 letters) and Photographs."""
    top = unit("svh", None, "collection", "Local history society collection", "SVH", 0, "1944/1990")
    documents = unit("svh-doc", top, "series", "Documents", "A", 0, "1944/1946")
    unit("svh-photo", top, "series", "Photographs", "B", 1, "1945")
    for n in range(1, 4):
        file = unit(f"svh-doc-{n}", documents, "file", f"Letters {1943 + n}", str(n), n, str(1943 + n))
        if n == 2:
            for m in range(1, 31):
                unit(f"svh-doc-2-{m}", file, "item", f"Letter {m}", str(m), m, f"1945-09-{m:02d}")
    return top


def focused(page):
    """What has the keyboard focus: its id, or the id of the tree node it belongs to, and class."""
    return page.evaluate("""() => {
        const e = document.activeElement, node = e.closest('.unit-tree__node');
        return [node ? node.id : e.id, e.className, e.textContent.trim()];
    }""")


def tab_to(page, test, limit=80):
    """Press Tab until `test(focused(page))` holds; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if test(focused(page)):
            return
    pytest.fail(f"Not reached by Tab: {focused(page)}")


def toggle_of(page, identifier):
    return page.locator(f"#unit-{identifier} > .unit-tree__row > .unit-tree__toggle")


def test_a_visitor_opens_the_tree_and_reaches_a_letter_by_keyboard_alone(page, site, fonds, screenshot):
    page.goto(f"{site}/items/svh/")
    documents = toggle_of(page, "svh-doc")
    expect(documents).to_have_attribute("role", "button")  # the script made the links buttons
    expect(documents).to_have_attribute("aria-expanded", "false")

    tab_to(page, lambda f: f[0] == "unit-svh-doc" and "unit-tree__toggle" in f[1])
    page.keyboard.press("Enter")
    expect(documents).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#unit-svh-doc-2")).to_be_visible()
    assert urlparse(page.url).query == ""  # opened in place, not by reloading

    tab_to(page, lambda f: f[0] == "unit-svh-doc-2" and "unit-tree__toggle" in f[1])
    page.keyboard.press(" ")  # Space opens a button too
    letters = page.locator("#below-%d > .unit-tree__node" % Item.objects.get(identifier="svh-doc-2").pk)
    expect(letters).to_have_count(20)  # one page of the level, and a link to the rest
    more = page.get_by_role("link", name=re.compile(r"^Show more of Letters 1945 \(20 of 30 shown\)"))
    expect(more).to_be_visible()
    ARTIFACTS.joinpath("arrangement").mkdir(parents=True, exist_ok=True)
    screenshot(page, "arrangement/browser-tree-open")

    tab_to(page, lambda f: "unit-tree__more-link" in f[1])
    page.keyboard.press("Enter")
    expect(letters).to_have_count(30)
    expect(more).to_have_count(0)
    assert focused(page)[0] == "unit-svh-doc-2-21", "focus goes to the first letter brought in"

    tab_to(page, lambda f: f[0] == "unit-svh-doc-2-24" and "unit-tree__title" in f[1])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/items/svh-doc-2-24/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Letter 24")
    expect(page.locator(".unit__context")).to_have_text(
        "Item 24 of 30 in File Letters 1945, Series Documents, Collection Local history society collection"
    )

    # Closing hides the level without asking the server again.
    page.goto(f"{site}/items/svh/")
    tab_to(page, lambda f: f[0] == "unit-svh-doc" and "unit-tree__toggle" in f[1])
    page.keyboard.press("Enter")
    expect(page.locator("#unit-svh-doc-1")).to_be_visible()
    page.keyboard.press("Enter")
    expect(documents).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#unit-svh-doc-1")).to_be_hidden()


def test_without_javascript_the_tree_opens_by_links(browser, site, fonds):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{site}/items/svh/")
        toggle_of(page, "svh-doc").click()
        page.wait_for_load_state()
        assert urlparse(page.url).query == "open=svh-doc"
        expect(toggle_of(page, "svh-doc")).to_have_attribute("aria-expanded", "true")
        toggle_of(page, "svh-doc-2").click()
        page.wait_for_load_state()
        assert urlparse(page.url).query == "open=svh-doc&open=svh-doc-2"
        page.get_by_role("link", name=re.compile(r"^Show more of Letters 1945")).click()
        page.wait_for_load_state()
        assert urlparse(page.url).path == "/items/svh-doc-2/" and urlparse(page.url).query == "page=2"
        page.get_by_role("link", name="Letter 25", exact=True).click()
        page.wait_for_load_state()
        assert urlparse(page.url).path == "/items/svh-doc-2-25/"
        expect(page.locator(".unit__context")).to_contain_text("Item 25 of 30")
    finally:
        context.close()


def test_unit_pages_at_desktop_and_phone_widths(browser, site, fonds, screenshot):
    ARTIFACTS.joinpath("arrangement").mkdir(parents=True, exist_ok=True)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            for label, path in (
                ("top", "/items/svh/?open=svh-doc&open=svh-doc-2"), ("file", "/items/svh-doc-2/"),
                ("item", "/items/svh-doc-2-4/"), ("finding-aid", "/items/svh/finding-aid/"),
            ):
                page.goto(f"{site}{path}")
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{path} is {width} px wide at {viewport['width']}"
                screenshot(page, f"arrangement/browser-{label}-{name}")
            toggles = page.goto(f"{site}/items/svh/") and page.locator(".unit-tree__toggle")
            box = toggles.first.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, "a toggle smaller than WCAG's 24 px target"
        finally:
            context.close()


def test_a_new_visitor_walks_the_demo_tree_from_the_home_page_to_the_note_of_24_september_1945(page, site, catalogue, screenshot):
    page.goto(f"{site}/")
    holdings = page.locator("section[aria-labelledby='home-arrangements']")
    holdings.get_by_role("link", name=re.compile("Eastern Finnmark 1944")).click()
    page.wait_for_url(f"{site}/items/eastern-finnmark-collection/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eastern Finnmark 1944–1945")

    toggle_of(page, "eastern-finnmark-documents").click()
    toggle_of(page, "national-archives-2015-liberation-day-release").click()
    note = page.locator("#unit-finnmark-1945-note-0924 .unit-tree__title")
    expect(note).to_have_text("Note on the Soviet forces in Eastern Finnmark")
    note.click()

    page.wait_for_url(f"{site}/items/finnmark-1945-note-0924/")
    crumbs = page.get_by_role("navigation", name=re.compile("Breadcrumb", re.I)).get_by_role("link")
    expect(crumbs).to_have_text([
        "Home", "Eastern Finnmark 1944–1945: liberation, withdrawal and remembrance", "Documents",
        "Documents and photographs digitised by the National Archives …",  # long titles shortened
        "Note on the Soviet forces in Eastern Finnmark",
    ])
    expect(page.locator(".unit__context")).to_have_text(re.compile(
        r"^Item 1 of 1 in File Documents and photographs digitised .*, Series Documents, Collection Eastern Finnmark 1944"
    ))
    expect(page.get_by_text(re.compile(r"NO \S+ EF/A/1/1$"))).to_be_visible()
    ARTIFACTS.joinpath("arrangement").mkdir(parents=True, exist_ok=True)
    screenshot(page, "arrangement/browser-demo-note")
