"""Items with real image files (ingested as an archivist's upload is) for the IIIF tests."""
import io

import pytest
from PIL import Image

from catalog import imaging
from catalog.models import Item
from tests.factories import ItemFactory, StatementFactory

BASE = "http://testserver/"


def jpeg(width=64, height=48, colour=(120, 140, 160)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


def add_image(item, *, width=64, height=48, label="", name="scan.jpg", **options):
    """A JPEG stored as `item`'s next file, with its thumbnail and display derivatives."""
    return imaging.ingest(item=item, file=jpeg(width, height), name=name, label=label, **options)


def photograph(identifier="photo", *, images=1, status=Item.PUBLISHED, **fields):
    item = ItemFactory(identifier=identifier, status=status, dcmi_type="StillImage", **fields)
    for number in range(images):
        add_image(item, width=60 + number, height=40 + number, label=f"Side {number + 1}")
    return item


@pytest.fixture
def described():
    def fetch(item):
        return Item.objects.with_description().select_related("parent").get(pk=item.pk)
    return fetch


__all__ = ["BASE", "StatementFactory", "add_image", "jpeg", "photograph"]
