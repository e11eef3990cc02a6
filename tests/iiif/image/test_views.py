"""The Image API over HTTP: the visibility rule, info.json, images, status codes and headers."""
import io
import json
from http import HTTPStatus

import pytest
from PIL import ExifTags, Image

from catalog import imaging
from catalog.iiif.image import render
from catalog.iiif.image.checks import check_cache_location
from catalog.models import Item
from catalog.pyramids import pyramid_path
from tests.factories import ItemFactory

from .conftest import colour_at, encoded, near, picture, quadrants, stored

pytestmark = pytest.mark.django_db

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


def info_url(digital_file):
    return f"/iiif/3/{digital_file.pk}/info.json"


def image_url(digital_file, region="full", size="max", rotation="0", quality="default", image_format="jpg"):
    return f"/iiif/3/{digital_file.pk}/{region}/{size}/{rotation}/{quality}.{image_format}"


def urls(digital_file):
    return (
        info_url(digital_file), image_url(digital_file), image_url(digital_file, "0,0,100,100", "50,"),
        f"/iiif/3/{digital_file.pk}",
    )


# --- the visibility rule -------------------------------------------------------------------------

def test_a_published_image_is_served_to_visitors(client):
    digital_file = stored(original_public=True)

    info = client.get(info_url(digital_file))
    image = client.get(image_url(digital_file))

    assert info.status_code == HTTPStatus.OK
    assert (info.json()["width"], info.json()["height"]) == (800, 600)
    assert image.status_code == HTTPStatus.OK and picture(image).size == (800, 600)


@pytest.mark.parametrize("status", [Item.DRAFT, Item.WITHDRAWN])
def test_an_unpublished_items_image_is_as_absent_as_an_unknown_one(client, status):
    digital_file = stored(status=status, original_public=True)
    unknown = f"/iiif/3/{digital_file.pk + 1000}"

    for url in urls(digital_file)[:3]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND
        absent = client.get(url.replace(f"/iiif/3/{digital_file.pk}", unknown))
        assert (response.content, response.headers["Content-Type"]) == (absent.content, absent.headers["Content-Type"])


def test_an_image_under_a_draft_unit_is_absent_for_visitors(client):
    series = ItemFactory(identifier="series", status=Item.DRAFT)
    item = ItemFactory(identifier="photo", status=Item.PUBLISHED, parent=series)
    digital_file = stored(item=item, original_public=True)

    for url in urls(digital_file)[:3]:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_staff_see_a_drafts_image_in_full_and_nothing_keeps_it(admin_client):
    digital_file = stored(status=Item.DRAFT)

    info = admin_client.get(info_url(digital_file))
    image = admin_client.get(image_url(digital_file))

    assert info.json()["width"] == 800
    assert picture(image).size == (800, 600)
    for response in (info, image):
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_private_original_is_served_to_visitors_at_display_size_only(client, admin_client):
    digital_file = stored(original_public=False)  # ARKIV_DISPLAY_SIZE is 400 here

    info = client.get(info_url(digital_file)).json()
    assert (info["width"], info["height"]) == (400, 300)
    assert picture(client.get(image_url(digital_file))).size == (400, 300)
    # a small region is no finer than the display copy: 100 pixels of the original become 50
    assert picture(client.get(image_url(digital_file, "0,0,100,100"))).size == (100, 100)
    assert client.get(image_url(digital_file, "0,0,100,100", "200,")).status_code == HTTPStatus.BAD_REQUEST
    assert client.get(image_url(digital_file, "500,0,100,100")).status_code == HTTPStatus.BAD_REQUEST
    # staff get the full image, privately
    assert admin_client.get(info_url(digital_file)).json()["width"] == 800


def test_an_original_with_a_gps_position_is_capped_for_visitors(client):
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (69.0, 43.0, 30.5)
    digital_file = stored(encoded(quadrants(), "JPEG", exif=exif), name="gps.jpg", original_public=True)
    assert client.get(info_url(digital_file)).json()["width"] == 800  # its copy without the position
    digital_file.public_copy.delete(save=True)  # as if none could be made

    info = client.get(info_url(digital_file)).json()
    assert (info["width"], info["height"]) == (400, 300)


