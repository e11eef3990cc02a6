"""The item editor in a real browser, by keyboard alone: a photograph started from its template,
a creator chosen by a variant spelling of their name, a value added to an element and moved
above another, saved without a position number in sight; then edited and published.
Screenshots at desktop and phone width go to /tmp/arkiv-shots/editor-*.png for people to see."""
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from catalog.materials.models import TemplateUse
from catalog.models import Authority, AuthorityVariant, Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/arkiv-shots")
PASSWORD = "a-long-test-passphrase"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def archivist(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_superuser("archivist", password=PASSWORD)


@pytest.fixture
def khaldei(transactional_db):
    record = Authority.objects.create(kind=Authority.AGENT, preferred_label="Khaldei, Yevgeny")
    AuthorityVariant.objects.create(authority=record, label="Chaldej, Jewgeni")
    return record


def sign_in(page, site, next_path):
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.locator("#id_username").focus()
    page.keyboard.type("archivist")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}{next_path}")


def section(page, key):
    return page.locator(f"#statements-{key}")


def type_into(page, locator, text):
    locator.focus()
    page.keyboard.type(text)


def save(page):
    page.locator("input[name='_continue']").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".messagelist .success")).to_be_visible()


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"editor-{name}.png"), full_page=True)


def test_a_photograph_is_catalogued_and_published_by_keyboard_alone(page, site, archivist, khaldei, browser):
    sign_in(page, site, "/admin/catalog/item/add/?template=photograph")
    expect(section(page, "date")).to_be_visible()
    expect(page.locator(".editor-position").first).to_be_hidden()  # no position number in sight
    expect(section(page, "date").locator("select[name$='-term']")).to_be_visible()  # created, issued …
    expect(section(page, "title").locator("select[name$='-term']")).to_be_visible()
    expect(section(page, "creator").locator("select[name$='-term']")).to_be_hidden()  # one term only

    type_into(page, page.locator("#id_identifier"), "kirkenes-1944-017")
    type_into(page, section(page, "title").locator("textarea"), "Soviet soldiers on the quay at Kirkenes")
    # The photographer, found by the spelling on the back of the print.
    section(page, "creator").locator(".select2-selection").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Chaldej")
    expect(page.locator(".select2-results__option", has_text="Khaldei, Yevgeny")).to_be_visible()
    page.keyboard.press("Enter")
    expect(section(page, "creator").locator(".select2-selection__rendered")).to_have_attribute("title", "Khaldei, Yevgeny")
    type_into(page, section(page, "date").locator("textarea"), "1944-10-25")
    type_into(page, section(page, "place").locator("textarea"), "Kirkenes")
    type_into(page, section(page, "description").locator("textarea"), "Soldiers of the Red Army on the quay.")
    type_into(page, section(page, "subject").locator("textarea"), "Liberation")
    # Another subject, added on the element and moved above the first.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the language
    while "editor-add" not in page.evaluate("document.activeElement.className"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.type("Red Army")
    page.keyboard.press("Alt+ArrowUp")
    expect(section(page, "subject").locator("textarea").first).to_have_value("Red Army")
    expect(page.locator(".editor-status")).to_have_text("Moved to place 1 of 2.")
    shoot(page, "desktop-add")
    save(page)

    item = Item.objects.get(identifier="kirkenes-1944-017")
    assert list(item.statements.filter(term="subject").order_by("position").values_list("value", flat=True)) == [
        "Red Army", "Liberation"]
    assert item.statements.get(term="creator").authority == khaldei
    assert (item.dcmi_type, TemplateUse.objects.get(item=item).template.code) == ("StillImage", "photograph")
    assert item.status == Item.DRAFT

    # Edit: the subjects put back in the other order with the Move down button, then published.
    first = section(page, "subject").locator(".editor-value").first
    first.get_by_role("button", name="Move down").focus()
    page.keyboard.press("Enter")
    expect(section(page, "subject").locator("textarea").first).to_have_value("Liberation")
    page.locator("#id_status").focus()
    page.keyboard.type("Published")
    shoot(page, "desktop-change")
    save(page)
    item.refresh_from_db()
    assert item.status == Item.PUBLISHED
    assert list(item.statements.filter(term="subject").order_by("position").values_list("value", flat=True)) == [
        "Liberation", "Red Army"]

    phone = browser.new_context(viewport=PHONE, locale="en-GB")
    try:
        small = phone.new_page()
        sign_in(small, site, f"/admin/catalog/item/{item.pk}/change/")
        expect(small.locator("#statements-subject")).to_be_visible()
        shoot(small, "phone-change")
        width = small.evaluate("document.querySelector('#statements-group').getBoundingClientRect().right")
        assert width <= PHONE["width"] + 1, "the editor overflows a phone screen"
    finally:
        phone.close()


def test_publishing_a_photograph_without_its_required_elements_is_refused(page, site, archivist):
    sign_in(page, site, "/admin/catalog/item/add/?template=photograph")
    type_into(page, page.locator("#id_identifier"), "kirkenes-1944-018")
    type_into(page, section(page, "title").locator("textarea"), "Untitled print")
    page.locator("#id_status").focus()
    page.keyboard.type("Published")
    page.locator("input[name='_continue']").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".editor-errors")).to_contain_text("asks for Date, Place and Description")
    expect(section(page, "date").locator(".errorlist")).to_have_text("Required for publishing: give this a value.")
    assert not Item.objects.filter(identifier="kirkenes-1944-018").exists()


def test_a_stored_relation_offers_the_related_item_only_on_a_relation_term(page, site, archivist):
    from catalog.models import Statement

    item = Item.objects.create(identifier="barentsobserver-2015", dcmi_type="Text")
    Statement.objects.create(item=item, term="title", value="70 years since", position=1)
    Statement.objects.create(item=item, term="references", value="A note of 1945", position=2)
    sign_in(page, site, f"/admin/catalog/item/{item.pk}/change/")

    row = section(page, "relation").locator(".editor-value").first
    target = row.locator(".editor-target .select2-selection")
    expect(target).to_be_visible()
    row.locator("select[name$='-term']").focus()
    page.keyboard.type("Conforms")  # a standard, not a record of the catalogue
    expect(row.locator("select[name$='-term']")).to_have_value("conformsTo")
    expect(target).to_be_hidden()
