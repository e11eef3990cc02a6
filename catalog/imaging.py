"""Every digital file enters the archive here: checked, measured, described, given derivatives.

`ingest()` is the one entry point: the admin, the CSV importer and the management commands all
call it, so every file in storage has passed the same checks. It works in two steps:

- `examine()` reads the file and decides whether the archive can keep it. The type is sniffed
  from the content (a `.jpg` that is really an HTML page is refused); the byte cap is checked
  before the content is read; an image's pixel count is checked from its header before any
  pixel is decoded; EXIF is read; the thumbnail and display derivatives are made in memory
  (a TIFF's by libvips in one streamed pass, streamed_derivatives.py, so that a large scan is
  never decoded whole). Nothing is written anywhere, so a refused file leaves nothing behind.
- `ingest()` then streams the original to storage, computing its SHA-256 on the way, stores
  the derivatives and creates the DigitalFile row; if any of that fails it removes what it wrote.

Pillow is used in this module only (libvips, for the pixels of a TIFF, in streamed_derivatives.py
and pyramids.py).
"""
import hashlib
import io
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, TiffImagePlugin, UnidentifiedImageError

from . import pyramids, streamed_derivatives
from .models import DigitalFile
from .models.files import stored_name

# Pillow refuses, while opening, any image above twice its own MAX_IMAGE_PIXELS. Tying that limit
# to ours keeps Pillow's refusal as a second line behind examine()'s own check, never in front of it.
Image.MAX_IMAGE_PIXELS = settings.ARKIV_MAX_IMAGE_PIXELS

EMPTY = _("“{name}” is empty (0 bytes): choose the file again; the copy may not have finished.")
TOO_LARGE = _(
    "“{name}” is {size}, more than the {limit} a file may have: upload a smaller version (a JPEG "
    "or a compressed TIFF instead of an uncompressed scan), or ask the administrator to raise "
    "ARKIV_MAX_UPLOAD_BYTES."
)
UNSUPPORTED = _(
    "“{name}” is not a JPEG, PNG, TIFF, GIF, WebP or PDF file{looks_like}: the type is read from "
    "the content, not from the name, so save or export the file in one of these formats and "
    "upload it again."
)
TOO_MANY_PIXELS = _(
    "“{name}” is {width} × {height} pixels ({megapixels} megapixels), more than the {limit} "
    "megapixels an image may have: scale it down before uploading, or ask the administrator to "
    "raise ARKIV_MAX_IMAGE_PIXELS."
)
DECOMPRESSION_BOMB = _(
    "“{name}” declares far more pixels than the {limit} megapixels an image may have, which is "
    "how decompression bombs crash servers: scale the image down before uploading, or ask the "
    "administrator to raise ARKIV_MAX_IMAGE_PIXELS if it is genuine."
)
DAMAGED = _(
    "“{name}” is damaged or incomplete ({reason}): upload it again from the original source, or "
    "open and re-save it in an image program first."
)
# The reasons DAMAGED gives of its own (others are Pillow's words, in English).
UNREADABLE_AS_TYPE = _("it starts like a {label} file but cannot be read as one")
NO_END_OF_FILE = _("its end-of-file marker is missing")
# Added to UNSUPPORTED where the content is a kind of file refused uploads often turn out to be.
LOOKS_LIKE = _(" but {description}")


@dataclass(frozen=True)
class FileType:
    label: str
    mime_type: str
    pillow_format: str | None  # None: kept as it is, without derivatives
    extension: str  # what the stored file is named with, whatever the upload was called


JPEG = FileType("JPEG", "image/jpeg", "JPEG", ".jpg")
PNG = FileType("PNG", "image/png", "PNG", ".png")
TIFF = FileType("TIFF", "image/tiff", "TIFF", ".tif")
GIF = FileType("GIF", "image/gif", "GIF", ".gif")
WEBP = FileType("WebP", "image/webp", "WEBP", ".webp")
PDF = FileType("PDF", "application/pdf", None, ".pdf")

