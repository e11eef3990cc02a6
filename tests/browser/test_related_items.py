"""Records linked to records in a real browser: on the demo's note of 24 September 1945 a
visitor follows “Referenced by” to an article and back; in the admin's item editor the related
item is offered on relation terms only, and its autocomplete finds the note."""
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-passphrase"
NOTE = "/items/finnmark-1945-note-0924/"


def test_a_visitor_goes_from_the_note_to_an_article_that_refers_to_it_and_back(page, site, catalogue, screenshot):
    page.goto(f"{site}{NOTE}")
    row = page.locator(".description__row", has=page.locator("dt", has_text="Referenced by"))
    expect(row.locator("a")).to_have_count(2)
    screenshot(page, "related-note")
    row.get_by_role("link", name="Italy and other European countries that were occupied by the Red Army").click()
    expect(page.locator("h1")).to_have_text("Italy and other European countries that were occupied by the Red Army")
    references = page.locator(".description__row", has=page.locator("dt", has_text="References"))
    # Diakonoff's memoirs are a draft: named, never linked.
    expect(references.get_by_text("Memoirs of Igor Diakonov")).to_be_visible()
    expect(references.get_by_role("link", name="Memoirs of Igor Diakonov")).to_have_count(0)
    references.get_by_role("link", name="Note on the Soviet forces in Eastern Finnmark (24 September 1945)").click()
    expect(page).to_have_url(f"{site}{NOTE}")


def test_the_admin_offers_the_related_item_on_relation_terms_only(page, site, catalogue):
    User.objects.create_superuser("archivist", password=PASSWORD)
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("archivist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{site}/admin/catalog/item/add/")

    # The editor offers the related item on the Related element, added through “Add an element”.
    page.get_by_label("Add an element").select_option(label="Related")
    page.get_by_role("button", name="Add", exact=True).click()
    row = page.locator("#statements-relation .editor-value").first
    target = row.locator(".editor-target .select2-selection")
    row.locator("select[name$='-term']").select_option("conformsTo")  # names a standard, not a record
    expect(target).to_be_hidden()
    row.locator("select[name$='-term']").select_option("references")
    expect(target).to_be_visible()
    target.click()
    page.locator(".select2-container--open .select2-search__field").fill("Soviet forces")
    expect(page.locator(".select2-results__option", has_text="finnmark-1945-note-0924")).to_be_visible()
    page.keyboard.press("Escape")

    # A value of an element that relates nothing has no related item to choose.
    page.get_by_label("Add an element").select_option(label="Creator")
    page.get_by_role("button", name="Add", exact=True).click()
    added = page.locator("#statements-creator .editor-value").last
    expect(added.locator("textarea")).to_be_focused()
    expect(added.locator(".editor-target")).to_have_count(0)
