"""Synthetic images for tests and benchmarks: made by code, the same seed giving the same bytes.

`generate_catalog N --images M` attaches M of them to published items of the catalogue it makes
(attach()), so that tests and benchmarks exercise the image path (ingest, derivatives, the IIIF
pyramid, the viewer) on a catalogue of any size. Each goes through imaging.ingest(), as a file an
archivist uploads does: the type sniffed, the caps, verify(), EXIF, SHA-256, derivatives, and the
tiled pyramid that ingest queues on its background thread (catalog/pyramids.py). attach() makes
the next image while that thread makes the last one's pyramid, then waits for the queue and
makes any pyramid still missing (inside a test's transaction, on_commit never fires), so every
image has its pyramid when it returns. There is no faster side path to keep in step with ingest.

What is made (plan()): mostly phone photographs of 12 megapixels, some from older cameras
(2–8 MP), small web images (PNG), document scans (A4 at 300 dpi, greyscale TIFF), and every
LARGE_EVERY-th a large scan of 40 to 100 megapixels (the first exactly 100), TIFF and JPEG in
turn. `scale` shrinks both sides of every image (0.02 makes the 100 MP scan 245 × 163 pixels),
so that tests take the same path on small pixels.

The pictures are gradients, shapes, a grain and a caption that says what they are: no one can
mistake them for photographs, and their metadata says so too (a JPEG's EXIF: Make "Arkiv",
Software naming this module; a TIFF's ImageDescription). One phone photograph in GPS_EVERY
carries a GPS position, as phones write it, so the public copy without it is made too. Pillow
draws and writes JPEG and PNG; libvips writes the TIFFs (see _tiff()).
"""
import io
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from PIL import Image, ImageChops, ImageDraw, ImageFont

LARGE_EVERY = 25  # images 24, 49, 74 ... are large scans
GPS_EVERY = 10  # one phone photograph in ten has a position
FULL_SCAN = (12_248, 8_165)  # 100.0 megapixels, 3:2
PHONE = (4_032, 3_024)  # 12.2 megapixels, 4:3, as most phones
A4_300DPI = (2_480, 3_508)
MIN_SIDE = 16
KINDS = {"phone": 55, "camera": 15, "small": 15, "document": 15}  # weights of the images but the large scans
GRAIN_TILE = 251  # a prime, so the grain does not line up with JPEG's 8 × 8 blocks
GRAIN = 6  # ± levels of grain
MULTI_PAGE_EVERY = 7  # every 7th item chosen gets PAGES images (a multi-page item), the others one
PAGES = 3
IMAGE_TYPES = ("StillImage", "Image", "Text", "PhysicalObject")  # what a scan or photograph may be of
CHUNK = 900  # primary keys a query: under SQLite's oldest limit of parameters
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif"}
# When synthetic photographs say they were taken: 1990 to 2024.
TAKEN_FROM, TAKEN_SPAN = datetime(1990, 1, 1), 35 * 365 * 24 * 3600
DESCRIPTION = "Synthetic image made by code, not a photograph"
POSITION = ((69, 43, 37.0), (30, 2, 42.0))  # Kirkenes, as degrees, minutes, seconds north and east


@dataclass(frozen=True)
class Planned:
    """One synthetic image to make: its place in the run and what it is."""

    seed: int
    number: int
    kind: str
    width: int
    height: int
    format: str  # a Pillow format: JPEG, PNG or TIFF
    mode: str  # RGB or L
    gps: bool

    @property
    def name(self):
        """The file name it is ingested under (the archive stores it under a name of its own)."""
        return f"synthetic-{self.seed}-{self.number:05d}-{self.kind}.{EXTENSIONS[self.format]}"

    @property
    def megapixels(self):
        return self.width * self.height / 1e6


def plan(count, *, seed=1, scale=1.0):
    """The `count` images of this seed, in order; each depends on its seed and number only, so
    the first ten of a plan of 100 are the plan of 10."""
    return [planned(seed, number, scale) for number in range(count)]


