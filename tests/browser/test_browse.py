"""Browsing like a visitor: facets, chips, search by a variant name, the keyboard."""
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from catalog.models import Authority, Item
from tests.browser.helpers import all_facet_counts, chips, facet, facet_values, result_count

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_facet_value(page, label, value):
    facet(page, label).get_by_role("link", name=re.compile(rf"^(Selected: )?{re.escape(value)} \d+")).click()
    page.wait_for_load_state()


def narrowing_value(page, label, below):
    """A value of the facet whose count is smaller than `below`, so choosing it changes the results."""
    values = facet_values(page, label)
    assert values, f"The {label} facet shows no values at {page.url}"
    value, count = min(values.items(), key=lambda pair: pair[1])
    assert count < below, f"Every {label} value covers all {below} results at {page.url}: {values}"
    return value, count


def test_choosing_a_facet_value_narrows_the_results_to_its_count(page, site, catalogue, screenshot):
    page.goto(f"{site}/items/")
    total = result_count(page)
    assert total == Item.objects.published().count()
    before = all_facet_counts(page)
    screenshot(page, "browse")

    value, count = narrowing_value(page, "Type", total)
    click_facet_value(page, "Type", value)

    assert result_count(page) == count
    expect(chips(page)).to_have_count(1)
    expect(chips(page).first).to_contain_text(value)
    after = all_facet_counts(page)
    changed = {key for key in before if key[0] != "Type" and after.get(key) != before[key]}
    assert changed, "Choosing a type changed no count in the other facets"
    screenshot(page, "browse-filtered")


def test_values_of_one_facet_add_up_and_facets_combine_with_and(page, site, catalogue):
    page.goto(f"{site}/items/")
    types = facet_values(page, "Type")
    assert len(types) >= 2, f"The demo catalogue should hold several types: {types}"
    (first, first_count), (second, second_count) = sorted(types.items(), key=lambda p: -p[1])[:2]
    click_facet_value(page, "Type", first)
    click_facet_value(page, "Type", second)
    assert result_count(page) == first_count + second_count  # OR within a facet

    both = result_count(page)
    value, count = narrowing_value(page, "Subject", both + 1)
    click_facet_value(page, "Subject", value)
    assert result_count(page) == count <= both  # AND across facets, counted against the others
    expect(chips(page)).to_have_count(3)


def test_removing_a_chip_gives_back_what_it_filtered_out(page, site, catalogue):
    page.goto(f"{site}/items/")
    total = result_count(page)
    type_value, _ = narrowing_value(page, "Type", total)
    click_facet_value(page, "Type", type_value)
    narrowed_by_type = result_count(page)
    place, _ = narrowing_value(page, "Place", narrowed_by_type + 1)
    click_facet_value(page, "Place", place)
    expect(chips(page)).to_have_count(2)

    chips(page).filter(has_text=place).click()
    page.wait_for_load_state()
    assert result_count(page) == narrowed_by_type
    expect(chips(page)).to_have_count(1)

    chips(page).first.click()
    page.wait_for_load_state()
    assert result_count(page) == total
    expect(chips(page)).to_have_count(0)


def test_a_variant_spelling_finds_the_items_of_the_person(page, site, catalogue):
    diakonoff = Authority.objects.matching_label("Dyakonov").get()
    assert diakonoff.preferred_label != "Dyakonov"
    expected = list(Item.objects.published().filter(statements__authority=diakonoff).distinct())
    assert expected, "The demo catalogue links no published item to Diakonoff"

    page.goto(f"{site}/")
    search = page.get_by_role("search").first
    search.get_by_role("searchbox").fill("Dyakonov")
    search.get_by_role("searchbox").press("Enter")
    page.wait_for_load_state()

    assert result_count(page) >= len(expected)
    results = page.get_by_role("main")
    for item in expected:
        expect(results.get_by_role("link", name=item.title, exact=True)).to_be_visible()


def test_facets_work_from_the_keyboard_with_focus_visible(page, site, catalogue):
    page.goto(f"{site}/items/")
    total = result_count(page)
    target = facet(page, "Type").get_by_role("link").first
    name = " ".join(target.inner_text().split())
    for _ in range(120):
        page.keyboard.press("Tab")
        if target.evaluate("link => link === document.activeElement"):
            break
    else:
        pytest.fail("120 presses of Tab never reached the first value of the Type facet")

    style = target.evaluate(
        """link => {
            const style = getComputedStyle(link);
            return {visible: link.matches(':focus-visible'), outline: style.outlineStyle,
                    width: style.outlineWidth, shadow: style.boxShadow};
        }"""
    )
    assert style["visible"], "The focused facet link does not match :focus-visible"
    assert (style["outline"] != "none" and style["width"] != "0px") or style["shadow"] != "none", (
        f"The focused facet link shows no outline or focus ring: {style}"
    )

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "type" in parse_qs(urlparse(page.url).query), f"Enter on “{name}” did not filter: {page.url}"
    assert result_count(page) < total
    expect(chips(page)).to_have_count(1)
