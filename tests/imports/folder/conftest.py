"""Folders of scans made by code: JPEGs with and without an EXIF date, damaged files, litter."""
import io

import pytest
from PIL import Image

EXIF_IFD, DATE_TIME_ORIGINAL = 0x8769, 0x9003


def jpeg(number, taken=None, size=(48, 36)):
    """A small JPEG of a colour of its own (JPEG would make colours a step apart the same bytes),
    taken when `taken` says ("2021:06:05 10:00:00")."""
    color = ((number * 53) % 256, (number * 97) % 256, (number * 151) % 256)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(EXIF_IFD)[DATE_TIME_ORIGINAL] = taken
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def damaged(data):
    """The first half of an image, as a copy cut short leaves it."""
    return data[: len(data) // 2]


@pytest.fixture
def folder(tmp_path):
    """folder({"a.jpg": bytes, "book/page1.jpg": bytes}) -> the folder holding them."""

    def make(files, name="scans"):
        root = tmp_path / name
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        root.mkdir(exist_ok=True)
        return root

    return make