def planned(seed, number, scale=1.0):
    rng = random.Random(f"arkiv-synthetic-{seed}-{number}")
    if number % LARGE_EVERY == LARGE_EVERY - 1:
        large = number // LARGE_EVERY  # the how-manieth large scan: the first is the full 100 MP
        ratio = 1.0 if large == 0 else rng.uniform(0.63, 1.0)  # 40 to 100 MP
        width, height = round(FULL_SCAN[0] * ratio), round(FULL_SCAN[1] * ratio)
        kind, format_, mode = "scan", ("TIFF", "JPEG")[large % 2], "RGB"
    else:
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        mode = "RGB"
        if kind == "phone":
            width, height, format_ = *PHONE, "JPEG"
        elif kind == "camera":
            width = rng.randrange(1_600, 3_265, 8)
            width, height, format_ = width, width * 3 // 4, "JPEG"
        elif kind == "small":
            width = rng.randrange(640, 1_281, 8)
            width, height, format_ = width, width * 3 // 4, "PNG"
        else:
            width, height, format_, mode = *A4_300DPI, "TIFF", "L"
        if kind != "document" and rng.random() < 0.3:
            width, height = height, width  # portrait
    gps = kind == "phone" and rng.randrange(GPS_EVERY) == 0
    width, height = max(MIN_SIDE, round(width * scale)), max(MIN_SIDE, round(height * scale))
    return Planned(seed, number, kind, width, height, format_, mode, gps)


def render(image: Planned) -> bytes:
    """The file of `image`: the same bytes for the same plan (with the same Pillow)."""
    rng = random.Random(f"arkiv-synthetic-pixels-{image.seed}-{image.number}")
    size = (image.width, image.height)
    picture = _background(rng, size, image.mode)
    draw = ImageDraw.Draw(picture)
    _shapes(draw, rng, size, image.mode)
    picture = _grain(picture, rng)
    _caption(ImageDraw.Draw(picture), image)
    buffer = io.BytesIO()
    if image.format == "JPEG":
        picture.save(buffer, "JPEG", quality=90, exif=_exif(image, rng))
    elif image.format == "PNG":
        picture.save(buffer, "PNG", compress_level=6)
    else:
        return _tiff(picture)
    return buffer.getvalue()


def _tiff(picture):
    """An LZW TIFF at 300 dpi, written by libvips: Pillow's libtiff writer leaves the padding
    bytes between tag values uninitialised, so the same pixels did not always give the same file."""
    import pyvips  # here, not above: loading libvips costs time a command without images would pay

    bands = len(picture.getbands())
    image = pyvips.Image.new_from_memory(picture.tobytes(), picture.width, picture.height, bands, "uchar")
    image = image.copy(interpretation="srgb" if bands == 3 else "b-w", xres=300 / 25.4, yres=300 / 25.4)
    image.set_type(pyvips.GValue.gstr_type, "image-description", DESCRIPTION)
    return image.tiffsave_buffer(compression="lzw")


