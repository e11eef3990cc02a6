"""The delivery view: every stored file through the visibility rule, with safe headers."""
import io
from http import HTTPStatus
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from PIL import ExifTags, Image

from catalog import imaging
from catalog.delivery import sending
from catalog.models import Item
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

ROLES = ("original", "display", "thumbnail")


def jpeg(exif=None, size=(60, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def png(exif=None):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 0)).save(buffer, "PNG", **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def with_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Zorki"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (69.0, 43.0, 30.5)
    return exif


def stored(data, *, status=Item.PUBLISHED, name="photo.jpg", **options):
    item = ItemFactory(identifier="kirkenes-1944-001", status=status)
    return imaging.ingest(item=item, file=io.BytesIO(data), name=name, **options)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- the visibility rule -------------------------------------------------------------------------

def test_a_drafts_files_are_absent_for_visitors_and_there_for_staff(client, staff_client_factory):
    digital_file = stored(jpeg(), status=Item.DRAFT, original_public=True)

    for role in ROLES:
        assert client.get(digital_file.url(role)).status_code == HTTPStatus.NOT_FOUND
    staff = staff_client_factory()
    for role in ROLES:
        assert staff.get(digital_file.url(role)).status_code == HTTPStatus.OK


def test_a_withdrawn_items_files_are_absent_for_visitors(client):
    digital_file = stored(jpeg(), status=Item.WITHDRAWN, original_public=True)

    for role in ROLES:
        assert client.get(digital_file.url(role)).status_code == HTTPStatus.NOT_FOUND


def test_a_private_original_is_absent_for_visitors_and_there_for_staff(client, staff_client_factory):
    data = jpeg()
    digital_file = stored(data, original_public=False)

    assert client.get(digital_file.url("original")).status_code == HTTPStatus.NOT_FOUND
    assert client.get(digital_file.url("display")).status_code == HTTPStatus.OK
    assert body(staff_client_factory().get(digital_file.url("original"))) == data


def test_a_public_original_is_the_file_as_stored(client):
    data = jpeg()
    digital_file = stored(data, original_public=True)

    response = client.get(digital_file.url("original"))

    assert response.status_code == HTTPStatus.OK
    assert body(response) == data


def test_media_root_has_no_route_of_its_own(client, settings):
    digital_file = stored(jpeg(), original_public=True)

    for name in (digital_file.file.name, digital_file.display.name):
        assert client.get(f"/media/{name}").status_code == HTTPStatus.NOT_FOUND
        assert client.get(f"/{name}").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("path", [
    "/files/{pk}/exif/x.jpg",                     # no such role
    "/files/{pk}/display/other-name.jpg",          # not the file's name
    "/files/{pk}/original/kirkenes-1944-001-001.jpg/../../x",
    "/files/999999/display/kirkenes-1944-001-001-display.jpg",
])
def test_anything_but_a_files_own_address_is_not_found(client, path):
    digital_file = stored(jpeg(), original_public=True)

    assert client.get(path.format(pk=digital_file.pk)).status_code == HTTPStatus.NOT_FOUND


def test_files_are_only_read(client):
    digital_file = stored(jpeg())

    assert client.post(digital_file.url("display")).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.head(digital_file.url("display")).status_code == HTTPStatus.OK


# --- GPS never reaches a visitor -------------------------------------------------------------------

def test_a_public_jpeg_original_with_gps_is_given_to_visitors_without_it(client, staff_client_factory):
    data = jpeg(exif=with_gps())
    digital_file = stored(data, original_public=True)

    given = body(client.get(digital_file.url("original")))

    public = Image.open(io.BytesIO(given))
    assert not public.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert public.getexif()[ExifTags.Base.Make] == "Zorki"
    assert b"Zorki" in given and given != data
    assert public.tobytes() == Image.open(io.BytesIO(data)).tobytes()  # the same pixels, not re-encoded
    assert given[data.index(b"\xff\xda") - len(data):] == data[data.index(b"\xff\xda"):]
    archived = Image.open(io.BytesIO(body(staff_client_factory().get(digital_file.url("original")))))
    assert archived.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_a_jpeg_whose_xmp_names_a_position_gets_a_copy_without_the_xmp(client):
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="69,43.5N"/></x:xmpmeta>'
    with_xmp = jpeg_with_xmp(xmp)
    digital_file = stored_again(with_xmp)

    given = body(client.get(digital_file.url("original")))

    assert b"GPSLatitude" in with_xmp and b"GPSLatitude" not in given
    assert digital_file.has_gps


def jpeg_with_xmp(xmp):
    data = jpeg()
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + xmp
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return data[:2] + segment + data[2:]


def stored_again(data):
    item = ItemFactory(status=Item.PUBLISHED)
    return imaging.ingest(item=item, file=io.BytesIO(data), name="scan.jpg", original_public=True)


def test_an_original_with_gps_that_cannot_be_copied_without_it_stays_private(client, staff_client_factory):
    digital_file = stored(png(exif=with_gps()), name="scan.png", original_public=True)

    assert digital_file.has_gps and not digital_file.public_copy
    assert client.get(digital_file.url("original")).status_code == HTTPStatus.NOT_FOUND
    assert client.get(digital_file.url("display")).status_code == HTTPStatus.OK
    assert not digital_file.downloadable
    assert staff_client_factory().get(digital_file.url("original")).status_code == HTTPStatus.OK


# --- an upload never becomes a page ----------------------------------------------------------------

HOSTILE_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def test_html_with_pdf_magic_is_stored_under_arkivs_name_and_never_served_as_a_page(client):
    digital_file = stored(HOSTILE_PDF, name="evil.html", original_public=True)

    response = client.get(digital_file.url("original"))

    assert digital_file.file.name == "originals/kirkenes-1944-001/kirkenes-1944-001-001.pdf"
    assert digital_file.url("original").endswith("/kirkenes-1944-001-001.pdf")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("data, name, content_type, disposition", [
    (jpeg(), "a.jpg", "image/jpeg", "inline"),
    (png(), "a.png", "image/png", "inline"),
    (HOSTILE_PDF, "a.pdf", "application/pdf", "attachment"),
])
def test_files_go_out_with_the_sniffed_type_and_only_images_inline(client, data, name, content_type, disposition):
    digital_file = stored(data, name=name, original_public=True)

    response = client.get(digital_file.url("original"))

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert response["Content-Security-Policy"] == sending.FILE_CSP


def test_tiff_originals_are_downloads(client):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "TIFF")
    digital_file = stored(buffer.getvalue(), name="scan.tif", original_public=True)

    response = client.get(digital_file.url("original"))

    assert (response["Content-Type"], response["Content-Disposition"].split(";")[0]) == ("image/tiff", "attachment")


