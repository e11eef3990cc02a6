"""The derivatives of a TIFF are made by libvips in strips (catalog/streamed_derivatives.py)."""
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, TiffImagePlugin

from catalog import imaging

pytestmark = pytest.mark.django_db


def tiff(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "TIFF", **options)
    return buffer.getvalue()


def noise(size=(900, 600)):
    return Image.effect_noise(size, 60).convert("RGB")


def test_a_tiff_is_never_decoded_by_pillow(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("Pillow decoded the TIFF")

    monkeypatch.setattr(TiffImagePlugin.TiffImageFile, "load", refuse)
    examination = imaging.examine(io.BytesIO(tiff(noise(), compression="tiff_lzw")), name="scan.tif")

    assert (examination.width, examination.height) == (900, 600)
    assert Image.open(io.BytesIO(examination.display)).size == (900, 600)
    imaging.decodes(imaging.examine(io.BytesIO(tiff(noise())), name="scan.tif", decode=False))


def test_tiff_derivatives_are_upright_bounded_progressive_jpegs_without_metadata(settings):
    settings.ARKIV_DISPLAY_SIZE, settings.ARKIV_THUMBNAIL_SIZE = 300, 60
    image = Image.new("RGB", (600, 400), (255, 0, 0))
    image.paste((0, 0, 255), (300, 0, 600, 400))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Zorki"

    examination = imaging.examine(io.BytesIO(tiff(image, exif=exif, compression="tiff_lzw")), name="scan.tif")

    display = Image.open(io.BytesIO(examination.display))
    assert (examination.width, examination.height) == (400, 600)  # as seen, as the pyramid is
    assert (display.format, display.size, display.mode) == ("JPEG", (200, 300), "RGB")
    assert display.info.get("progressive") and not display.getexif() and "icc_profile" not in display.info
    assert display.getpixel((100, 10))[0] > 200 and display.getpixel((100, 290))[2] > 200
    assert Image.open(io.BytesIO(examination.thumbnail)).size == (40, 60)
    assert b"Zorki" not in examination.display + examination.thumbnail


def test_greyscale_and_transparent_tiffs_keep_their_kind():
    grey = imaging.examine(io.BytesIO(tiff(Image.new("I;16", (40, 40), 32768))), name="grey.tif")
    clear = imaging.examine(io.BytesIO(tiff(Image.new("RGBA", (40, 40), (255, 0, 0, 0)))), name="seal.tif")

    assert Image.open(io.BytesIO(grey.display)).mode == "L"
    assert 120 <= Image.open(io.BytesIO(grey.display)).getpixel((5, 5)) <= 135
    assert clear.derivative_suffix == ".png"
    assert Image.open(io.BytesIO(clear.thumbnail)).getpixel((0, 0))[3] == 0


def damaged_tiffs():
    lzw = bytearray(tiff(noise(), compression="tiff_lzw"))  # its directory at the end, intact
    middle = len(lzw) // 2
    lzw[middle:middle + 5000] = b"\xff" * 5000
    plain = tiff(noise())  # its directory at the start: the strips cut short
    return {"garbled strips": bytes(lzw), "strips cut short": plain[: len(plain) // 2]}


@pytest.mark.parametrize("data", damaged_tiffs().values(), ids=damaged_tiffs().keys())
def test_a_damaged_tiff_is_refused_by_describe_and_by_decodes(data):
    for check in (imaging.describe, imaging.decodes):
        examination = imaging.examine(io.BytesIO(data), name="scan.tif", decode=False)
        with pytest.raises(ValidationError) as refused:
            check(examination)
        assert refused.value.code == "damaged"
        assert refused.value.message.startswith("“scan.tif” is damaged or incomplete (")
        assert "\n" not in refused.value.message and not examination.display


def test_an_rgb_tiff_in_another_profile_gets_srgb_derivatives_without_it():
    import pyvips

    # sRGB's pure green stored in Display P3 (libvips's built-in "p3" profile), whose green is
    # more saturated: the stored numbers are not sRGB's until converted back.
    green = pyvips.Image.black(40, 40, bands=3).new_from_image([0, 255, 0]).cast("uchar").copy(interpretation="srgb")
    data = green.icc_transform("p3", input_profile="srgb").tiffsave_buffer(keep="icc")
    stored = Image.open(io.BytesIO(data)).getpixel((5, 5))

    examination = imaging.examine(io.BytesIO(data), name="scan.tif")

    display = Image.open(io.BytesIO(examination.display))
    assert "icc_profile" not in display.info
    assert display.getpixel((5, 5)) != stored
    assert abs(display.getpixel((5, 5))[1] - 255) < 12 and display.getpixel((5, 5))[0] < 40


def test_a_reason_libvips_does_not_give_is_imagings_own_translated_one(monkeypatch):
    from catalog import streamed_derivatives

    def unreadable(*args, **kwargs):
        raise streamed_derivatives.Unreadable("")

    monkeypatch.setattr(streamed_derivatives, "make", unreadable)

    with pytest.raises(ValidationError) as refused:
        imaging.examine(io.BytesIO(tiff(noise((40, 30)))), name="scan.tif")

    assert "(it starts like a TIFF file but cannot be read as one)" in refused.value.message
