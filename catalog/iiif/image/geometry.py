"""What a parsed request asks of an image of a known size: pure arithmetic, no pixels.

`region_box()` clips the region to the image (a region wholly outside it is a 400); `output_size()`
scales it as the size parameter says, within the server's limits. Without ^ a size may not be
larger than the region: the spec makes that a 400, and for !w,h the IIIF validator does too
(a confined size whose box is larger than the region asks for upscaling).
"""
import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .errors import bad_request
from .request import CONFINED, EXACT, FULL, HEIGHT, MAX, PERCENT, PIXELS, SQUARE, WIDTH

OUTSIDE = _("The region lies outside the image, which is %(width)d × %(height)d pixels.")
UPSCALING = _("The size is larger than the region: put ^ before it to ask for a larger image.")
TOO_LARGE = _(
    "The image asked for is %(width)d × %(height)d pixels; this server makes images of at most "
    "%(max_width)d × %(max_height)d pixels and %(max_area)d pixels in all."
)
EMPTY = _("The size must be more than 0 pixels.")


@dataclass(frozen=True)
class Limits:
    width: int
    height: int
    area: int


def region_box(region, width, height):
    """(x, y, w, h) of `region` in an image of `width` × `height`, clipped to the image."""
    if region.kind == FULL:
        return 0, 0, width, height
    if region.kind == SQUARE:
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    if region.kind == PIXELS:
        x, y, w, h = region.values
    else:
        assert region.kind == PERCENT
        px, py, pw, ph = region.values
        x, y = _round(px * width / 100), _round(py * height / 100)
        w, h = _round(pw * width / 100), _round(ph * height / 100)
    if x >= width or y >= height or w <= 0 or h <= 0:
        raise bad_request("region", OUTSIDE % {"width": width, "height": height})
    return x, y, min(w, width - x), min(h, height - y)


def output_size(size, region_width, region_height, limits):
    """(w, h) of the image made from a region of `region_width` × `region_height`."""
    rw, rh = region_width, region_height
    if size.kind == MAX:
        largest = min(limits.width / rw, limits.height / rh, math.sqrt(limits.area / (rw * rh)))
        scale = largest if size.upscale else min(1.0, largest)
        if scale == 1.0:
            return rw, rh
        return max(1, math.floor(rw * scale)), max(1, math.floor(rh * scale))
    if size.kind == WIDTH:
        w, h = size.width, _round(rh * size.width / rw)
    elif size.kind == HEIGHT:
        w, h = _round(rw * size.height / rh), size.height
    elif size.kind == PERCENT:
        w, h = _round(rw * size.percent / 100), _round(rh * size.percent / 100)
    elif size.kind == EXACT:
        w, h = size.width, size.height
    else:
        assert size.kind == CONFINED
        scale = min(size.width / rw, size.height / rh)
        w, h = _round(rw * scale), _round(rh * scale)
        # the box's own side wins over a rounding that would pass it
        w, h = min(w, size.width), min(h, size.height)
    if w <= 0 or h <= 0:
        raise bad_request("size", str(EMPTY))
    if not size.upscale and (w > rw or h > rh):
        raise bad_request("size", str(UPSCALING))
    if w > limits.width or h > limits.height or w * h > limits.area:
        raise bad_request("size", TOO_LARGE % {
            "width": w, "height": h, "max_width": limits.width, "max_height": limits.height,
            "max_area": limits.area,
        })
    return w, h


def _round(value):
    # Halves up, as the IIIF reference implementation does (Python's round() goes to even).
    return int(value + 0.5)
