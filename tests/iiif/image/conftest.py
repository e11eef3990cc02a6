"""Files with real images, ingested as an archivist's upload is, and their pyramids made."""
import io

import pytest
from PIL import Image

from catalog import imaging, pyramids
from catalog.models import Item
from tests.factories import ItemFactory


def quadrants(width=800, height=600):
    """An image whose four quarters are red, green, blue and white (top left, top right, bottom
    left, bottom right): where a region was cut from, and whether it was turned, shows."""
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    for box, colour in (
        ((0, 0, half_w, half_h), (255, 0, 0)), ((half_w, 0, width, half_h), (0, 255, 0)),
        ((0, half_h, half_w, height), (0, 0, 255)), ((half_w, half_h, width, height), (255, 255, 255)),
    ):
        image.paste(colour, box)
    return image


def encoded(image, image_format="PNG", **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def stored(image=None, *, status=Item.PUBLISHED, pyramid=True, name="scan.png", item=None, **options):
    """A digital file of a new item (or `item`) holding `image`, with its pyramid made unless
    `pyramid` is False."""
    item = item or ItemFactory(status=status)
    data = image if isinstance(image, bytes) else encoded(image or quadrants())
    digital_file = imaging.ingest(item=item, file=io.BytesIO(data), name=name, **options)
    if pyramid:
        pyramids.make_pyramid(digital_file)
    return digital_file


def picture(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return Image.open(io.BytesIO(data))


def colour_at(image, x, y):
    return image.convert("RGB").getpixel((x, y))


def near(colour, expected, tolerance=24):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ARKIV_DISPLAY_SIZE = 400
    settings.ARKIV_THUMBNAIL_SIZE = 100