# Magic numbers: each signature is a set of (offset, bytes) that must all match.
SIGNATURES = (
    (((0, b"\xff\xd8\xff"),), JPEG),
    (((0, b"\x89PNG\r\n\x1a\n"),), PNG),
    (((0, b"II*\x00"),), TIFF),
    (((0, b"MM\x00*"),), TIFF),
    (((0, b"II+\x00"),), TIFF),  # BigTIFF, which large scans need beyond 4 GiB
    (((0, b"MM\x00+"),), TIFF),
    (((0, b"GIF87a"),), GIF),
    (((0, b"GIF89a"),), GIF),
    (((0, b"RIFF"), (8, b"WEBP")), WEBP),
    (((0, b"%PDF-"),), PDF),
)
# What refused files most often turn out to be, so the message can say so.
LOOKALIKES = (
    (b"PK\x03\x04", _("an archive (ZIP, or a Word or Excel document)")),
    (b"<!doctype html", _("a web page (HTML)")),
    (b"<html", _("a web page (HTML)")),
    (b"<?xml", _("an XML document")),
    (b"rar!", _("a RAR archive")),
    (b"7z\xbc\xaf", _("a 7-Zip archive")),
)
HEAD_BYTES = 64
CHUNK_BYTES = 1024 * 1024
# PDF readers look for the end-of-file marker in the last kilobyte; without it the file was cut short.
PDF_TAIL_BYTES = 1024

JPEG_QUALITY = 85
# EXIF values larger than this are embedded documents (XMP packets, maker notes, ICC profiles):
# the original keeps them, the searchable summary in DigitalFile.exif does not.
EXIF_MAX_TEXT = 1000
EXIF_MAX_ITEMS = 64
EXIF_POINTERS = {ifd.value for ifd in ExifTags.IFD}
ROTATED_ORIENTATIONS = {5, 6, 7, 8}  # EXIF orientations that swap width and height
# Decoded by libvips in strips (streamed_derivatives.py): Pillow decodes a TIFF whole, having no
# reduced-scale decoding for it as for JPEG, and a 100 MP scan would cost half a gigabyte.
STREAMED = {TIFF}


@dataclass
class Examination:
    """What examine() learnt about a file it accepts; ingest() stores it."""

    source: object  # a seekable binary file positioned anywhere
    name: str
    size: int
    file_type: FileType
    width: int | None = None
    height: int | None = None
    exif: dict = field(default_factory=dict)
    thumbnail: bytes = b""
    display: bytes = b""
    derivative_suffix: str = ".jpg"
    public_copy: bytes = b""  # a JPEG original without its GPS position, for visitors
    described: bool = False  # the pixels were decoded and the derivatives made
    spooled: bool = False  # the source is our own temporary copy, closed once stored

    @property
    def mime_type(self):
        return self.file_type.mime_type


def ingest(*, item, file, name, label="", original_public=False, examination=None) -> DigitalFile:
    """Check `file`, store it as a digital file of `item`, and return the new DigitalFile.

    Raises ValidationError (nothing stored) if the archive cannot keep the file. `examination`
    is the result of examine(file) when the caller already made it, as the admin form does to
    show a refusal on the upload field; it spares reading the file twice, and the pixels are
    decoded here only if examine() was told not to.

    The stored files are named by Arkiv (models.files.stored_name), never by the upload. An
    image's tiled pyramid (pyramids.py) is made on a background thread once the transaction
    commits, so no request waits for it.
    """
    examination = examination or examine(file, name=name)
    try:
        describe(examination)
        digital_file = _store(item, examination, label, original_public)
        pyramids.make_later(digital_file)
        return digital_file
    finally:
        if examination.spooled:
            examination.source.close()


