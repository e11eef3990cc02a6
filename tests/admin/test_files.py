import hashlib
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import DigitalFile
from tests.admin.conftest import form_data, jpeg_upload, management
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_digitalfile_changelist")


def upload(client, item, *files, **fields):
    change = reverse("admin:catalog_item_change", args=[item.pk])
    data = form_data(client.get(change))
    initial = int(data["files-INITIAL_FORMS"])
    data.update(management("files", initial + len(files), initial))
    for number, file in enumerate(files, start=initial):
        data[f"files-{number}-file"] = file
    data.update(fields)
    return client.post(change, data)


def test_upload_on_the_item_page_goes_through_ingest(staff_client):
    item = ItemFactory(identifier="kirkenes-1944-003")
    photo = jpeg_upload("bridge.jpg")
    content = photo.read()
    photo.seek(0)

    response = upload(staff_client, item, photo)

    assert response.status_code == HTTPStatus.FOUND
    digital_file = item.files.get()
    assert digital_file.sha256 == hashlib.sha256(content).hexdigest()
    assert digital_file.file.name == "originals/kirkenes-1944-003/kirkenes-1944-003-001.jpg"
    assert digital_file.thumbnail.name.startswith("derivatives/kirkenes-1944-003/kirkenes-1944-003-001-thumbnail")


def test_new_files_go_after_the_others_unless_placed(staff_client):
    item = ItemFactory()
    upload(staff_client, item, jpeg_upload("recto.jpg"))
    upload(staff_client, item, jpeg_upload("verso.jpg"))
    upload(staff_client, item, jpeg_upload("cover.jpg"), **{"files-2-position": "0"})

    positions = {f.original_name: f.position for f in item.files.all()}
    assert positions == {"recto.jpg": 0, "verso.jpg": 1, "cover.jpg": 0}


def test_a_stored_original_is_not_replaced_by_a_crafted_post(staff_client):
    item = ItemFactory()
    upload(staff_client, item, jpeg_upload("recto.jpg"))
    stored = item.files.get()
    change = reverse("admin:catalog_item_change", args=[item.pk])
    data = form_data(staff_client.get(change))
    data.update({"files-0-file": jpeg_upload("other.jpg", color=(0, 0, 0)), "files-0-label": "recto"})

    response = staff_client.post(change, data)

    assert response.status_code == HTTPStatus.FOUND
    after = DigitalFile.objects.get()
    assert (after.file.name, after.sha256, after.label) == (stored.file.name, stored.sha256, "recto")


def test_refusals_show_on_the_file_field_and_store_nothing(staff_client, settings):
    settings.ARKIV_MAX_UPLOAD_BYTES = 100
    item = ItemFactory()

    response = upload(staff_client, item, jpeg_upload())

    assert response.status_code == HTTPStatus.OK
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors["file"]
    assert "ARKIV_MAX_UPLOAD_BYTES" in errors[0]
    assert not DigitalFile.objects.exists()
    assert not any(settings.MEDIA_ROOT.rglob("*.*"))


def test_deleting_a_file_removes_it_and_its_derivatives_from_storage(staff_client, settings):
    item = ItemFactory()
    upload(staff_client, item, jpeg_upload())
    change = reverse("admin:catalog_item_change", args=[item.pk])
    data = form_data(staff_client.get(change))
    data["files-0-DELETE"] = "on"

    staff_client.post(change, data)

    assert not DigitalFile.objects.exists()
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


def test_file_list_search_and_change(staff_client):
    item = ItemFactory(identifier="kirkenes-1944-004")
    upload(staff_client, item, jpeg_upload("harbour.jpg"), jpeg_upload("pier.jpg", color=(1, 2, 3)))
    harbour = DigitalFile.objects.get(original_name="harbour.jpg")

    listing = staff_client.get(CHANGELIST)
    by_item = staff_client.get(CHANGELIST, {"q": "kirkenes-1944-004"}).context["cl"].result_list
    by_checksum = staff_client.get(CHANGELIST, {"q": harbour.sha256}).context["cl"].result_list
    change = reverse("admin:catalog_digitalfile_change", args=[harbour.pk])
    page = staff_client.get(change).content.decode()
    data = form_data(staff_client.get(change))
    data["label"] = "Harbour, recto"
    saved = staff_client.post(change, data)

    assert listing.status_code == HTTPStatus.OK and "64 × 48" in listing.content.decode()
    assert len(by_item) == 2
    assert list(by_checksum) == [harbour]
    assert "image/jpeg" in page and harbour.sha256[:16] in page
    assert saved.status_code == HTTPStatus.FOUND
    harbour.refresh_from_db()
    assert harbour.label == "Harbour, recto"


def test_files_are_added_on_their_item_page_only(staff_client):
    assert staff_client.get(reverse("admin:catalog_digitalfile_add")).status_code == HTTPStatus.FORBIDDEN


def test_exif_is_shown_to_archivists_with_the_gps_warning(staff_client):
    import io

    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Leica IIIc"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "JPEG", exif=exif)
    item = ItemFactory()
    upload(staff_client, item, SimpleUploadedFile("leica.jpg", buffer.getvalue()))
    digital_file = item.files.get()

    page = staff_client.get(reverse("admin:catalog_digitalfile_change", args=[digital_file.pk])).content.decode()

    assert "Leica IIIc" in page
    assert "GPS position in EXIF (kept private; visitors get a copy without it)" in page


def truncated_jpeg(name="scan.jpg"):
    """A JPEG cut short: its header and structure pass, and only decoding its pixels shows the damage."""
    whole = jpeg_upload(name, size=(400, 300)).read()
    return SimpleUploadedFile(name, whole[:len(whole) // 2], content_type="image/jpeg")


def file_errors(response):
    return response.context["inline_admin_formsets"][1].formset.forms[-1].errors.get("file", [])


def test_a_damaged_image_is_refused_on_its_field_once_the_page_is_valid(staff_client):
    item = ItemFactory()

    response = upload(staff_client, item, truncated_jpeg())

    assert response.status_code == HTTPStatus.OK
    assert "damaged or incomplete" in file_errors(response)[0]
    assert not DigitalFile.objects.exists()


@pytest.mark.parametrize("fault", [
    {"identifier": ""},                    # the item form is invalid
    {"statements-0-lang": "not a tag!"},   # a statement is invalid
])
def test_images_are_not_decoded_while_the_rest_of_the_page_is_invalid(staff_client, fault):
    item = ItemFactory()

    response = upload(staff_client, item, truncated_jpeg(), **fault)

    assert response.status_code == HTTPStatus.OK
    assert response.context["errors"]  # the page was sent back for the other fault ...
    assert file_errors(response) == []  # ... before the scan was decoded, which would refuse it
    assert not DigitalFile.objects.exists()
