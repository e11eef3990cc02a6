"""The thumbnail and display copy of a TIFF, made by libvips in one streamed pass.

Pillow decodes a TIFF whole before it can scale it (it has no reduced-scale decoding for TIFF,
as it has for JPEG), so a 100 MP scan cost imaging.py over half a gigabyte. libvips reads the
file strip by strip from top to bottom and shrinks as it reads, so memory stays a few strips
whatever the scan's size. imaging.py still does every check before this (type from the content,
byte and pixel caps from the header, EXIF through Pillow); this makes the pixels only.

The derivatives are what imaging.py makes of other images: turned upright by the orientation
tag, 8-bit sRGB (or greyscale) as browsers show them (pyramids.as_browsers_show, as the pyramid
is), JPEG at imaging's quality and progressive, or PNG where there is transparency to keep; no
metadata at all (no EXIF, no XMP, no profile: the pixels are converted to sRGB by it first).
"""
import logging

logger = logging.getLogger(__name__)


class Unreadable(Exception):
    """libvips could not read the pixels; the message is its reason, on one line."""


def make(source, display_size, thumbnail_size, jpeg_quality):
    """(display, thumbnail, suffix) of the TIFF in the seekable binary file `source`: bytes of
    each, and ".jpg" or ".png". Raises Unreadable if the pixels cannot be decoded (a truncated
    or damaged scan)."""
    import pyvips  # here, not above: loading libvips costs time every other command would pay

    from . import pyramids

    try:
        vips_source = _source(source, pyvips)  # kept alive until read: libvips calls back into it
        # Shrinks while it reads, then turns upright (the small image, not the scan).
        display = _open(vips_source, pyvips).thumbnail_image(display_size, height=display_size, size="down")
        display = pyramids.as_browsers_show(_in_srgb(display)).copy_memory()
        thumbnail = display.thumbnail_image(thumbnail_size, height=thumbnail_size, size="down")
        if display.hasalpha():
            return _png(display), _png(thumbnail), ".png"
        return _jpeg(display, jpeg_quality), _jpeg(thumbnail, jpeg_quality), ".jpg"
    except pyvips.Error as error:
        raise Unreadable(_reason(error)) from None


def decodes(source):
    """Raise Unreadable if the TIFF's pixels cannot be decoded: read through once, in strips,
    shrunk as they come, and nothing made of them."""
    import pyvips

    try:
        vips_source = _source(source, pyvips)  # kept alive until read: libvips calls back into it
        _open(vips_source, pyvips).thumbnail_image(16, height=16, size="down", no_rotate=True).copy_memory()
    except pyvips.Error as error:
        raise Unreadable(_reason(error)) from None


def _source(file, pyvips):
    """A libvips source reading the Python file object `file` (an upload in memory or on disk,
    an open file), so that nothing is copied whole."""
    file.seek(0)
    source = pyvips.SourceCustom()
    source.on_read(file.read)
    source.on_seek(lambda offset, whence: file.seek(offset, whence))
    return source


def _in_srgb(image):
    """An RGB image tagged with another profile (Adobe RGB, a scanner's own) converted to sRGB,
    as the derivatives keep no profile; as_browsers_show converts CMYK and the rest."""
    if image.interpretation != "srgb" or not image.get_typeof("icc-profile-data"):
        return image
    try:
        return image.icc_transform("srgb", embedded=True)
    except Exception:  # a damaged profile: the pixels as they are are better than none
        logger.warning("Could not apply the colour profile of a TIFF; its derivatives are made without it")
        return image


def _open(vips_source, pyvips):
    # fail_on="error": a strip cut short or undecodable is an error, not grey pixels. (Given to
    # thumbnail_source, libvips 8.18 does not pass it on to the TIFF reader, hence thumbnail_image.)
    return pyvips.Image.new_from_source(vips_source, "", access="sequential", fail_on="error")


def _jpeg(image, quality):
    return image.jpegsave_buffer(Q=quality, optimize_coding=True, interlace=True, keep="none")


def _png(image):
    return image.pngsave_buffer(keep="none")


def _reason(error):
    """libvips's most telling line (the reader's own words: "Read error on strip 3"), without the
    operation names it wraps them in."""
    lines = [line.strip() for line in str(getattr(error, "detail", "") or error).splitlines()]
    lines = [line for line in lines if line and not line.startswith(("unable to call", "VipsForeignLoad"))]
    text = lines[0] if lines else ""  # imaging.py then gives its own, translated reason
    return text.split(": ", 1)[1] if text.startswith(("tiff2vips", "tiffload", "vips_")) and ": " in text else text