def _background(rng, size, mode):
    """Three gradients, one a band, each scaled to a range of its own: a soft sky or paper."""
    vertical = Image.linear_gradient("L")
    gradients = [vertical, vertical.transpose(Image.Transpose.ROTATE_90), Image.radial_gradient("L")]
    if mode == "L":  # paper: light, nearly even
        low = rng.randrange(200, 230)
        band = gradients[rng.randrange(3)].point(lambda v, low=low: low + v * (250 - low) // 255)
        return band.resize(size, Image.Resampling.BILINEAR)
    bands = []
    for gradient in rng.sample(gradients, 3):
        low, high = sorted((rng.randrange(256), rng.randrange(256)))
        bands.append(gradient.point(lambda v, low=low, high=high: low + v * (high - low) // 255))
    return Image.merge("RGB", bands).resize(size, Image.Resampling.BILINEAR)


def _shapes(draw, rng, size, mode):
    """Ellipses, rectangles and triangles, or for a document lines of 'text' in dark bars."""
    width, height = size
    if mode == "L":
        margin, line = width // 10, max(2, height // 60)
        for y in range(height // 8, height - height // 8, line * 2):
            end = width - margin - rng.randrange(0, max(1, width // 3))
            draw.rectangle((margin, y, max(margin + 1, end), y + line * 2 // 3), fill=rng.randrange(20, 80))
        return
    for _ in range(rng.randrange(8, 20)):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(1, max(2, width // 3)), rng.randrange(1, max(2, height // 3))
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = rng.randrange(3)
        if shape == 0:
            draw.ellipse((x, y, x + w, y + h), fill=colour)
        elif shape == 1:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
        else:
            draw.polygon([(x, y + h), (x + w // 2, y), (x + w, y + h)], fill=colour)


def _grain(picture, rng):
    """A tiled grain of ± GRAIN levels, from the seed's own random bytes (Pillow's
    effect_noise is not seeded), so that JPEG compresses the image as it would a photograph."""
    tile = Image.frombytes("L", (GRAIN_TILE, GRAIN_TILE), rng.randbytes(GRAIN_TILE * GRAIN_TILE))
    tile = tile.point(lambda v: v * (2 * GRAIN) // 255)
    grain = Image.new("L", picture.size)
    for y in range(0, picture.height, GRAIN_TILE):
        for x in range(0, picture.width, GRAIN_TILE):
            grain.paste(tile, (x, y))
    if picture.mode == "RGB":
        grain = Image.merge("RGB", (grain, grain, grain))
    return ImageChops.add(picture, grain, offset=-GRAIN)


def _caption(draw, image):
    """What the image is, written on it, so that nobody mistakes it for a photograph."""
    size = max(8, image.height // 24)
    font = ImageFont.load_default(size=size)
    fill = 0 if image.mode == "L" else (255, 255, 255)
    lines = [
        "Arkiv: synthetic image, not a photograph",
        f"seed {image.seed}, no. {image.number}, {image.kind}, {image.width} x {image.height}",
    ]
    for index, line in enumerate(lines):
        draw.text((size, size + index * size * 3 // 2), line, font=font, fill=fill)


def _exif(image, rng):
    exif = Image.Exif()
    exif[0x010F] = "Arkiv"  # Make
    exif[0x0110] = f"synthetic {image.kind}"  # Model
    exif[0x0131] = "catalog/synthetic_images.py"  # Software
    exif[0x010E] = DESCRIPTION  # ImageDescription
    taken = TAKEN_FROM + timedelta(seconds=rng.randrange(TAKEN_SPAN))
    exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    if image.gps:
        gps = exif.get_ifd(0x8825)
        (latitude, longitude) = POSITION
        gps[1], gps[2] = "N", latitude  # GPSLatitudeRef, GPSLatitude
        gps[3], gps[4] = "E", longitude  # GPSLongitudeRef, GPSLongitude
    return exif


# --- Attaching them to a catalogue ---------------------------------------------------------


@dataclass
class Attached:
    """What attach() did."""

    files: int = 0
    items: int = 0
    bytes: int = 0
    megapixels: float = 0.0
    make_seconds: float = 0.0
    ingest_seconds: float = 0.0
    pyramid_seconds: float = 0.0  # waiting for the pyramids after the last ingest


def attach(item_ids, count, *, seed=1, scale=1.0, progress=None):
    """Make `count` images (plan(count, seed, scale)) and ingest them into published items of
    `item_ids` (in that order), of the types a photograph or scan may be of: one image each,
    but PAGES for every MULTI_PAGE_EVERY-th item, and round again where there are fewer items
    than images. Every image has its pyramid on return. Returns Attached; `progress(n)` is
    called after each image. Raises ValueError when none of the items can have one."""
    from . import imaging, pyramids

    images = plan(count, seed=seed, scale=scale)
    items = _candidates(item_ids, needed=count)
    if images and not items:
        raise ValueError("no published item of an image type (StillImage, Image, Text, PhysicalObject) to attach images to")
    done, used, files = Attached(), set(), []
    for image, item in zip(images, _pages(items)):
        started = time.perf_counter()
        data = render(image)
        made = time.perf_counter()
        files.append(imaging.ingest(item=item, file=io.BytesIO(data), name=image.name))
        done.make_seconds += made - started
        done.ingest_seconds += time.perf_counter() - made
        done.files += 1
        done.bytes += len(data)
        done.megapixels += image.megapixels
        used.add(item.pk)
        if progress:
            progress(1)
    started = time.perf_counter()
    for digital_file in files:
        pyramids.make_pyramid(digital_file)  # here: the tasks ingest enqueued wait for a worker
    done.pyramid_seconds = time.perf_counter() - started
    done.items = len(used)
    return done


def _candidates(item_ids, needed):
    """Up to `needed` items of `item_ids` that may have images, in the order of `item_ids`."""
    from .models import Item

    found = []
    for start in range(0, len(item_ids), CHUNK):
        chunk = item_ids[start:start + CHUNK]
        rows = Item.objects.published().filter(pk__in=chunk, dcmi_type__in=IMAGE_TYPES).in_bulk()
        found += [rows[pk] for pk in chunk if pk in rows]
        if len(found) >= needed:
            break
    return found[:needed]


def _pages(items):
    """The item each image goes to, endlessly: PAGES in a row for every MULTI_PAGE_EVERY-th."""
    while items:
        for index, item in enumerate(items):
            for _ in range(PAGES if index % MULTI_PAGE_EVERY == MULTI_PAGE_EVERY - 1 else 1):
                yield item
