"""The item page's deep-zoom viewer in chromium: zoom by button and by key, turn to the next
image, reach every control by keyboard, a phone's width, and the plain image without script.
The viewer reads each image from the IIIF Image API (catalog/iiif/image/) of the live server.
Screenshots in test-artifacts/iiif/."""
import io

import pytest
from playwright.sync_api import expect
from PIL import Image, ImageDraw

from catalog import imaging, services
from catalog.models import Item, Statement
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "iiif"


def picture(width, height, colour):
    """A scan-like picture with enough detail that zooming in shows something."""
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 80):
        draw.line((x, 0, x, height), fill=(40, 40, 40), width=3)
    for y in range(0, height, 80):
        draw.line((0, y, width, y), fill=(40, 40, 40), width=3)
    draw.ellipse((width // 3, height // 3, 2 * width // 3, 2 * height // 3), outline=(200, 30, 30), width=12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    buffer.seek(0)
    return buffer


@pytest.fixture
def letter(transactional_db):
    """A published two-page letter, each page a scan."""
    item = Item.objects.create(identifier="viewer-letter", dcmi_type="Text")
    Statement.objects.create(item=item, term="title", value="Letter from Kirkenes (viewer test)", lang="en")
    item.refresh_from_db()
    item = services.item_publish(item=item)
    imaging.ingest(item=item, file=picture(2400, 1600, (230, 220, 190)), name="page-1.jpg", label="Page 1")
    imaging.ingest(item=item, file=picture(1600, 2400, (190, 210, 230)), name="page-2.jpg", label="Page 2")
    return item


@pytest.fixture
def shot():
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name, full_page=False):
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)

    return save


def open_viewer(page, url):
    page.goto(url)
    viewer = page.locator("[data-viewer]")
    expect(viewer).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text("Image 1 of 2: Page 1")
    page.wait_for_function("() => document.querySelector('[data-viewer]').arkivViewer.world.getItemAt(0)"
                           " && document.querySelector('[data-viewer]').arkivViewer.world.getItemAt(0).getFullyLoaded()")
    return viewer


def zoom(page):
    return page.evaluate("() => document.querySelector('[data-viewer]').arkivViewer.viewport.getZoom(true)")


def test_the_viewer_replaces_the_plain_images_once_open(page, site, letter, shot):
    open_viewer(page, f"{site}{letter.get_absolute_url()}")

    for image in page.locator(".item__figure img").all():
        expect(image).to_be_hidden()
    # The captions and their links stay.
    expect(page.locator(".item__figure figcaption").first).to_be_visible()
    shot(page, "viewer-desktop", full_page=True)


def test_zoom_in_by_button_and_by_keyboard(page, site, letter, shot):
    open_viewer(page, f"{site}{letter.get_absolute_url()}")
    start = zoom(page)

    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function(f"() => document.querySelector('[data-viewer]').arkivViewer.viewport.getZoom(true) > {start * 1.3}")
    by_button = zoom(page)

    page.locator(".openseadragon-canvas").focus()
    page.keyboard.press("+")
    page.wait_for_function(f"() => document.querySelector('[data-viewer]').arkivViewer.viewport.getZoom(true) > {by_button * 1.05}")
    shot(page, "viewer-zoomed")

    page.keyboard.press("0")
    page.wait_for_function(f"() => document.querySelector('[data-viewer]').arkivViewer.viewport.getZoom(true) < {start * 1.05}")


def test_next_and_previous_image(page, site, letter, shot):
    open_viewer(page, f"{site}{letter.get_absolute_url()}")
    previous = page.get_by_role("button", name="Previous image")
    expect(previous).to_be_disabled()

    page.get_by_role("button", name="Next image").click()

    expect(page.locator("[data-status]")).to_have_text("Image 2 of 2: Page 2")
    expect(page.get_by_role("button", name="Next image")).to_be_disabled()
    expect(page.locator(".openseadragon-canvas")).to_have_attribute("aria-label", "Image 2 of 2: Page 2")
    shot(page, "viewer-second-image")

    page.locator(".openseadragon-canvas").focus()
    page.keyboard.press("PageUp")
    expect(page.locator("[data-status]")).to_have_text("Image 1 of 2: Page 1")


def test_every_control_and_the_image_are_reached_by_keyboard(page, site, letter):
    open_viewer(page, f"{site}{letter.get_absolute_url()}")
    page.get_by_role("button", name="Zoom in").focus()

    reached = []
    for step in range(6):
        if step:
            page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "() => document.activeElement.getAttribute('data-action') || document.activeElement.className"
        ))

    # "Previous image" is disabled on the first image, so Tab passes it by; then the image itself.
    assert reached == ["zoom-in", "zoom-out", "home", "full-screen", "next", "openseadragon-canvas"], reached
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused image shows no focus ring"
    # Enter on a focused button works as a click.
    page.get_by_role("button", name="Next image").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-status]")).to_have_text("Image 2 of 2: Page 2")


def test_on_a_phone_the_viewer_fits_and_takes_touch(browser, site, letter, shot):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-GB",
    )
    errors = []
    phone = context.new_page()
    phone.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_viewer(phone, f"{site}{letter.get_absolute_url()}")
        box = phone.locator(".viewer__canvas").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
        for name in ("Zoom in", "Zoom out", "Next image"):
            button = phone.get_by_role("button", name=name)
            expect(button).to_be_visible()
            size = button.bounding_box()
            assert size["width"] >= 44 and size["height"] >= 44, (name, size)
        start = zoom(phone)
        phone.get_by_role("button", name="Zoom in").tap()
        phone.wait_for_function(f"() => document.querySelector('[data-viewer]').arkivViewer.viewport.getZoom(true) > {start * 1.3}")
        shot(phone, "viewer-phone-390")
    finally:
        context.close()
    assert not errors, errors


def test_without_javascript_the_plain_image_stays(browser, site, letter, shot):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{site}{letter.get_absolute_url()}")
        expect(page.locator("[data-viewer]")).to_be_hidden()
        images = page.locator(".item__figure img")
        expect(images).to_have_count(2)
        expect(images.first).to_be_visible()
        assert images.first.evaluate("img => img.complete && img.naturalWidth") > 0
        shot(page, "no-javascript", full_page=True)
    finally:
        context.close()