def _store(item, examination, label, original_public):
    position = _next_position(item)
    digital_file = DigitalFile(
        item=item, label=label, original_public=original_public, original_name=examination.name,
        mime_type=examination.mime_type, width=examination.width, height=examination.height,
        exif=examination.exif, position=position,
    )
    written = []
    try:
        with transaction.atomic():
            original = _HashingFile(examination.source, name=examination.name)
            own_name = stored_name(item.identifier, position + 1, examination.file_type.extension)
            digital_file.file.save(own_name, original, save=False)
            written.append(digital_file.file)
            digital_file.sha256 = original.sha256.hexdigest()
            digital_file.size = original.bytes_read
            stem = PurePosixPath(digital_file.file.name).stem
            folder = f"derivatives/{item.identifier}"
            derivatives = [
                (digital_file.display, examination.display, f"-display{examination.derivative_suffix}"),
                (digital_file.thumbnail, examination.thumbnail, f"-thumbnail{examination.derivative_suffix}"),
                (digital_file.public_copy, examination.public_copy, f"-public{examination.file_type.extension}"),
            ]
            for field_file, content, suffix in derivatives:
                if content:
                    field_file.save(f"{folder}/{stem}{suffix}", ContentFile(content), save=False)
                    written.append(field_file)
            digital_file.save()
    except BaseException:
        for field_file in written:
            field_file.storage.delete(field_file.name)
        raise
    return digital_file


def examine(file, *, name, decode=True) -> Examination:
    """Decide whether the archive can keep `file`; raise ValidationError saying why not.

    `file` is any binary file object (an upload, an open file); nothing is written anywhere.
    With `decode=False` only the type, the caps, the structure and the EXIF are checked, and
    no pixel is decoded: a form that may still be refused for another reason leaves the
    decoding (the expensive part) to ingest(), which calls describe().
    """
    name = clean_name(name)
    limit = settings.ARKIV_MAX_UPLOAD_BYTES
    source, spooled = _seekable(file, name, limit)
    try:
        examination = _examine(source, name, limit, spooled)
        if decode:
            describe(examination)
        return examination
    except BaseException:
        if spooled:
            source.close()
        raise


def describe(examination):
    """Decode the pixels of an examined image once: its size as seen, its derivatives, and the
    public copy of a JPEG whose original carries a GPS position. This is where a truncated
    image shows itself (ValidationError). Does nothing the second time, or for a PDF."""
    if examination.described or examination.file_type is PDF:
        return
    _describe_image(examination, examination.file_type)
    if examination.file_type is JPEG and not examination.exif.get("GPSInfo") and _has_xmp_position(examination.source):
        examination.exif["GPSInfo"] = {"XMP": "a position in the XMP packet"}
    if examination.file_type is JPEG and examination.exif.get("GPSInfo"):
        try:
            examination.public_copy = _without_position(examination)
        except Exception:  # metadata Pillow read once but cannot write again: no public copy,
            examination.public_copy = b""  # so the original stays private (DigitalFile.stored)
    examination.described = True


def _examine(source, name, limit, spooled):
    source.seek(0, os.SEEK_END)
    size = source.tell()
    if size == 0:
        raise ValidationError(EMPTY.format(name=name), code="empty")
    if size > limit:
        raise _too_large(name, size, limit)
    source.seek(0)
    head = source.read(HEAD_BYTES)
    file_type = sniff(head)
    if file_type is None:
        raise ValidationError(
            UNSUPPORTED.format(name=name, looks_like=_looks_like(head)), code="unsupported_type"
        )
    examination = Examination(
        source=source, name=name, size=size, file_type=file_type, spooled=spooled
    )
    if file_type is PDF:
        _check_pdf(examination)
    else:
        _check_image(examination, file_type)
    return examination


def sniff(head: bytes) -> FileType | None:
    """The type of a file from its first bytes, or None if it is none the archive keeps."""
    for parts, file_type in SIGNATURES:
        if all(head[offset:offset + len(magic)] == magic for offset, magic in parts):
            return file_type
    return None


def clean_name(name):
    """The file's own name, without any folders a browser or a CSV row put in front of it."""
    base = os.path.basename(str(name or "").replace("\\", "/")).strip()
    stem, extension = os.path.splitext(base)
    return (stem[:150] + extension[:20]) or "file"


def _looks_like(head):
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for magic, description in LOOKALIKES:
        if start.startswith(magic.lower()):
            return LOOKS_LIKE.format(description=description)
    return ""


