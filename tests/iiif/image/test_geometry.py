"""The region and size a request asks of an image of a known size (Image API 3.0 §4.1, §4.2)."""
import pytest

from catalog.iiif.image.errors import IIIFError
from catalog.iiif.image.geometry import Limits, output_size, region_box
from catalog.iiif.image.request import parse_region, parse_size

LIMITS = Limits(10_000, 10_000, 25_000_000)


@pytest.mark.parametrize(("region", "box"), [
    ("full", (0, 0, 800, 600)),
    ("square", (100, 0, 600, 600)),
    ("0,0,100,50", (0, 0, 100, 50)),
    ("700,500,400,400", (700, 500, 100, 100)),  # clipped to the image
    ("pct:50,50,50,50", (400, 300, 400, 300)),
    ("pct:10,10,200,200", (80, 60, 720, 540)),
    ("pct:0.1,0,0.1,100", (1, 0, 1, 600)),
])
def test_regions_against_an_800_by_600_image(region, box):
    assert region_box(parse_region(region), 800, 600) == box


def test_a_portrait_square_is_its_middle():
    assert region_box(parse_region("square"), 300, 1000) == (0, 350, 300, 300)


@pytest.mark.parametrize("region", ["800,0,10,10", "0,600,10,10", "pct:100,0,10,10", "pct:0,0,0.01,10"])
def test_a_region_outside_the_image_or_of_no_pixels_is_400(region):
    with pytest.raises(IIIFError) as refused:
        region_box(parse_region(region), 800, 600)
    assert refused.value.status == 400


@pytest.mark.parametrize(("size", "out"), [
    ("max", (800, 600)),
    ("400,", (400, 300)),
    (",300", (400, 300)),
    ("pct:50", (400, 300)),
    ("pct:33.3", (266, 200)),
    ("300,300", (300, 300)),  # w,h may distort
    ("!400,400", (400, 300)),
    ("!1000,300", (400, 300)),
    ("^1600,", (1600, 1200)),
    ("^pct:200", (1600, 1200)),
    ("^!1600,1600", (1600, 1200)),
    ("^max", (5773, 4330)),  # up to maxArea, 25 megapixels
    ("1,", (1, 1)),
])
def test_sizes_of_an_800_by_600_region(size, out):
    assert output_size(parse_size(size), 800, 600, LIMITS) == out


@pytest.mark.parametrize("size", ["801,", ",601", "pct:101", "800,601", "!1000,1000", "!2000,3000"])
def test_larger_than_the_region_without_caret_is_400(size):
    with pytest.raises(IIIFError) as refused:
        output_size(parse_size(size), 800, 600, LIMITS)
    assert refused.value.status == 400


def test_a_size_rounding_to_nothing_is_400():
    with pytest.raises(IIIFError):
        output_size(parse_size("1,"), 1000, 10, LIMITS)


def test_max_fits_the_servers_limits_and_explicit_sizes_beyond_them_are_400():
    limits = Limits(1000, 500, 400_000)

    assert output_size(parse_size("max"), 4000, 1000, limits) == (1000, 250)
    assert output_size(parse_size("max"), 1000, 1000, limits) == (500, 500)
    assert output_size(parse_size("max"), 2000, 2000, Limits(5000, 5000, 1_000_000)) == (1000, 1000)
    for size in ("1001,", ",501", "700,700"):
        with pytest.raises(IIIFError) as refused:
            output_size(parse_size(size), 4000, 4000, limits)
        assert refused.value.status == 400
