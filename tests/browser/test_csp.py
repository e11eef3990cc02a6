"""The Content-Security-Policy as chromium enforces it: the public pages, the OAI pages and the
admin work under it, and chromium reports nothing refused (the `page` fixture fails a test on any
such report); a style smuggled into a page is refused and reported."""
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-passphrase"


@pytest.fixture
def signed_in(page, site, catalogue):
    """The tab, signed in to the admin through its login form as a person would."""
    User.objects.create_superuser("archivist", password=PASSWORD)
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("archivist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))).to_be_visible()
    return page


def test_public_pages_run_their_script_and_styles_under_the_policy(page, site, catalogue):
    for path in ("/", "/items/?q=kirkenes", catalogue.photograph.get_absolute_url(), "/collections/"):
        response = page.goto(f"{site}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # arkiv.css is applied: the skip link is moved off screen until it has focus.
        assert page.locator(".skip-link").evaluate("e => e.getBoundingClientRect().bottom") <= 0


def test_the_oai_pages_are_styled_under_the_policy(page, site, catalogue):
    """/oai/browse, the OAI-PMH verbs as pages for people: its own stylesheet (oai.css) applies,
    and the policy refuses nothing (the `page` fixture fails on any report)."""
    page.goto(f"{site}/oai/browse?verb=ListRecords&metadataPrefix=oai_dc")
    expect(page.locator("h1")).to_have_text("Harvesting over OAI-PMH")
    radius = page.locator(".oai-record").first.evaluate("e => getComputedStyle(e).borderTopLeftRadius")
    assert radius == "6px", "oai.css was not applied"


def test_the_admin_works_under_its_policy(signed_in, site, catalogue):
    page = signed_in
    page.goto(f"{site}/admin/catalog/item/")
    expect(page.get_by_role("link", name=catalogue.photograph.identifier)).to_be_visible()

    page.goto(f"{site}/admin/catalog/item/{catalogue.photograph.pk}/change/")
    expect(page.locator("#statements-date")).to_be_visible()  # the item editor (editor.js, editor.css)
    # The authority autocomplete (select2) opens and fetches its choices: a new photograph's
    # creator, in the editor.
    page.goto(f"{site}/admin/catalog/item/add/?template=photograph")
    page.locator("#statements-place .editor-authority .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill("Kirk")
    expect(page.locator(".select2-results__option").first).to_contain_text("Kirkenes")
    page.keyboard.press("Escape")
    # admin.css is applied to the files table.
    overflow = page.locator(".inline-group .tabular").first.evaluate("e => getComputedStyle(e).overflowX")
    assert overflow == "auto"

    for path in ("/admin/catalog/item/import/", "/admin/catalog/authority/", "/admin/catalog/tombstone/"):
        page.goto(f"{site}{path}")
        expect(page.locator("#content")).to_be_visible()


def test_a_smuggled_style_is_refused_and_reported(browser, site, catalogue):
    context = browser.new_context()
    tab = context.new_page()
    reports = []
    tab.on("console", lambda message: reports.append(message.text))
    try:
        tab.goto(f"{site}/")
        tab.evaluate("document.body.setAttribute('style', 'background: rgb(255, 0, 0)')")
        background = tab.locator("body").evaluate("e => getComputedStyle(e).backgroundColor")
    finally:
        context.close()

    assert background != "rgb(255, 0, 0)"
    assert any("Content Security Policy" in report for report in reports), reports
