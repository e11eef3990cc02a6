"""Parsing the path parameters: the grammar of Image API 3.0 §4, a table per parameter."""
import pytest

from catalog.iiif.image.errors import IIIFError
from catalog.iiif.image.request import (
    CONFINED, EXACT, FULL, HEIGHT, MAX, PERCENT, PIXELS, SQUARE, WIDTH, Region, Size, parse, parse_format,
    parse_quality, parse_region, parse_rotation, parse_size,
)


def status_of(function, text):
    with pytest.raises(IIIFError) as refused:
        function(text)
    return refused.value.status


@pytest.mark.parametrize(("text", "region"), [
    ("full", Region(FULL)),
    ("square", Region(SQUARE)),
    ("0,0,512,512", Region(PIXELS, (0, 0, 512, 512))),
    ("1024,2048,7,9", Region(PIXELS, (1024, 2048, 7, 9))),
    ("pct:10,20,30.5,40", Region(PERCENT, (10.0, 20.0, 30.5, 40.0))),
    ("pct:.5,0,100,100", Region(PERCENT, (0.5, 0.0, 100.0, 100.0))),
])
def test_regions(text, region):
    assert parse_region(text) == region


@pytest.mark.parametrize("text", [
    "", "Full", "max", "0,0,10", "0,0,10,10,10", "-1,0,10,10", "0,0,10.5,10", "0,0,0,10", "0,0,10,0",
    "pct:10,10,10", "pct:-1,0,10,10", "pct:0,0,0,10", "pct:1e2,0,10,10", "pct: 1,0,10,10", "0, 0,10,10",
    "99999999999,0,10,10", "squares", "pct:", "x,y,w,h",
])
def test_malformed_regions_are_400(text):
    assert status_of(parse_region, text) == 400


@pytest.mark.parametrize(("text", "size"), [
    ("max", Size(MAX)),
    ("^max", Size(MAX, upscale=True)),
    ("150,", Size(WIDTH, 150, None)),
    ("^150,", Size(WIDTH, 150, None, upscale=True)),
    (",150", Size(HEIGHT, None, 150)),
    ("pct:50", Size(PERCENT, percent=50.0)),
    ("^pct:150.5", Size(PERCENT, percent=150.5, upscale=True)),
    ("225,100", Size(EXACT, 225, 100)),
    ("!225,100", Size(CONFINED, 225, 100)),
    ("^!225,100", Size(CONFINED, 225, 100, upscale=True)),
])
def test_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", [
    "", "full", "Max", "^", ",", "!150,", "!,150", "0,", ",0", "pct:0", "pct:", "pct:-5", "-5,", "!^225,100",
    "^^max", "150,,", "1.5,", "pct:1e2", "w,h",
])
def test_malformed_sizes_are_400(text):
    assert status_of(parse_size, text) == 400


@pytest.mark.parametrize(("text", "rotation"), [
    ("0", (False, 0)), ("90", (False, 90)), ("180", (False, 180)), ("270", (False, 270)),
    ("360", (False, 0)), ("90.0", (False, 90)), ("!0", (True, 0)), ("!270", (True, 270)),
])
def test_rotations(text, rotation):
    assert parse_rotation(text) == rotation


@pytest.mark.parametrize("text", ["", "-90", "361", "abc", "!", "!!90", "90!", "1e2", "0x5A"])
def test_malformed_rotations_are_400(text):
    assert status_of(parse_rotation, text) == 400


@pytest.mark.parametrize("text", ["45", "22.5", "!1", "359.9"])
def test_other_angles_are_not_implemented_501(text):
    assert status_of(parse_rotation, text) == 501


@pytest.mark.parametrize("text", ["default", "color", "gray", "bitonal"])
def test_qualities(text):
    assert parse_quality(text) == text


@pytest.mark.parametrize("text", ["", "grey", "native", "Default", "colour"])
def test_other_qualities_are_400(text):
    assert status_of(parse_quality, text) == 400


@pytest.mark.parametrize(("text", "status"), [
    ("jpg", None), ("png", None), ("webp", None), ("tif", 501), ("gif", 501), ("jp2", 501), ("pdf", 501),
    ("jpeg", 400), ("JPG", 400), ("", 400), ("xyz", 400),
])
def test_formats(text, status):
    if status is None:
        assert parse_format(text) == text
    else:
        assert status_of(parse_format, text) == status


@pytest.mark.parametrize(("parameters", "fault"), [
    (("nonsense", "nonsense", "nonsense", "nonsense"), "region"),
    (("full", "nonsense", "nonsense", "nonsense"), "size"),
    (("full", "max", "nonsense", "nonsense"), "rotation"),
    (("full", "max", "45", "nonsense"), "rotation"),
    (("full", "max", "0", "nonsense.jpg"), "quality"),
    (("full", "max", "0", "default.nonsense"), "format"),
    (("full", "max", "0", "default"), "format"),
])
def test_the_first_parameter_at_fault_in_the_specs_order_is_reported(parameters, fault):
    with pytest.raises(IIIFError) as refused:
        parse(*parameters)
    assert refused.value.parameter == fault


def test_a_whole_request():
    request = parse("pct:0,0,50,50", "^!300,200", "!90", "gray.png")

    assert request.region == Region(PERCENT, (0.0, 0.0, 50.0, 50.0))
    assert request.size == Size(CONFINED, 300, 200, upscale=True)
    assert (request.mirror, request.rotation, request.quality, request.format) == (True, 90, "gray", "png")
    assert request.media_type == "image/png"