def test_until_its_pyramid_is_made_an_image_is_served_from_its_display_copy(client):
    digital_file = stored(original_public=True, pyramid=False)
    assert pyramid_path(digital_file) is None

    info = client.get(info_url(digital_file))
    image = client.get(image_url(digital_file, "200,0,200,150"))

    assert (info.json()["width"], info.json()["height"]) == (400, 300)
    assert near(colour_at(picture(image), 100, 75), GREEN)
    assert f"max-age={3600}" in image["Cache-Control"]


def test_a_file_that_is_not_an_image_has_no_service(client):
    item = ItemFactory(status=Item.PUBLISHED)
    pdf = imaging.ingest(item=item, file=io.BytesIO(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), name="a.pdf")

    assert client.get(info_url(pdf)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(image_url(pdf)).status_code == HTTPStatus.NOT_FOUND


# --- info.json --------------------------------------------------------------------------------------

def test_info_json_describes_a_level_2_service_with_its_tiles_and_sizes(client, settings):
    settings.ARKIV_IIIF_MAX_AREA = 300_000
    digital_file = stored(quadrants(2000, 1000), original_public=True)

    response = client.get(info_url(digital_file))
    info = response.json()

    assert response["Content-Type"] == "application/json"
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"http://testserver/iiif/3/{digital_file.pk}"
    assert (info["type"], info["protocol"], info["profile"]) == ("ImageService3", "http://iiif.io/api/image", "level2")
    assert (info["width"], info["height"]) == (2000, 1000)
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4]}]
    assert info["sizes"] == [{"width": 63, "height": 32}, {"width": 125, "height": 63},
                             {"width": 250, "height": 125}, {"width": 500, "height": 250}]
    assert (info["maxArea"], info["maxWidth"], info["maxHeight"]) == (300_000, 10_000, 10_000)
    assert info["extraFormats"] == ["webp"]
    assert set(info["extraQualities"]) == {"color", "gray", "bitonal"}
    assert "rights" not in info


def test_info_json_gives_the_files_rights_or_else_the_items(client):
    item = ItemFactory(status=Item.PUBLISHED, rights_uri="http://rightsstatements.org/vocab/InC/1.0/")
    own = stored(item=item)
    own.rights_uri = "http://creativecommons.org/licenses/by/4.0/"
    own.save()
    inherited = stored(item=item)

    assert client.get(info_url(own)).json()["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert client.get(info_url(inherited)).json()["rights"] == "http://rightsstatements.org/vocab/InC/1.0/"


def test_info_json_is_json_ld_when_asked_for(client):
    digital_file = stored()

    response = client.get(info_url(digital_file), HTTP_ACCEPT="application/ld+json")

    assert response["Content-Type"] == 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
    assert "Accept" in response["Vary"]
    assert json.loads(response.content)["type"] == "ImageService3"


def test_the_base_uri_redirects_to_info_json(client):
    digital_file = stored()

    response = client.get(f"/iiif/3/{digital_file.pk}")

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == info_url(digital_file)


# --- images ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("region", "rotation", "where", "colour"), [
    ("full", "0", (10, 10), RED),
    ("400,0,400,300", "0", (10, 10), GREEN),
    ("pct:0,50,50,50", "0", (10, 10), BLUE),
    ("full", "90", (10, 10), BLUE),  # turned clockwise: the bottom left comes to the top left
    ("full", "180", (10, 10), WHITE),
    ("full", "!0", (10, 10), GREEN),  # mirrored
    ("square", "0", (10, 10), RED),
])
def test_an_image_is_cut_from_where_the_region_says_and_turned(client, region, rotation, where, colour):
    digital_file = stored(original_public=True)

    response = client.get(image_url(digital_file, region, "max", rotation, "default", "png"))

    assert response.status_code == HTTPStatus.OK
    assert near(colour_at(picture(response), *where), colour)


def test_the_square_region_is_the_middle_square(client):
    digital_file = stored(original_public=True)

    image = picture(client.get(image_url(digital_file, "square", "max", "0", "default", "png")))

    assert image.size == (600, 600)
    assert near(colour_at(image, 10, 10), RED) and near(colour_at(image, 590, 10), GREEN)


@pytest.mark.parametrize(("quality", "image_format", "mode", "media_type"), [
    ("default", "jpg", "RGB", "image/jpeg"),
    ("color", "png", "RGB", "image/png"),
    ("gray", "jpg", "L", "image/jpeg"),
    ("bitonal", "png", "L", "image/png"),
    ("default", "webp", "RGB", "image/webp"),
])
def test_qualities_and_formats(client, quality, image_format, mode, media_type):
    digital_file = stored(original_public=True)

    response = client.get(image_url(digital_file, "full", "200,", "0", quality, image_format))

    image = picture(response)
    assert response["Content-Type"] == media_type
    assert image.mode == mode and image.size == (200, 150)
    if quality == "bitonal":
        assert set(image.getdata()) <= {0, 255}


