"""Finding one's way: the home page, the note of 24 September 1945, small screens."""
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import collections_holding, the_note

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_home_page_has_landmarks_a_heading_and_a_search(page, site, catalogue, screenshot):
    page.goto(f"{site}/")
    for landmark in ("banner", "main", "contentinfo", "search"):
        expect(page.get_by_role(landmark).first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name="Harvesting (OAI-PMH)")).to_have_attribute("href", "/oai/browse")
    screenshot(page, "home")


def test_the_note_is_three_clicks_from_home(page, site, catalogue):
    note = the_note()
    waypoints = [c.get_absolute_url() for c in collections_holding(note)] + ["/collections/", "/items/"]
    page.goto(f"{site}/")
    path = []
    for _ in range(3):
        link = _visible_link(page, note.get_absolute_url())
        for waypoint in waypoints:
            if link is None and waypoint not in path:
                link = _visible_link(page, waypoint)
        assert link is not None, (
            f"After {path or 'no clicks'}: {page.url} links neither to the note nor to a collection holding it"
        )
        path.append(link.get_attribute("href"))
        link.click()
        page.wait_for_load_state()
        if urlparse(page.url).path == note.get_absolute_url():
            break
    assert urlparse(page.url).path == note.get_absolute_url(), f"Not reached in three clicks: {path}"
    expect(page.get_by_role("heading", level=1)).to_have_text(note.title)


def test_the_note_is_one_search_from_home(page, site, catalogue):
    note = the_note()
    page.goto(f"{site}/")
    searchbox = page.get_by_role("search").first.get_by_role("searchbox")
    searchbox.fill("Lukin-Griege")
    searchbox.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("main").get_by_role("link", name=note.title, exact=True).click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == note.get_absolute_url()


def test_pages_fit_a_phone_screen(browser, site, catalogue, screenshot):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    overflowing = {}
    for name, path in (("home", "/"), ("browse", "/items/"), ("item", catalogue.photograph.get_absolute_url())):
        page.goto(f"{site}{path}")
        screenshot(page, f"{name}-phone")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            overflowing[name] = overflow
    context.close()
    assert not overflowing, f"Pages wider than a 390px phone screen (extra pixels): {overflowing}"


def _visible_link(page, path):
    """The first visible link in the page's main content or navigation to `path`, or None."""
    for link in page.locator(f"a[href='{path}']").all():
        if link.is_visible():
            return link
    return None
