"""Choosing the language in a real browser: an English browser switches to Norwegian, follows a
link, keeps Norwegian after a reload, and switches back; the address never changes with it."""
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def switcher(page):
    return page.get_by_role("form", name="Language").or_(page.get_by_role("form", name="Språk"))


def test_a_visitor_switches_to_norwegian_follows_a_link_and_switches_back(page, site, catalogue):
    item = catalogue.photograph
    page.goto(f"{site}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(switcher(page).get_by_role("button", name="English")).to_have_attribute("aria-current", "true")

    # Keyboard, as anyone without a mouse would: focus the button and press Enter.
    norsk = switcher(page).get_by_role("button", name="norsk bokmål")
    norsk.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/" and not urlparse(page.url).query
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", name="Nylig lagt til")).to_be_visible()
    expect(switcher(page).get_by_role("button", name="norsk bokmål")).to_have_attribute("aria-current", "true")

    page.get_by_role("main").locator(f"a[href='{item.get_absolute_url()}']").first.click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == item.get_absolute_url()
    assert not urlparse(page.url).query, "the permalink carries no language"
    expect(page.get_by_role("heading", name="Siter dette objektet")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Utforsk")).to_be_visible()
    permalink = page.locator("a.permalink")
    expect(permalink).to_have_attribute("href", f"{site}{item.get_absolute_url()}")

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", name="Siter dette objektet")).to_be_visible()

    switcher(page).get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == item.get_absolute_url() and not urlparse(page.url).query
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Cite this item")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_norwegian_pages_with_the_switcher_fit_desktop_and_phone(browser, site, catalogue, screenshot, width):
    phone = width == 390
    context = browser.new_context(
        viewport=PHONE if phone else {"width": 1280, "height": 900}, locale="nb-NO",
        device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone,
    )
    page = context.new_page()
    overflowing, too_small = {}, {}
    for name, path in (("home", "/"), ("browse", "/items/"), ("item", catalogue.photograph.get_absolute_url())):
        page.goto(f"{site}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        buttons = switcher(page).get_by_role("button")
        expect(buttons).to_have_count(2)
        for button in buttons.all():
            expect(button).to_be_visible()
            box = button.bounding_box()
            if box["height"] < 24 or box["width"] < 24:  # WCAG 2.5.8, target size (minimum)
                too_small[f"{name}: {button.inner_text()}"] = (box["width"], box["height"])
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            overflowing[name] = overflow
        screenshot(page, f"{name}-nb-{width}")
    context.close()
    assert not overflowing, f"Pages wider than the screen (extra pixels): {overflowing}"
    assert not too_small, f"Language buttons smaller than 24 by 24 pixels: {too_small}"
