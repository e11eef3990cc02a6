import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from catalog import imaging
from catalog.models import DigitalFile
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def encode(image, format_, **options):
    buffer = io.BytesIO()
    image.save(buffer, format_, **options)
    return buffer.getvalue()


def two_tone(size=(60, 40)):
    """Left half red, right half blue: its orientation shows in its pixels."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def gps_exif():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Zorki"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (69.0, 43.0, 30.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (30.0, 2.0, 42.0)
    return exif


def png_claiming(width, height):
    """A real, tiny PNG whose header declares `width` x `height` pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def zip_archive():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"not really")
    return buffer.getvalue()


def stored_paths(settings):
    return sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def ingest(data, name="photo.jpg", item=None, **kwargs):
    return imaging.ingest(item=item or ItemFactory(identifier="kirkenes-1944-001"), file=io.BytesIO(data), name=name, **kwargs)


class NonSeekable(io.RawIOBase):
    """A stream that can only be read forwards (a pipe, an HTTP body), counting what was read."""

    def __init__(self, data, repeat=1):
        self.data, self.repeat, self.offset, self.read_bytes = data, repeat, 0, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        total = len(self.data) * self.repeat
        if self.offset >= total:
            return 0
        count = min(len(buffer), total - self.offset, len(self.data))
        start = self.offset % len(self.data)
        chunk = (self.data * 2)[start:start + count]
        buffer[:count] = chunk
        self.offset += count
        self.read_bytes += count
        return count