def _too_large(name, size, limit):
    return ValidationError(
        TOO_LARGE.format(name=name, size=filesizeformat(size), limit=filesizeformat(limit)),
        code="too_large",
    )


def _seekable(file, name, limit):
    """`file` itself if it can seek, else a temporary copy; the byte cap applies to both."""
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(name, declared, limit)  # before reading a byte
    try:
        if file.seekable():
            return file, False
    except (AttributeError, ValueError):
        pass
    spool = tempfile.SpooledTemporaryFile(
        max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    copied = 0
    while chunk := file.read(CHUNK_BYTES):
        copied += len(chunk)
        if copied > limit:
            spool.close()
            raise _too_large(name, copied, limit)
        spool.write(chunk)
    return spool, True


def _check_pdf(examination):
    source = examination.source
    source.seek(max(0, examination.size - PDF_TAIL_BYTES))
    if b"%%EOF" not in source.read():
        raise ValidationError(
            DAMAGED.format(name=examination.name, reason=NO_END_OF_FILE),
            code="damaged",
        )


def _check_image(examination, file_type):
    """Header and structure only, as Django's ImageField does: verify() reads no pixels."""
    name = examination.name
    try:
        with _open(examination, file_type) as image:
            width, height = image.size
            limit = settings.ARKIV_MAX_IMAGE_PIXELS
            if width * height > limit:
                raise ValidationError(
                    TOO_MANY_PIXELS.format(
                        name=name, width=width, height=height,
                        megapixels=_megapixels(width * height), limit=_megapixels(limit),
                    ),
                    code="too_many_pixels",
                )
            image.verify()
    except Image.DecompressionBombError:
        raise ValidationError(
            DECOMPRESSION_BOMB.format(name=name, limit=_megapixels(settings.ARKIV_MAX_IMAGE_PIXELS)),
            code="too_many_pixels",
        ) from None
    except ValidationError:
        raise
    except Exception as error:  # Pillow reports broken files with many exception types
        raise _damaged(name, file_type, error) from None


def _describe_image(examination, file_type):
    """EXIF, size as seen, and the derivatives. This decodes the pixels, after the caps held,
    and is where a truncated file shows itself."""
    display_size, thumbnail_size = settings.ARKIV_DISPLAY_SIZE, settings.ARKIV_THUMBNAIL_SIZE
    try:
        with _open(examination, file_type) as image:
            exif = image.getexif()
            examination.exif = exif_to_json(exif)
            width, height = image.size
            if file_type is TIFF:  # Pillow gives a TIFF's size turned by its orientation already
                width = exif.get(ExifTags.Base.ImageWidth, width)
                height = exif.get(ExifTags.Base.ImageLength, height)
            if exif.get(ExifTags.Base.Orientation) in ROTATED_ORIENTATIONS:
                width, height = height, width
            examination.width, examination.height = width, height
            if file_type in STREAMED:  # Pillow read the header only; libvips decodes, in strips
                examination.display, examination.thumbnail, examination.derivative_suffix = (
                    streamed_derivatives.make(examination.source, display_size, thumbnail_size, JPEG_QUALITY)
                )
                return
            # For JPEG, decode at the smallest scale that still covers the display size.
            image.draft(None, (display_size, display_size))
            icc_profile = image.info.get("icc_profile")
            ImageOps.exif_transpose(image, in_place=True)  # no copy when already upright
            display, output_format = _viewable(image)
            if display.mode.rstrip("A") != image.mode.rstrip("A"):
                icc_profile = None  # a CMYK or 16-bit profile does not describe the converted pixels
            # Pillow's default filter with its reducing gap: a box reduction first, then bicubic;
            # at these ratios it looks like Lanczos and is faster on large scans.
            display.thumbnail((display_size, display_size))
            thumbnail = display.copy()
            thumbnail.thumbnail((thumbnail_size, thumbnail_size))
            examination.display = _encode(display, output_format, icc_profile)
            examination.thumbnail = _encode(thumbnail, output_format, icc_profile)
            examination.derivative_suffix = ".png" if output_format == "PNG" else ".jpg"
    except Exception as error:
        raise _damaged(examination.name, file_type, error) from None


# JPEG markers (ITU T.81 B.1.1.3): segments without a length field, and the start of scan,
# after which the compressed pixels run to the end of the file.
JPEG_STANDALONE = {0xD8, 0xD9, 0x01, *range(0xD0, 0xD8)}
JPEG_SOS, JPEG_APP1 = 0xDA, 0xE1
EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADERS = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")
EXIF_MAKER_NOTE = 0x927C


def _jpeg_segments(data):
    """(marker, start, end) of each segment of a JPEG up to its start of scan, then the rest."""
    offset = 2  # after SOI
    while offset + 4 <= len(data) and data[offset] == 0xFF:
        marker = data[offset + 1]
        if marker in JPEG_STANDALONE:
            yield marker, offset, offset + 2
            offset += 2
            continue
        end = offset + 2 + int.from_bytes(data[offset + 2:offset + 4], "big")
        if marker == JPEG_SOS:
            break
        yield marker, offset, end
        offset = end
    yield None, offset, len(data)


def _has_xmp_position(source):
    """Whether a JPEG's XMP packet names a position (exif:GPSLatitude and the like)."""
    source.seek(0)
    data = source.read()
    return any(
        marker == JPEG_APP1 and data[start + 4:end].startswith(XMP_HEADERS) and b"GPS" in data[start:end]
        for marker, start, end in _jpeg_segments(data)
    )


def _without_position(examination):
    """The JPEG original byte for byte, pixels untouched, but for its metadata: the EXIF block
    is written again without the GPS directory (and without the maker note, whose private
    offsets would not survive the rewrite), and XMP packets, which may repeat the position, are
    left out. Visitors get this copy; the archive keeps the original."""
    source = examination.source
    source.seek(0)
    data = source.read()
    parts = [data[:2]]
    for marker, start, end in _jpeg_segments(data):
        payload = data[start + 4:end]
        if marker == JPEG_APP1 and payload.startswith(XMP_HEADERS):
            continue
        if marker == JPEG_APP1 and payload.startswith(EXIF_HEADER):
            exif = Image.Exif()
            exif.load(payload)
            exif.get_ifd(ExifTags.IFD.Exif).pop(EXIF_MAKER_NOTE, None)
            exif.pop(ExifTags.IFD.GPSInfo, None)
            payload = exif.tobytes()
            parts.append(b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload)
            continue
        parts.append(data[start:end])
    return b"".join(parts)


def _open(examination, file_type):
    examination.source.seek(0)
    return Image.open(examination.source, formats=[file_type.pillow_format])


def _damaged(name, file_type, error):
    if isinstance(error, UnidentifiedImageError) or (
        isinstance(error, streamed_derivatives.Unreadable) and not str(error)
    ):
        reason = UNREADABLE_AS_TYPE.format(label=file_type.label)
    else:
        reason = str(error).strip() or type(error).__name__
        reason = reason[0].lower() + reason[1:]
    return ValidationError(DAMAGED.format(name=name, reason=reason[:200]), code="damaged")


def _megapixels(pixels):
    """“24.5”, or “24,5” where the language writes a decimal comma; “24”, not “24.0”."""
    text = f"{pixels / 1_000_000:.1f}".removesuffix(".0")
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def _viewable(image):
    """The image in a mode browsers show, and the format to save it in: JPEG, or PNG where
    there is transparency to keep."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # 16-bit greyscale scans: scale to 8 bits rather than clip everything above 255 to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if has_alpha:
        return image.convert("LA" if image.mode in ("L", "LA", "La") else "RGBA"), "PNG"
    if image.mode in ("RGB", "L"):
        return image, "JPEG"
    return image.convert("L" if image.mode == "1" else "RGB"), "JPEG"


def _encode(image, output_format, icc_profile):
    # A derivative carries pixels and colour profile only: no EXIF (GPS!), no comment, no XMP.
    image.info = {}
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if output_format == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    image.save(buffer, output_format, **options)
    return buffer.getvalue()


def decodes(examination):
    """Raise ValidationError, as describe() would, if an examined image's pixels cannot be
    decoded (a truncated scan): decoded once at the scale describe() decodes at, and nothing
    made of them, at a fraction of its cost (the folder ingest checks every file so before its
    chunk's transaction, and describe() makes the derivatives once, in it)."""
    if examination.described or examination.file_type is PDF:
        return
    if examination.file_type in STREAMED:
        try:
            return streamed_derivatives.decodes(examination.source)
        except streamed_derivatives.Unreadable as error:
            raise _damaged(examination.name, examination.file_type, error) from None
    try:
        with _open(examination, examination.file_type) as image:
            image.draft(None, (settings.ARKIV_DISPLAY_SIZE, settings.ARKIV_DISPLAY_SIZE))
            image.load()
    except Exception as error:
        raise _damaged(examination.name, examination.file_type, error) from None


def date_taken(examination):
    """When an examined image was taken, as its EXIF DateTimeOriginal is written ("2024:05:17
    14:03:22"), or "": read from the header, without decoding a pixel (a folder ingest names
    the item's date by it)."""
    if examination.file_type.pillow_format is None:
        return ""
    try:
        with _open(examination, examination.file_type) as image:
            value = image.getexif().get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
    except Exception:  # a damaged header: describe() will say so, not this
        return ""
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def exif_to_json(exif):
    """EXIF as a JSON-safe dict keyed by tag name; the GPS block, if any, under "GPSInfo".

    Values become numbers, text or lists; what JSON cannot hold (binary blobs, NaN, NUL
    characters, which PostgreSQL's jsonb refuses) is left out.
    """
    result = _tags(exif, ExifTags.TAGS, skip=EXIF_POINTERS)
    result.update(_tags(exif.get_ifd(ExifTags.IFD.Exif), ExifTags.TAGS, skip=EXIF_POINTERS))
    gps = _tags(exif.get_ifd(ExifTags.IFD.GPSInfo), ExifTags.GPSTAGS)
    if gps:
        result["GPSInfo"] = gps
    return result


def _tags(ifd, names, skip=()):
    tags = {}
    for tag, value in ifd.items():
        if tag in skip:
            continue
        name = names.get(tag, f"0x{tag:04x}")
        if name == "UserComment" and isinstance(value, bytes):
            value = _user_comment(value)
        value = _json_value(value)
        if value not in (None, "", []):
            tags[name] = value
    return tags


def _json_value(value):
    if isinstance(value, TiffImagePlugin.IFDRational):
        return None if value.denominator == 0 else round(float(value), 8)
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bytes):
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            return None
        if not value.rstrip("\x00").isprintable():
            return None
    if isinstance(value, str):
        text = value.replace("\x00", "").strip()
        return text if len(text) <= EXIF_MAX_TEXT else None
    if isinstance(value, tuple | list):
        if len(value) > EXIF_MAX_ITEMS:
            return None
        items = [_json_value(item) for item in value]
        return None if None in items else items
    return None


def _user_comment(value):
    # EXIF 2.3 §4.6.5: an 8-byte character code, then the comment.
    code, text = value[:8], value[8:]
    if code.rstrip(b"\x00") in (b"ASCII", b""):
        return text
    if code == b"UNICODE\x00":
        for encoding in ("utf-16", "utf-16-be"):
            try:
                return text.decode(encoding)
            except UnicodeDecodeError:
                continue
    return None


def _next_position(item):
    last = item.files.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


class _HashingFile(File):
    """Computes the SHA-256 and size of the bytes as storage reads them: one pass, no copy."""

    def __init__(self, file, name):
        super().__init__(file, name)
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def chunks(self, chunk_size=None):
        for chunk in super().chunks(chunk_size or CHUNK_BYTES):
            self.sha256.update(chunk)
            self.bytes_read += len(chunk)
            yield chunk