# --- caching ---------------------------------------------------------------------------------------

def test_public_files_may_be_cached_and_answer_304_when_unchanged(client):
    digital_file = stored(jpeg())
    url = digital_file.url("display")

    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert "public" in first["Cache-Control"] and "max-age=3600" in first["Cache-Control"]
    assert again.status_code == HTTPStatus.NOT_MODIFIED


def test_staff_previews_are_never_kept_by_a_cache(staff_client_factory):
    digital_file = stored(jpeg(), status=Item.DRAFT)

    response = staff_client_factory().get(digital_file.url("display"))

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- the web server sends the bytes in production --------------------------------------------------

def test_nginx_is_told_where_the_file_lies_and_django_sends_no_bytes(client, settings):
    settings.ARKIV_FILE_SENDING = "x-accel-redirect"
    settings.ARKIV_FILE_SENDING_PREFIX = "/protected-media/"
    digital_file = stored(jpeg())

    response = client.get(digital_file.url("display"))

    assert response["X-Accel-Redirect"] == f"/protected-media/{digital_file.display.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"


def test_apache_and_lighttpd_are_given_the_files_path(client, settings):
    settings.ARKIV_FILE_SENDING = "x-sendfile"
    digital_file = stored(jpeg())

    response = client.get(digital_file.url("display"))

    assert response["X-Sendfile"] == str(settings.MEDIA_ROOT / digital_file.display.name)
    assert response.content == b""


def test_the_visibility_rule_holds_before_the_web_server_is_asked(client, settings):
    settings.ARKIV_FILE_SENDING = "x-accel-redirect"
    digital_file = stored(jpeg(), status=Item.DRAFT)

    response = client.get(digital_file.url("display"))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "X-Accel-Redirect" not in response


# --- over real HTTP --------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_live_server_hides_a_drafts_file_and_serves_a_published_one(live_server):
    draft = imaging.ingest(item=ItemFactory(status=Item.DRAFT), file=io.BytesIO(jpeg()), name="a.jpg")
    published = imaging.ingest(item=ItemFactory(status=Item.PUBLISHED), file=io.BytesIO(jpeg()), name="b.jpg")

    with pytest.raises(HTTPError) as refused:
        urlopen(live_server.url + draft.url("display"))
    with urlopen(live_server.url + published.url("display")) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(response.read())).size == (60, 40)
    assert refused.value.code == HTTPStatus.NOT_FOUND
