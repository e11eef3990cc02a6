"""The tiled pyramid of an image: made once, after ingest, so that no request decodes a whole scan.

A pyramid is a tiled TIFF (JPEG tiles, or lossless deflate where the image has transparency)
holding the image at full size and at every halving down to one tile, each level a page of the
file. The IIIF Image API (catalog/iiif/) opens only the level a request needs and libvips reads
only the tiles under the region asked for: a tile of a 20,000 × 20,000 scan costs the same as a
tile of a phone photograph. IIPImage and other image servers read the same file.

The pyramid lives beside the image's derivatives in MEDIA_ROOT (`derivatives/<item>/<stem>-
pyramid.tif`), which no route serves: its pixels leave only through the IIIF view, after the
visibility rule. It carries pixels only: no EXIF (GPS!), no XMP, no comment. The image is turned
upright by its EXIF orientation and converted to 8-bit sRGB (or greyscale) as browsers show it.

`make_pyramid(digital_file)` makes it now (the benchmarks and `manage.py make_pyramids` call
it); `make_later(digital_file)` enqueues it as a task once the ingest's transaction commits,
which is what imaging.ingest() does, so no request waits for it and a restart of the web server
loses none; the task worker makes one pyramid at a time (libvips already uses every core for
each). libvips streams the
source from top to bottom, so memory stays small whatever the image's size. Whether a pyramid
exists is the file's existence: no database field, and nothing to migrate when one is made.
"""
import logging
import os
import threading
from pathlib import PurePosixPath

from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

TILE_SIZE = 512
"""Pixels on a side of a tile of the TIFF, and of the tiles info.json offers: one IIIF tile
request at a level's own scale reads exactly one tile of the file."""

JPEG_QUALITY = 90
"""Of the pyramid's JPEG tiles: every image served is encoded again from them, so they are kept
a little better than the images served (catalog/iiif/render.py)."""

BIGTIFF_BYTES = 3 * 1024 ** 3
"""Above this many uncompressed bytes the pyramid is written as BigTIFF (past TIFF's 4 GiB)."""

ROTATED = {5, 6, 7, 8}
"""EXIF orientations that turn the image by a quarter: turning needs the whole image at hand."""

def pyramid_name(digital_file):
    """The storage name of `digital_file`'s pyramid, beside its derivatives: named after the
    stored original (originals/<item>/<stem>.jpg), so it stays put if the item's identifier is
    changed, as the derivatives do."""
    original = PurePosixPath(digital_file.file.name)
    return f"derivatives/{original.parent.name}/{original.stem}-pyramid.tif"


def pyramid_path(digital_file):
    """The pyramid's path on disk if it has been made, else None."""
    if not digital_file.is_image or not digital_file.file:
        return None
    path = default_storage.path(pyramid_name(digital_file))
    return path if os.path.isfile(path) else None


def make_pyramid(digital_file, *, replace=False):
    """Make `digital_file`'s pyramid (if it is an image) and return its path, or None.

    An existing one is kept unless `replace`. Raises pyvips.Error if libvips cannot read the
    image.
    """
    if not digital_file.is_image or not digital_file.file:
        return None
    target = default_storage.path(pyramid_name(digital_file))
    if os.path.isfile(target) and not replace:
        return target
    _make(digital_file.file.path, target)
    return target


def _make(source, target):
    # Written to a temporary name and renamed when complete: a reader never sees half a pyramid.
    os.makedirs(os.path.dirname(target), exist_ok=True)
    scratch = f"{target}.{os.getpid()}.{threading.get_ident()}.part"
    try:
        write_pyramid(source, scratch)
        os.replace(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)


def write_pyramid(source, target):
    """Write the pyramid of the image file `source` to `target` (paths)."""
    import pyvips  # here, not above: loading libvips costs time every other command would pay

    image = pyvips.Image.new_from_file(source, access="sequential")
    if _orientation(image) in ROTATED:
        image = pyvips.Image.new_from_file(source, access="random")
    image = _upright(image)
    image = as_browsers_show(image)
    alpha = image.hasalpha()
    uncompressed = image.width * image.height * image.bands
    tile = tile_size(image.width, image.height)
    image.tiffsave(
        target, tile=tile > 0, tile_width=tile or TILE_SIZE, tile_height=tile or TILE_SIZE, pyramid=True,
        compression="deflate" if alpha else "jpeg", Q=JPEG_QUALITY, predictor="horizontal",
        bigtiff=uncompressed * 4 // 3 > BIGTIFF_BYTES, keep="none",
    )


def tile_size(width, height):
    """TILE_SIZE, or for an image narrower than that the largest multiple of 16 (TIFF's rule)
    within its shorter side, as libvips reads back no tile much larger than the image; 0 (strips)
    for an image under 16 pixels on a side."""
    shorter = min(width, height)
    if shorter < 16:
        return 0
    return min(TILE_SIZE, shorter // 16 * 16)


def _orientation(image):
    return image.get("orientation") if image.get_typeof("orientation") else 1


def _upright(image):
    if _orientation(image) == 1:
        return image
    image = image.autorot()
    image.remove("orientation")  # turned: a reader must not turn it again
    return image


def as_browsers_show(image):
    """8-bit sRGB, or 8-bit greyscale; CMYK, 16-bit and tagged profiles converted (the pyramid,
    and the derivatives of a TIFF, streamed_derivatives.py)."""
    if image.get_typeof("icc-profile-data") and image.interpretation not in ("srgb", "b-w"):
        try:
            image = image.icc_transform("srgb", embedded=True)
        except Exception:  # a damaged profile: the plain conversion below still gives pixels
            logger.warning("Could not apply the colour profile of an image; converting without it")
    if image.interpretation in ("b-w", "grey16") and image.bands <= 2:
        image = image.colourspace("b-w")
    elif image.interpretation != "srgb" or image.format != "uchar":
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def make_later(digital_file):
    """Enqueue the pyramid of `digital_file` as a task (catalog.tasks.make_pyramid) once the
    current transaction commits (at once outside one). The task gets the two paths only and never
    touches the database; a pyramid queued twice is made once."""
    if not digital_file.is_image or not digital_file.file:
        return
    from . import tasks  # tasks wraps the engines, this one among them
    from .background import enqueue

    enqueue(tasks.make_pyramid, digital_file.file.path, default_storage.path(pyramid_name(digital_file)))


def make_queued(source, target):
    """The task's work: make the pyramid `target` of `source` unless it exists by now. An image
    deleted since it was queued is no error: there is nothing left to make."""
    if os.path.isfile(target) or not os.path.isfile(source):
        return
    _make(source, target)


def remove_pyramid(digital_file):
    """Delete the pyramid of a digital file that is being deleted."""
    if digital_file.file:
        default_storage.delete(pyramid_name(digital_file))
