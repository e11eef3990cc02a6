"""The public site in a real browser: Django's live server, driven by Debian's chromium through
Playwright's sync API. Playwright never downloads a browser of its own (`make chromium`).

Each test gets the demo catalogue (fixtures/demo.json through `load_demo`) plus a photograph with
a real image file and an item whose title is hostile markup; a page that opens a JavaScript
dialog or throws an uncaught error fails the test. Screenshots go to test-artifacts/.
"""
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw

from catalog import imaging, services
from catalog.models import Item, Statement

CHROMIUM = Path(os.environ.get("ARKIV_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HOSTILE_TITLE = "<script>alert(1)</script>"
PHOTOGRAPH_TITLE = "Bridge over the Jakobselv (browser test photograph)"


@dataclass
class Catalogue:
    photograph: Item
    hostile: Item


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop in the test thread, and Django refuses ORM calls
    where a loop runs. The calls these tests make (loading and flushing the catalogue) are plain
    synchronous code, so the guard is lifted here, for this package only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# One chromium for this package's tests, closed when they are done: Playwright's sync API cannot
# start while another instance runs in the same thread, and other tests start their own.
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"No chromium at {CHROMIUM}: run `make chromium`, or set ARKIV_CHROMIUM.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh desktop-sized tab. Dialogs are dismissed and recorded; so are uncaught errors and
    whatever the Content-Security-Policy refused (chromium reports it on the console)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    dialogs, errors, refused = [], [], []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{tab.url}: {message.text}")

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", on_console)
    yield tab
    context.close()
    assert not dialogs, f"The page opened a JavaScript dialog: {dialogs}"
    assert not errors, f"The page threw uncaught JavaScript errors: {errors}"
    assert not refused, f"The Content-Security-Policy refused part of the page: {refused}"


@pytest.fixture
def site(live_server):
    """The live server's root URL, without a trailing slash."""
    return live_server.url.rstrip("/")


@pytest.fixture
def catalogue(transactional_db):
    call_command("load_demo", verbosity=0)
    return Catalogue(photograph=_photograph(), hostile=_published("browser-hostile", HOSTILE_TITLE, "Text"))


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return save


def _published(identifier, title, dcmi_type, *statements):
    item = Item.objects.create(identifier=identifier, dcmi_type=dcmi_type)
    for position, (term, value, lang) in enumerate([("title", title, "en"), *statements]):
        Statement.objects.create(item=item, term=term, value=value, lang=lang, position=position)
    item.refresh_from_db()  # the statements' receivers updated its cached title and dates
    return services.item_publish(item=item)


def _photograph():
    item = _published(
        "browser-jakobselv-bridge", PHOTOGRAPH_TITLE, "StillImage",
        ("created", "September 1945", ""),
        ("description", "A generated picture standing in for the photograph of the border bridge.", "en"),
    )
    imaging.ingest(item=item, file=_landscape_jpeg(), name="jakobselv-bridge.jpg", label="The bridge")
    return item


def _landscape_jpeg():
    """A 1200x800 picture: sky, river and a bridge, so a screenshot shows a real image."""
    image = Image.new("RGB", (1200, 800), (176, 196, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 1200, 800), fill=(70, 96, 120))          # river
    draw.rectangle((0, 440, 1200, 470), fill=(92, 84, 76))           # deck
    for x in range(80, 1200, 220):
        draw.rectangle((x, 470, x + 24, 620), fill=(72, 66, 60))     # piers
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    buffer.seek(0)
    return buffer