class Unreadable(SimpleUploadedFile):
    """An upload with a declared size that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the file was read")

    def chunks(self, *args):
        raise AssertionError("the file was read")


# --- accepted files ----------------------------------------------------------------------------

def test_ingest_stores_the_original_with_checksum_size_type_and_pixels(settings):
    data = encode(two_tone(), "JPEG")

    digital_file = ingest(data, name="bridge.jpg", label="recto")

    digital_file.refresh_from_db()
    assert digital_file.file.name == "originals/kirkenes-1944-001/kirkenes-1944-001-001.jpg"
    assert digital_file.file.read() == data
    assert digital_file.sha256 == hashlib.sha256(data).hexdigest()
    assert (digital_file.size, digital_file.mime_type) == (len(data), "image/jpeg")
    assert (digital_file.width, digital_file.height) == (60, 40)
    assert (digital_file.original_name, digital_file.label) == ("bridge.jpg", "recto")
    assert digital_file.thumbnail.name == "derivatives/kirkenes-1944-001/kirkenes-1944-001-001-thumbnail.jpg"
    assert digital_file.display.name == "derivatives/kirkenes-1944-001/kirkenes-1944-001-001-display.jpg"


@pytest.mark.parametrize("format_, options, mime_type", [
    ("PNG", {}, "image/png"),
    ("TIFF", {"compression": "tiff_lzw"}, "image/tiff"),
    ("GIF", {}, "image/gif"),
    ("WEBP", {"lossless": True}, "image/webp"),
])
def test_other_image_types_are_sniffed_and_described(format_, options, mime_type):
    digital_file = ingest(encode(two_tone(), format_, **options), name="scan.bin")

    assert digital_file.mime_type == mime_type
    assert Image.open(digital_file.display).size == (60, 40)


def test_a_pdf_is_kept_without_derivatives():
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

    digital_file = ingest(data, name="note.pdf")

    assert (digital_file.mime_type, digital_file.width, digital_file.exif) == ("application/pdf", None, {})
    assert not digital_file.thumbnail and not digital_file.display
    assert digital_file.sha256 == hashlib.sha256(data).hexdigest()


def test_the_type_comes_from_the_content_not_the_name():
    assert ingest(encode(two_tone(), "PNG"), name="really-a-png.jpg").mime_type == "image/png"


def test_exif_orientation_is_applied_to_the_derivatives():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: display rotated 90° clockwise
    data = encode(two_tone((60, 40)), "JPEG", exif=exif, quality=95)

    digital_file = ingest(data)

    display = Image.open(digital_file.display).convert("RGB")
    assert display.size == (40, 60)
    assert (digital_file.width, digital_file.height) == (40, 60)
    red, blue = display.getpixel((20, 5)), display.getpixel((20, 55))
    assert red[0] > 200 and red[2] < 60
    assert blue[2] > 200 and blue[0] < 60
    assert digital_file.exif["Orientation"] == 6


def test_gps_is_kept_privately_in_the_exif_field_and_never_in_derivatives():
    data = encode(two_tone(), "JPEG", exif=gps_exif(), comment=b"shot from the ridge above the bridge")

    digital_file = ingest(data)

    digital_file.refresh_from_db()
    assert digital_file.exif["Make"] == "Zorki"
    assert digital_file.exif["GPSInfo"] == {
        "GPSLatitudeRef": "N", "GPSLatitude": [69.0, 43.0, 30.5],
        "GPSLongitudeRef": "E", "GPSLongitude": [30.0, 2.0, 42.0],
    }
    for derivative in (digital_file.thumbnail, digital_file.display):
        content = derivative.read()
        image = Image.open(io.BytesIO(content))
        assert not image.getexif()
        assert b"Exif" not in content and b"Zorki" not in content and b"ridge" not in content


def test_exif_that_json_cannot_hold_is_left_out():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Zor\x00ki"
    exif[ExifTags.Base.XResolution] = 72.0
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.MakerNote] = bytes(range(256))
    details[ExifTags.Base.UserComment] = b"ASCII\x00\x00\x00Kirkenes, October 1944"
    details[ExifTags.Base.ExposureTime] = (1, 0)

    digital_file = ingest(encode(two_tone(), "JPEG", exif=exif))

    digital_file.refresh_from_db()  # PostgreSQL's jsonb refuses NUL characters and NaN
    assert digital_file.exif["Make"] == "Zorki"
    assert digital_file.exif["XResolution"] == 72.0
    assert digital_file.exif["UserComment"] == "Kirkenes, October 1944"
    assert "MakerNote" not in digital_file.exif


def test_derivatives_are_bounded_by_the_display_and_thumbnail_sizes(settings):
    settings.ARKIV_DISPLAY_SIZE, settings.ARKIV_THUMBNAIL_SIZE = 120, 30

    digital_file = ingest(encode(two_tone((600, 400)), "JPEG"))

    assert Image.open(digital_file.display).size == (120, 80)
    assert Image.open(digital_file.thumbnail).size == (30, 20)
    assert (digital_file.width, digital_file.height) == (600, 400)


def test_transparency_is_kept_in_png_derivatives():
    image = Image.new("RGBA", (40, 40), (255, 0, 0, 0))

    digital_file = ingest(encode(image, "PNG"), name="seal.png")

    thumbnail = Image.open(digital_file.thumbnail)
    assert digital_file.thumbnail.name.endswith(".png")
    assert thumbnail.mode == "RGBA" and thumbnail.getpixel((0, 0))[3] == 0


def test_sixteen_bit_greyscale_scans_are_scaled_not_clipped():
    image = Image.new("I;16", (40, 40), 32768)  # mid grey at 16 bits

    digital_file = ingest(encode(image, "PNG"), name="scan.png")

    grey = Image.open(digital_file.display).getpixel((10, 10))
    assert 120 <= grey <= 135


def test_cmyk_jpegs_get_rgb_derivatives():
    image = Image.new("CMYK", (40, 40), (0, 255, 255, 0))  # red in print colours

    digital_file = ingest(encode(image, "JPEG"))

    display = Image.open(digital_file.display)
    assert display.mode == "RGB" and display.getpixel((10, 10))[0] > 200


def test_a_stream_that_cannot_seek_is_accepted():
    data = encode(two_tone(), "JPEG")

    digital_file = imaging.ingest(item=ItemFactory(), file=NonSeekable(data), name="photo.jpg")

    assert digital_file.sha256 == hashlib.sha256(data).hexdigest()


def test_folders_in_the_name_are_dropped():
    digital_file = ingest(encode(two_tone(), "JPEG"), name="..\\..\\Users\\anna\\kirkenes.jpg")

    assert digital_file.original_name == "kirkenes.jpg"
    assert digital_file.file.name == "originals/kirkenes-1944-001/kirkenes-1944-001-001.jpg"


def test_files_of_an_item_are_numbered_in_the_order_they_arrive():
    item = ItemFactory()
    positions = [ingest(encode(two_tone(), "JPEG"), item=item).position for _ in range(3)]

    assert positions == [0, 1, 2]
    assert len({f.file.name for f in item.files.all()}) == 3


# --- refused files -----------------------------------------------------------------------------

REFUSED = {
    "html named .jpg": (b"<!DOCTYPE html><html><body>Kirkenes</body></html>", "unsupported_type", "a web page"),
    "zip named .jpg": (zip_archive(), "unsupported_type", "an archive (ZIP"),
    "text named .jpg": (b"just some notes", "unsupported_type", "not a JPEG, PNG, TIFF, GIF, WebP or PDF"),
    "empty": (b"", "empty", "is empty"),
    "truncated jpeg": (encode(two_tone((400, 300)), "JPEG")[:1500], "damaged", "damaged or incomplete"),
    "truncated png": (encode(Image.effect_noise((200, 200), 50), "PNG")[:3000], "damaged", "damaged or incomplete"),
    "jpeg header only": (b"\xff\xd8\xff\xe0" + b"\x00" * 60, "damaged", "damaged or incomplete"),
    "truncated pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "damaged", "end-of-file marker"),
    "decompression bomb": (png_claiming(100_000, 100_000), "too_many_pixels", "decompression bombs"),
}


@pytest.mark.parametrize("data, code, words", REFUSED.values(), ids=REFUSED.keys())
def test_refused_files_say_why_and_leave_nothing_behind(settings, data, code, words):
    with pytest.raises(ValidationError) as refused:
        ingest(data)

    assert refused.value.code == code
    assert refused.value.message.startswith("“photo.jpg”")
    assert words in refused.value.message
    assert not DigitalFile.objects.exists()
    assert stored_paths(settings) == []


def test_an_image_over_the_pixel_cap_is_refused_from_its_header(settings):
    settings.ARKIV_MAX_IMAGE_PIXELS = 20_000

    with pytest.raises(ValidationError) as refused:
        ingest(png_claiming(200, 101))

    assert refused.value.code == "too_many_pixels"
    assert refused.value.message == imaging.TOO_MANY_PIXELS.format(
        name="photo.jpg", width=200, height=101, megapixels="0", limit="0"
    )



def test_a_refusal_speaks_the_archivists_language(settings):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        ingest(REFUSED["html named .jpg"][0], name="kart.jpg")

    assert refused.value.message.startswith(
        "«kart.jpg» er ikke en JPEG-, PNG-, TIFF-, GIF-, WebP- eller PDF-fil, men en nettside (HTML): "
        "filtypen leses fra innholdet"
    )


def test_a_refusal_writes_numbers_and_sizes_as_the_language_does(settings):
    settings.ARKIV_MAX_IMAGE_PIXELS = 100_000
    settings.ARKIV_MAX_UPLOAD_BYTES = 1500

    with translation.override("nb"):
        with pytest.raises(ValidationError) as too_many_pixels:
            imaging.examine(io.BytesIO(png_claiming(600, 400)), name="photo.jpg")
        with pytest.raises(ValidationError) as too_large:
            imaging.examine(io.BytesIO(b"\x00" * 2000), name="skanning.tif")
        expected_size = imaging.TOO_LARGE.format(name="skanning.tif", size="2,0\xa0KB", limit="1,5\xa0KB")

    assert too_many_pixels.value.message.startswith(
        "«photo.jpg» er 600 × 400 piksler (0,2 megapiksler), mer enn de 0,1 megapikslene et bilde kan ha"
    )
    assert too_large.value.message == expected_size
    assert expected_size.startswith("«skanning.tif» er på 2,0\xa0KB, mer enn de 1,5\xa0KB en fil kan være")

def test_the_pixel_cap_holds_for_a_real_image_too(settings):
    settings.ARKIV_MAX_IMAGE_PIXELS = 1000

    with pytest.raises(ValidationError, match="ARKIV_MAX_IMAGE_PIXELS"):
        ingest(encode(two_tone((40, 30)), "JPEG"))


def test_an_over_size_upload_is_refused_before_it_is_read(settings):
    settings.ARKIV_MAX_UPLOAD_BYTES = 1000
    upload = Unreadable("scan.tif", b"\x00" * 5000)

    with pytest.raises(ValidationError) as refused:
        imaging.ingest(item=ItemFactory(), file=upload, name=upload.name)

    assert refused.value.code == "too_large"
    assert refused.value.message == imaging.TOO_LARGE.format(name="scan.tif", size="4.9\xa0KB", limit="1000\xa0bytes")


def test_an_over_size_file_without_a_declared_size_is_refused(settings):
    settings.ARKIV_MAX_UPLOAD_BYTES = 1000

    with pytest.raises(ValidationError, match="ARKIV_MAX_UPLOAD_BYTES"):
        ingest(encode(Image.effect_noise((100, 100), 50), "PNG"))
    assert stored_paths(settings) == []


def test_an_endless_stream_is_read_only_up_to_the_cap(settings):
    settings.ARKIV_MAX_UPLOAD_BYTES = 3 * imaging.CHUNK_BYTES
    stream = NonSeekable(b"\xff\xd8\xff" + b"\x00" * 4093, repeat=10_000)  # 40 MB

    with pytest.raises(ValidationError, match="ARKIV_MAX_UPLOAD_BYTES"):
        imaging.ingest(item=ItemFactory(), file=stream, name="endless.jpg")

    assert stream.read_bytes <= 4 * imaging.CHUNK_BYTES


def test_examine_stores_nothing(settings):
    examination = imaging.examine(io.BytesIO(encode(two_tone(), "JPEG")), name="photo.jpg")

    assert examination.mime_type == "image/jpeg" and examination.thumbnail
    assert stored_paths(settings) == []
    assert not DigitalFile.objects.exists()


@pytest.mark.parametrize("head, expected", [
    (b"\xff\xd8\xff\xe1", imaging.JPEG), (b"\x89PNG\r\n\x1a\n", imaging.PNG), (b"II*\x00", imaging.TIFF),
    (b"MM\x00*", imaging.TIFF), (b"II+\x00", imaging.TIFF), (b"GIF89a", imaging.GIF),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", imaging.WEBP), (b"%PDF-1.7", imaging.PDF),
    (b"RIFF\x10\x00\x00\x00WAVEfmt ", None), (b"PK\x03\x04", None), (b"<html>", None), (b"", None),
])
def test_sniff_reads_magic_numbers(head, expected):
    assert imaging.sniff(head) is expected


def _taken_jpeg(taken, size=(240, 180)):
    exif = Image.Exif()
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_date_taken_is_read_from_the_header_without_decoding():
    examination = imaging.examine(io.BytesIO(_taken_jpeg("2021:06:05 10:11:12")), name="a.jpg", decode=False)
    assert imaging.date_taken(examination) == "2021:06:05 10:11:12" and not examination.described
    assert imaging.date_taken(imaging.examine(io.BytesIO(_taken_jpeg(None)), name="b.jpg", decode=False)) == ""


def test_decodes_refuses_pixels_cut_short_that_the_header_check_lets_through():
    data = _taken_jpeg(None)
    cut = imaging.examine(io.BytesIO(data[: len(data) * 4 // 5]), name="cut.jpg", decode=False)
    with pytest.raises(ValidationError, match="damaged"):
        imaging.decodes(cut)
    whole = imaging.examine(io.BytesIO(data), name="whole.jpg", decode=False)
    imaging.decodes(whole)
    assert not whole.display  # nothing made: describe() makes the derivatives
