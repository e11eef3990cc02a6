"""Cut the image a request asks for out of a pyramid, with libvips.

The level read is the smallest one still at least as detailed as the answer (a level per halving:
a 512 px tile of the whole of a 20,000 px scan comes from the level of some 625 px), and libvips
decodes only the tiles of that level under the region. The region is cut at its exact,
fractional place in that level and scaled once, so tiles meet without seams. Then, as the spec
orders it: mirroring, rotation, quality, format. Metadata never goes out with the pixels.
"""
import math

from .geometry import output_size, region_box

JPEG_QUALITY = 85
WEBP_QUALITY = 80
PNG_COMPRESSION = 6
BITONAL_THRESHOLD = 128


class Unreadable(Exception):
    """libvips could not read the source (a damaged or truncated pyramid)."""


def render(source, service_width, service_height, image_request, limits):
    """The bytes of the image `image_request` asks of `source` (the path of a pyramid, or of a
    single image of any size), seen as an image of `service_width` × `service_height`; raises
    IIIFError for a region or size the spec refuses, Unreadable if the source cannot be read."""
    import pyvips

    x, y, w, h = region_box(image_request.region, service_width, service_height)
    out_w, out_h = output_size(image_request.size, w, h, limits)
    try:
        return _render(source, service_width, service_height, image_request, (x, y, w, h), (out_w, out_h))
    except pyvips.Error as error:
        raise Unreadable(str(error)) from error


def _render(source, service_width, service_height, image_request, box, size):
    image = _cut(source, service_width, service_height, box, size)
    if image_request.mirror:
        image = image.fliphor()
    if image_request.rotation:
        image = image.rot(f"d{image_request.rotation}")
    image = _quality(image, image_request.quality)
    return _encode(image, image_request.format)


def open_level(source, service_width, service_height, box, size):
    """The level of the pyramid at `source` to cut `box` (in service pixels) from for an answer
    of `size`: the smallest level with at least one pixel per pixel of the answer. The pyramid
    may be larger than the service, where a private original is served at display size."""
    import pyvips  # loaded where images are made, not by every process that imports the views

    _x, _y, w, h = box
    out_w, out_h = size
    first = pyvips.Image.new_from_file(source)
    pages = first.get("n-pages") if first.get_typeof("n-pages") else 1
    reduction = min(w * first.width / service_width / out_w, h * first.height / service_height / out_h)
    level = 0
    while level + 1 < pages and 2 ** (level + 1) <= reduction:
        level += 1
    return first if level == 0 else pyvips.Image.new_from_file(source, page=level)


def _cut(source, service_width, service_height, box, size):
    x, y, w, h = box
    out_w, out_h = size
    level = open_level(source, service_width, service_height, box, size)
    sx, sy = level.width / service_width, level.height / service_height
    left, top = x * sx, y * sy
    right, bottom = min((x + w) * sx, level.width), min((y + h) * sy, level.height)
    ix0, iy0 = math.floor(left), math.floor(top)
    ix1 = min(max(ix0 + 1, math.ceil(right)), level.width)
    iy1 = min(max(iy0 + 1, math.ceil(bottom)), level.height)
    hscale, vscale = out_w / (right - left), out_h / (bottom - top)
    image = level.crop(ix0, iy0, ix1 - ix0, iy1 - iy0)
    if (hscale, vscale) != (1.0, 1.0):
        image = image.resize(hscale, vscale=vscale)
    # the region's fractional start, now in output pixels
    ox = min(round((left - ix0) * hscale), image.width - 1)
    oy = min(round((top - iy0) * vscale), image.height - 1)
    image = image.crop(ox, oy, min(out_w, image.width - ox), min(out_h, image.height - oy))
    if (image.width, image.height) != (out_w, out_h):  # a rounding short of a pixel at an edge
        image = image.embed(0, 0, out_w, out_h, extend="copy")
    return image


def _quality(image, quality):
    if quality in ("default", "color"):
        return image
    if image.hasalpha() and quality == "bitonal":
        image = image.flatten(background=255)
    grey = image.colourspace("b-w")
    if quality == "gray":
        return grey
    return (grey > BITONAL_THRESHOLD).cast("uchar")


def _encode(image, image_format):
    if image_format == "png":
        return image.pngsave_buffer(compression=PNG_COMPRESSION, keep="none")
    if image.hasalpha():
        image = image.flatten(background=255)
    if image_format == "webp":
        return image.webpsave_buffer(Q=WEBP_QUALITY, keep="none")
    return image.jpegsave_buffer(Q=JPEG_QUALITY, keep="none", optimize_coding=True)
