"""The four path parameters of an image request, parsed without opening any image.

`parse(region, size, rotation, quality_format)` checks them in the order the spec applies them
(region, size, rotation, quality, format) and raises the IIIFError of the first at fault: 400
for what the grammar does not allow, 501 for what it allows and this server does not do
(rotation by other angles than quarter turns; formats other than jpg, png and webp).
What a region or size means for a given image is geometry.py's question.
"""
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .errors import bad_request, not_implemented

FULL, SQUARE, PIXELS, PERCENT = "full", "square", "pixels", "percent"
MAX, WIDTH, HEIGHT, EXACT, CONFINED = "max", "width", "height", "exact", "confined"

QUALITIES = ("default", "color", "gray", "bitonal")
FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
"""The formats this server makes, with their media types."""
OTHER_FORMATS = ("tif", "gif", "jp2", "pdf")
"""Formats the spec names that this server does not make: 501, not 400."""

# Bounded digits: larger numbers are outside any image (a 400 either way) and would overflow floats.
_INTEGER = r"\d{1,10}"
_DECIMAL = r"\d{1,10}(?:\.\d{1,10})?|\.\d{1,10}"
_PIXELS = re.compile(rf"({_INTEGER}),({_INTEGER}),({_INTEGER}),({_INTEGER})")
_PERCENTS = re.compile(rf"pct:({_DECIMAL}),({_DECIMAL}),({_DECIMAL}),({_DECIMAL})")
_SIZE_WH = re.compile(rf"(!)?({_INTEGER})?,({_INTEGER})?")
_SIZE_PERCENT = re.compile(rf"pct:({_DECIMAL})")
_ROTATION = re.compile(rf"(!)?({_DECIMAL})")

BAD_REGION = _("The region must be full, square, x,y,w,h in pixels or pct:x,y,w,h.")
EMPTY_REGION = _("The region has no width or no height.")
BAD_SIZE = _("The size must be max, w,, ,h, pct:n, w,h or !w,h, each optionally after ^.")
EMPTY_SIZE = _("The size must be more than 0 pixels.")
BAD_ROTATION = _("The rotation must be a number of degrees from 0 to 360, optionally after !.")
ARBITRARY_ROTATION = _("This server rotates by 0, 90, 180 and 270 degrees only.")
BAD_QUALITY = _("The quality must be default, color, gray or bitonal.")
BAD_FORMAT = _("The format must be jpg, png or webp.")
OTHER_FORMAT = _("This server makes jpg, png and webp images only.")


@dataclass(frozen=True)
class Region:
    kind: str
    values: tuple = ()  # x, y, w, h: integers for PIXELS, percentages for PERCENT


@dataclass(frozen=True)
class Size:
    kind: str
    width: int | None = None
    height: int | None = None
    percent: float | None = None
    upscale: bool = False  # ^: the image may be larger than the region


@dataclass(frozen=True)
class ImageRequest:
    region: Region
    size: Size
    mirror: bool
    rotation: int  # 0, 90, 180 or 270
    quality: str
    format: str

    @property
    def media_type(self):
        return FORMATS[self.format]


def parse(region, size, rotation, quality_format):
    parsed_region = parse_region(region)
    parsed_size = parse_size(size)
    mirror, degrees = parse_rotation(rotation)
    quality, _dot, image_format = quality_format.rpartition(".")
    if not _dot:
        quality, image_format = quality_format, ""
    return ImageRequest(
        region=parsed_region, size=parsed_size, mirror=mirror, rotation=degrees,
        quality=parse_quality(quality), format=parse_format(image_format),
    )


def parse_region(text):
    if text in (FULL, SQUARE):
        return Region(text)
    if match := _PIXELS.fullmatch(text):
        values = tuple(int(value) for value in match.groups())
        kind = PIXELS
    elif match := _PERCENTS.fullmatch(text):
        values = tuple(float(value) for value in match.groups())
        kind = PERCENT
    else:
        raise bad_request("region", str(BAD_REGION))
    if values[2] <= 0 or values[3] <= 0:
        raise bad_request("region", str(EMPTY_REGION))
    return Region(kind, values)


def parse_size(text):
    upscale = text.startswith("^")
    text = text.removeprefix("^")
    if text == MAX:
        return Size(MAX, upscale=upscale)
    if match := _SIZE_PERCENT.fullmatch(text):
        percent = float(match.group(1))
        if percent <= 0:
            raise bad_request("size", str(EMPTY_SIZE))
        return Size(PERCENT, percent=percent, upscale=upscale)
    match = _SIZE_WH.fullmatch(text)
    if not match:
        raise bad_request("size", str(BAD_SIZE))
    confined, width, height = match.group(1), match.group(2), match.group(3)
    width = int(width) if width is not None else None
    height = int(height) if height is not None else None
    if width is None and height is None or confined and (width is None or height is None):
        raise bad_request("size", str(BAD_SIZE))
    if width == 0 or height == 0:
        raise bad_request("size", str(EMPTY_SIZE))
    if width is not None and height is not None:
        return Size(CONFINED if confined else EXACT, width, height, upscale=upscale)
    return Size(WIDTH if height is None else HEIGHT, width, height, upscale=upscale)


def parse_rotation(text):
    match = _ROTATION.fullmatch(text)
    if not match:
        raise bad_request("rotation", str(BAD_ROTATION))
    degrees = float(match.group(2))
    if degrees > 360:
        raise bad_request("rotation", str(BAD_ROTATION))
    if degrees % 90:
        raise not_implemented("rotation", str(ARBITRARY_ROTATION))
    return bool(match.group(1)), int(degrees) % 360


def parse_quality(text):
    if text not in QUALITIES:
        raise bad_request("quality", str(BAD_QUALITY))
    return text


def parse_format(text):
    if text in FORMATS:
        return text
    if text in OTHER_FORMATS:
        raise not_implemented("format", str(OTHER_FORMAT))
    raise bad_request("format", str(BAD_FORMAT))
