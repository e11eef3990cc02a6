"""Synthetic images: the plan of sizes, the bytes made from it, and their ingest into items."""
import hashlib
import io

import pytest
from PIL import ExifTags, Image

from catalog import pyramids, synthetic_images
from catalog.models import DigitalFile, Item
from catalog.synthetic_images import FULL_SCAN, LARGE_EVERY, PHONE, attach, plan, planned, render
from tests.factories import ItemFactory

SMALL = 0.02  # 12 MP becomes 81 x 60 pixels, 100 MP 245 x 163


def opened(image):
    return Image.open(io.BytesIO(render(image)))


def test_the_plan_runs_from_small_images_to_phone_photographs_and_100_megapixel_scans():
    images = plan(100, seed=1)  # the plan only: no pixel is made at this size
    kinds = {image.kind for image in images}
    assert kinds == {"phone", "camera", "small", "document", "scan"}
    phones = [image for image in images if image.kind == "phone"]
    assert {(image.width, image.height) for image in phones} <= {PHONE, PHONE[::-1]}
    scans = [image for image in images if image.kind == "scan"]
    assert [image.number for image in scans] == [24, 49, 74, 99]
    assert (scans[0].width, scans[0].height) == FULL_SCAN and 99.9 < scans[0].megapixels < 100.1
    assert all(40 <= image.megapixels <= 100.1 for image in scans)
    assert {image.format for image in scans} == {"TIFF", "JPEG"}
    assert max(image.megapixels for image in images if image.kind == "small") < 1.7
    assert any(image.gps for image in phones) and not all(image.gps for image in phones)


def test_the_plan_depends_on_the_seed_and_number_only():
    assert plan(10, seed=3) == plan(40, seed=3)[:10]
    assert plan(10, seed=3) != plan(10, seed=4)


def test_the_scale_shrinks_both_sides_and_keeps_the_rest():
    full, small = planned(1, LARGE_EVERY - 1), planned(1, LARGE_EVERY - 1, SMALL)
    assert (small.width, small.height) == (245, 163)
    assert (small.kind, small.format, small.mode) == (full.kind, full.format, full.mode)
    assert min(planned(1, n, 0.0001).width for n in range(5)) == synthetic_images.MIN_SIDE


@pytest.mark.parametrize("kind", ["phone", "small", "document", "scan"])
def test_the_same_image_is_the_same_bytes_every_time_and_another_differs(kind):
    first, second = [image for image in plan(100, seed=5, scale=SMALL) if image.kind == kind][:2]
    # Three times: Pillow's TIFF writer gave other padding bytes on each call in one process.
    assert render(first) == render(first) == render(first)
    assert render(first) != render(second)


@pytest.mark.parametrize("number", range(8))
def test_each_file_is_what_the_plan_says(number):
    image = planned(1, number, SMALL)
    with opened(image) as opened_image:
        assert opened_image.format == image.format
        assert opened_image.size == (image.width, image.height)
        assert opened_image.mode == image.mode


def test_the_exif_says_the_image_is_synthetic_and_when_it_was_taken():
    image = next(i for i in plan(30, seed=1, scale=SMALL) if i.format == "JPEG")
    exif = opened(image).getexif()
    assert exif[ExifTags.Base.Make] == "Arkiv"
    assert "not a photograph" in exif[ExifTags.Base.ImageDescription]
    taken = exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal]
    assert "1990:01:01" <= taken[:10] <= "2025:01:01"


def test_one_phone_photograph_in_a_few_has_a_position():
    with_gps = next(i for i in plan(100, seed=1, scale=SMALL) if i.gps)
    without = next(i for i in plan(100, seed=1, scale=SMALL) if i.kind == "phone" and not i.gps)
    assert opened(with_gps).getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert not opened(without).getexif().get_ifd(ExifTags.IFD.GPSInfo)


@pytest.mark.django_db
def test_attach_ingests_each_image_into_published_items_of_image_types():
    published = [ItemFactory(status=Item.PUBLISHED) for _ in range(8)]
    draft = ItemFactory(status=Item.DRAFT)
    sound = ItemFactory(status=Item.PUBLISHED, dcmi_type="Sound")
    ids = [draft.pk, sound.pk] + [item.pk for item in published]

    done = attach(ids, 10, seed=2, scale=SMALL)

    assert (done.files, done.items) == (10, 8)
    files = list(DigitalFile.objects.order_by("id"))
    assert not DigitalFile.objects.filter(item__in=[draft, sound]).exists()
    # In the order given, one image each but three for the seventh item.
    assert [f.item_id for f in files] == [item.pk for item in published[:6]] + [published[6].pk] * 3 + [published[7].pk]
    assert [f.position for f in files if f.item_id == published[6].pk] == [0, 1, 2]
    for digital_file, image in zip(files, plan(10, seed=2, scale=SMALL)):
        data = render(image)
        # Through imaging.ingest(), as an upload: its checksum, size, name, derivatives.
        assert digital_file.sha256 == hashlib.sha256(data).hexdigest()
        assert digital_file.file.read() == data
        assert (digital_file.width, digital_file.height, digital_file.original_name) == (image.width, image.height, image.name)
        assert digital_file.mime_type == {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}[image.format]
        assert digital_file.display and digital_file.thumbnail
        assert digital_file.exif.get("Make") == ("Arkiv" if image.format == "JPEG" else None)
        assert ("not a photograph" in digital_file.exif.get("ImageDescription", "")) == (image.format != "PNG")
        assert bool(digital_file.public_copy) == image.gps
        with Image.open(pyramids.pyramid_path(digital_file)) as pyramid:
            assert pyramid.size == (image.width, image.height)
            # TileWidth: tiled as pyramids.py tiles an image of this size (or in strips where too small).
            assert pyramid.tag_v2.get(322) == (pyramids.tile_size(image.width, image.height) or None)
    assert done.bytes == sum(f.size for f in files)


@pytest.mark.django_db
def test_attach_goes_round_again_when_there_are_fewer_items_than_images():
    item = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    done = attach([item.pk], 3, seed=1, scale=SMALL)
    assert (done.files, done.items) == (3, 1)
    assert list(item.files.values_list("position", flat=True)) == [0, 1, 2]


@pytest.mark.django_db
def test_attach_refuses_when_no_item_may_have_an_image_and_stores_nothing():
    draft = ItemFactory(status=Item.DRAFT)
    with pytest.raises(ValueError, match="no published item"):
        attach([draft.pk], 2, scale=SMALL)
    assert not DigitalFile.objects.exists()
