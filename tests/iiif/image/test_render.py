"""Cutting answers out of a pyramid: only the tiles a request needs are read.

The measure is the bytes the process reads from files (rchar of /proc/self/io, Linux), which
counts libvips's reads of the pyramid; the test checks first that the measure sees a whole
decode, so it fails if a tile ever costs one.
"""
import io
from pathlib import Path

import pytest
import pyvips
from PIL import Image

from catalog import pyramids
from catalog.iiif.image.geometry import Limits
from catalog.iiif.image.render import render
from catalog.iiif.image.request import parse

from .conftest import colour_at, near, quadrants

LIMITS = Limits(10_000, 10_000, 25_000_000)
SIDE = 6144
PROC_IO = Path("/proc/self/io")


def bytes_read():
    for line in PROC_IO.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


@pytest.fixture(scope="module")
def large_pyramid(tmp_path_factory):
    """The pyramid of a 6144 × 6144 image of fine patterns (some 25 MB of JPEG tiles)."""
    folder = tmp_path_factory.mktemp("pyramid")
    xy = pyvips.Image.xyz(SIDE, SIDE)
    x, y = xy[0], xy[1]
    bands = [((x ^ y) % 256), ((x * 3 + y) % 256), ((x ^ (y * 3)) % 256)]
    image = bands[0].cast("uchar").bandjoin([band.cast("uchar") for band in bands[1:]]).copy(interpretation="srgb")
    source = folder / "source.v"
    image.write_to_file(str(source))
    target = folder / "pyramid.tif"
    pyramids.write_pyramid(str(source), str(target))
    source.unlink()
    return target


@pytest.fixture
def no_vips_cache():
    """Nothing libvips read earlier may stand in for a read."""
    kept = pyvips.cache_get_max()
    pyvips.cache_set_max(0)
    yield
    pyvips.cache_set_max(kept)


@pytest.mark.skipif(not PROC_IO.exists(), reason="reads are counted through Linux's /proc/self/io")
def test_a_tile_of_a_large_image_reads_a_sliver_of_its_pyramid(large_pyramid, no_vips_cache):
    size = large_pyramid.stat().st_size

    before = bytes_read()
    tile = render(str(large_pyramid), SIDE, SIDE, parse("4096,4096,512,512", "max", "0", "default.jpg"), LIMITS)
    tile_read = bytes_read() - before
    before = bytes_read()
    whole = render(str(large_pyramid), SIDE, SIDE, parse("full", "512,", "0", "default.jpg"), LIMITS)
    whole_small_read = bytes_read() - before
    before = bytes_read()
    pyvips.Image.new_from_file(str(large_pyramid)).avg()  # the control: a decode of the full level
    full_decode_read = bytes_read() - before

    assert Image.open(io.BytesIO(tile)).size == (512, 512)
    assert Image.open(io.BytesIO(whole)).size == (512, 512)
    assert full_decode_read > size / 2  # the measure sees libvips's reads
    assert tile_read < size / 20
    assert whole_small_read < size / 20  # the whole image, small, comes from a small level


def test_the_pyramid_has_a_level_per_halving_down_to_one_tile(large_pyramid):
    first = pyvips.Image.new_from_file(str(large_pyramid))
    widths = [pyvips.Image.new_from_file(str(large_pyramid), page=page).width for page in range(first.get("n-pages"))]

    assert widths == [6144, 3072, 1536, 768, 384]
    assert (first.get("tile-width"), first.get("tile-height")) == (512, 512)


def test_tiles_meet_without_a_seam(tmp_path):
    source = tmp_path / "quadrants.png"
    quadrants(1600, 1200).save(source)
    target = tmp_path / "pyramid.tif"
    pyramids.write_pyramid(str(source), str(target))

    # Two neighbouring tiles at scale factor 2, and the same stretch cut at once.
    left = Image.open(io.BytesIO(render(str(target), 1600, 1200, parse("0,0,800,1024", "400,", "0", "default.png"), LIMITS)))
    right = Image.open(io.BytesIO(render(str(target), 1600, 1200, parse("800,0,800,1024", "400,", "0", "default.png"), LIMITS)))

    assert left.size == right.size == (400, 512)
    assert near(colour_at(left, 399, 10), (255, 0, 0)) and near(colour_at(right, 0, 10), (0, 255, 0))
    assert near(colour_at(left, 399, 400), (0, 0, 255)) and near(colour_at(right, 0, 400), (255, 255, 255))