def test_a_tile_at_a_scale_factor_is_the_regions_pixels_halved(client):
    digital_file = stored(quadrants(1600, 1200), original_public=True)

    tile = picture(client.get(image_url(digital_file, "1024,0,576,1024", "288,", image_format="png")))

    assert tile.size == (288, 512)
    assert near(colour_at(tile, 10, 10), GREEN) and near(colour_at(tile, 10, 500), WHITE)


@pytest.mark.parametrize(("path", "status"), [
    ("full/max/0/default.jpg", HTTPStatus.OK),
    ("nonsense/max/0/default.jpg", HTTPStatus.BAD_REQUEST),
    ("full/huge/0/default.jpg", HTTPStatus.BAD_REQUEST),
    ("full/max/twist/default.jpg", HTTPStatus.BAD_REQUEST),
    ("full/max/45/default.jpg", HTTPStatus.NOT_IMPLEMENTED),
    ("full/max/0/sepia.jpg", HTTPStatus.BAD_REQUEST),
    ("full/max/0/default.xyz", HTTPStatus.BAD_REQUEST),
    ("full/max/0/default.tif", HTTPStatus.NOT_IMPLEMENTED),
    ("full/max/0/default", HTTPStatus.BAD_REQUEST),
    ("full/full/0/default.jpg", HTTPStatus.BAD_REQUEST),  # 2.x's full is 3.0's max
    ("full/801,/0/default.jpg", HTTPStatus.BAD_REQUEST),  # upscaling without ^
    ("full/^801,/0/default.jpg", HTTPStatus.OK),
    ("9000,0,10,10/max/0/default.jpg", HTTPStatus.BAD_REQUEST),  # outside the image
    ("0,0,0,10/max/0/default.jpg", HTTPStatus.BAD_REQUEST),
    ("full/0,/0/default.jpg", HTTPStatus.BAD_REQUEST),
    ("full/pct:1e3/0/default.jpg", HTTPStatus.BAD_REQUEST),
    (f"full/{'9' * 400},/0/default.jpg", HTTPStatus.BAD_REQUEST),
])
def test_each_malformed_or_unsupported_request_gets_the_specs_status(client, path, status):
    digital_file = stored(original_public=True)

    response = client.get(f"/iiif/3/{digital_file.pk}/{path}")

    assert response.status_code == status
    assert response["Access-Control-Allow-Origin"] == "*"
    if status != HTTPStatus.OK:
        assert response["Content-Type"] == "text/plain; charset=utf-8" and response.content


def test_a_size_above_the_servers_limit_is_refused_and_max_fits_within_it(client, settings):
    settings.ARKIV_IIIF_MAX_AREA = 120_000
    digital_file = stored(original_public=True)

    assert client.get(image_url(digital_file, size="800,600")).status_code == HTTPStatus.BAD_REQUEST
    image = picture(client.get(image_url(digital_file)))
    assert image.size[0] * image.size[1] <= 120_000 and image.size == (400, 300)


@pytest.mark.parametrize("identifier", ["abc", "67352ccc-d1b0-11e1-89ae-279075081939", "0", "99999999"])
def test_an_unknown_identifier_is_404(client, identifier):
    assert client.get(f"/iiif/3/{identifier}/info.json").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/iiif/3/{identifier}/full/max/0/default.jpg").status_code == HTTPStatus.NOT_FOUND


# --- headers ----------------------------------------------------------------------------------------

def test_every_answer_allows_any_origin(client):
    digital_file = stored(original_public=True)

    for url in (*urls(digital_file), f"/iiif/3/{digital_file.pk + 99}/info.json"):
        assert client.get(url)["Access-Control-Allow-Origin"] == "*"


def test_an_image_answers_its_etag_with_304_and_a_published_one_is_public_for_long(client, settings):
    settings.ARKIV_IIIF_MAX_AGE = 86400
    digital_file = stored(original_public=True)
    url = image_url(digital_file, "0,0,512,512", "256,")

    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == HTTPStatus.OK and first["ETag"].startswith('"')
    assert "public" in first["Cache-Control"] and "max-age=86400" in first["Cache-Control"]
    assert again.status_code == HTTPStatus.NOT_MODIFIED and not again.content
    assert again["ETag"] == first["ETag"] and again["Access-Control-Allow-Origin"] == "*"
    assert "max-age=86400" in again["Cache-Control"]


