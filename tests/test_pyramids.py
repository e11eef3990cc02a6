"""Pyramids: made once per image after ingest, upright, in sRGB, with no metadata; removed with
their file."""
import io
import os

import pytest
import pyvips
from PIL import ExifTags, Image

from catalog import imaging, pyramids
from catalog.models import DigitalFile
from tests.factories import ItemFactory
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db


def encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def ingest(data, name="scan.jpg", item=None):
    return imaging.ingest(item=item or ItemFactory(identifier="kirkenes-1944-001"), file=io.BytesIO(data), name=name)


def levels(path):
    first = pyvips.Image.new_from_file(path)
    return [pyvips.Image.new_from_file(path, page=page) for page in range(first.get("n-pages"))]


def test_a_pyramid_is_a_tiled_tiff_beside_the_derivatives_with_a_level_per_halving(settings):
    digital_file = ingest(encoded(Image.new("RGB", (2000, 1100), (200, 30, 30)), "JPEG"))
    assert pyramids.pyramid_path(digital_file) is None

    path = pyramids.make_pyramid(digital_file)

    assert path == str(settings.MEDIA_ROOT / "derivatives" / "kirkenes-1944-001" / "kirkenes-1944-001-001-pyramid.tif")
    assert pyramids.pyramid_path(digital_file) == path
    assert [(level.width, level.height) for level in levels(path)] == [(2000, 1100), (1000, 550), (500, 275)]
    assert levels(path)[0].get("tile-width") == pyramids.TILE_SIZE


def test_a_pyramid_is_upright_and_carries_no_metadata():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: shown 90° clockwise
    exif[ExifTags.Base.Make] = "Zorki"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    image = Image.new("RGB", (300, 200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 150, 200))  # left half red
    digital_file = ingest(encoded(image, "JPEG", exif=exif))

    first = levels(pyramids.make_pyramid(digital_file))[0]

    assert (first.width, first.height) == (digital_file.width, digital_file.height) == (200, 300)
    top, bottom = first.crop(100, 20, 1, 1).getpoint(0, 0), first.crop(100, 280, 1, 1).getpoint(0, 0)
    assert top[0] > 200 and bottom[2] > 200  # the red left half is now on top
    assert not {"exif-data", "xmp-data", "icc-profile-data"} & set(first.get_fields())
    assert first.get("orientation") == 1


@pytest.mark.parametrize(("image", "name", "bands"), [
    (Image.new("I;16", (120, 80), 40000), "grey16.png", 1),
    (Image.new("L", (120, 80), 90), "grey.png", 1),
    (Image.new("RGBA", (120, 80), (10, 20, 30, 128)), "alpha.png", 4),
    (Image.new("CMYK", (120, 80), (0, 255, 255, 0)), "cmyk.jpg", 3),
    (Image.new("P", (120, 80), 3), "palette.gif", 3),
])
def test_every_kind_of_image_becomes_8_bit_as_browsers_show_it(image, name, bands):
    image_format = {"png": "PNG", "jpg": "JPEG", "gif": "GIF"}[name.rsplit(".", 1)[1]]
    digital_file = ingest(encoded(image, image_format), name=name)

    first = levels(pyramids.make_pyramid(digital_file))[0]

    assert first.format == "uchar" and first.bands == bands
    assert first.interpretation == ("b-w" if bands == 1 else "srgb")
    if name == "grey16.png":
        assert 150 <= first.avg() <= 160  # 40000 of 65535, not clipped to white
    if name == "cmyk.jpg":
        red, green, blue = first.getpoint(5, 5)
        assert red > 200 and green < 80 and blue < 80


def test_ingest_enqueues_the_pyramid_as_a_task_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        digital_file = ingest(encoded(Image.new("RGB", (600, 400), "white"), "JPEG"))
    assert pyramids.pyramid_path(digital_file) is None and len(callbacks) == 1

    callbacks[0]()
    assert pyramids.pyramid_path(digital_file) is None  # queued for the task worker, not made in the request
    [done] = run_queued_tasks()

    assert done.status == "SUCCESSFUL" and done.task_path == "catalog.tasks.make_pyramid"
    assert pyramids.pyramid_path(digital_file) is not None


def test_a_pyramid_task_for_an_image_deleted_meanwhile_does_nothing(django_capture_on_commit_callbacks, tmp_path):
    with django_capture_on_commit_callbacks(execute=True):
        digital_file = ingest(encoded(Image.new("RGB", (600, 400), "white"), "JPEG"))
    os.unlink(digital_file.file.path)

    [done] = run_queued_tasks()

    assert done.status == "SUCCESSFUL" and pyramids.pyramid_path(digital_file) is None


def test_a_pdf_has_no_pyramid():
    digital_file = ingest(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", name="letter.pdf")

    assert pyramids.make_pyramid(digital_file) is None
    assert pyramids.pyramid_path(digital_file) is None


def test_an_existing_pyramid_is_kept_unless_replaced():
    digital_file = ingest(encoded(Image.new("RGB", (600, 400), "white"), "JPEG"))
    path = pyramids.make_pyramid(digital_file)
    os.utime(path, (0, 0))

    pyramids.make_pyramid(digital_file)
    assert os.stat(path).st_mtime == 0
    pyramids.make_pyramid(digital_file, replace=True)
    assert os.stat(path).st_mtime > 0


def test_the_pyramid_stays_found_when_the_items_identifier_changes_and_goes_with_its_file():
    digital_file = ingest(encoded(Image.new("RGB", (600, 400), "white"), "JPEG"))
    path = pyramids.make_pyramid(digital_file)
    digital_file.item.identifier = "kirkenes-1944-renamed"
    digital_file.item.save()

    found = DigitalFile.objects.get(pk=digital_file.pk)
    assert pyramids.pyramid_path(found) == path

    found.delete()
    assert not os.path.exists(path)