def test_info_json_answers_its_etag_with_304(client):
    digital_file = stored()
    first = client.get(info_url(digital_file))

    again = client.get(info_url(digital_file), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert "public" in first["Cache-Control"] and "max-age=3600" in first["Cache-Control"]


def test_different_requests_have_different_etags_and_visitors_and_staff_differ_where_the_image_does(client, admin_client):
    digital_file = stored()  # private original: visitors get a smaller service than staff

    tiles = {client.get(image_url(digital_file, "0,0,100,100"))["ETag"],
             client.get(image_url(digital_file, "100,0,100,100"))["ETag"],
             admin_client.get(image_url(digital_file, "0,0,100,100"))["ETag"]}

    assert len(tiles) == 3


def test_a_cached_image_is_sent_by_the_web_server_when_it_sends_files(client, settings):
    digital_file = stored(original_public=True)
    url = image_url(digital_file, "0,0,256,256")
    made = client.get(url)  # made, and kept in the cache

    settings.ARKIV_FILE_SENDING = "x-accel-redirect"
    sent = client.get(url)

    assert sent.status_code == HTTPStatus.OK and not sent.content
    assert sent["X-Accel-Redirect"].startswith("/protected-media/iiif-cache/")
    assert sent["ETag"] == made["ETag"] and sent["Content-Type"] == "image/jpeg"
    settings.ARKIV_FILE_SENDING = "x-sendfile"
    path = client.get(url)["X-Sendfile"]
    assert open(path, "rb").read() == b"".join(made.streaming_content)


def test_the_same_image_twice_is_made_once(client, monkeypatch):
    digital_file = stored(original_public=True)
    made = []
    original = render.render
    monkeypatch.setattr(render, "render", lambda *args, **kwargs: made.append(1) or original(*args, **kwargs))

    for _ in range(3):
        assert client.get(image_url(digital_file, "0,0,128,128")).status_code == HTTPStatus.OK

    assert len(made) == 1


def test_images_carry_no_metadata_of_the_original(client):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Zorki"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    digital_file = stored(encoded(quadrants(), "JPEG", exif=exif), name="photo.jpg", original_public=True)

    for image_format in ("jpg", "png", "webp"):
        image = picture(client.get(image_url(digital_file, image_format=image_format)))
        assert not image.getexif() and "xmp" not in image.info and "exif" not in image.info


def test_an_image_costs_one_query(client, django_assert_num_queries):
    digital_file = stored(original_public=True)
    client.get(image_url(digital_file))

    with django_assert_num_queries(1):
        client.get(image_url(digital_file))
    with django_assert_num_queries(1):
        client.get(info_url(digital_file))


def test_a_damaged_pyramid_is_passed_by_for_the_display_copy(client, caplog):
    digital_file = stored(original_public=True)
    with open(pyramid_path(digital_file), "r+b") as pyramid:
        pyramid.truncate(200)

    response = client.get(image_url(digital_file, "400,0,400,300", "200,"))

    assert response.status_code == HTTPStatus.OK
    assert picture(response).size == (200, 150) and near(colour_at(picture(response), 100, 75), GREEN)
    assert "max-age=3600" in response["Cache-Control"]
    assert "Could not read the pyramid" in caplog.text


def test_an_image_is_served_when_the_cache_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.ARKIV_IIIF_CACHE_DIR = str(blocker)
    digital_file = stored(original_public=True)

    response = client.get(image_url(digital_file, "0,0,400,300"))

    assert response.status_code == HTTPStatus.OK and near(colour_at(picture(response), 10, 10), RED)
    assert response["Access-Control-Allow-Origin"] == "*" and response["ETag"]


def test_the_check_refuses_a_cache_outside_media_root_behind_nginx(settings, tmp_path):
    settings.ARKIV_FILE_SENDING = "x-accel-redirect"
    assert check_cache_location() == []
    settings.ARKIV_IIIF_CACHE_DIR = str(tmp_path / "elsewhere")
    assert [error.id for error in check_cache_location()] == ["arkiv.iiif.E001"]
    settings.ARKIV_FILE_SENDING = "x-sendfile"
    assert check_cache_location() == []
