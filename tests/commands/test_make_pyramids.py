import io
import os

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from catalog import imaging, pyramids
from catalog.management.commands.make_pyramids import ADVICE, SUMMARY
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def ingest_photo(identifier):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return imaging.ingest(item=ItemFactory(identifier=identifier), file=buffer, name=f"{identifier}.jpg")


def run(*args):
    out = io.StringIO()
    try:
        call_command("make_pyramids", "--no-progress", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_it_makes_the_pyramid_of_every_image():
    files = [ingest_photo("kirkenes-1944-001"), ingest_photo("kirkenes-1944-002")]
    imaging.ingest(item=files[0].item, file=io.BytesIO(b"%PDF-1.4\n%%EOF\n"), name="letter.pdf")

    out, error = run()

    assert error is None
    assert SUMMARY.format(made=2, kept=0, failed=0) in out
    assert all(pyramids.pyramid_path(digital_file) for digital_file in files)


def test_missing_leaves_existing_pyramids_and_makes_the_others():
    made, missing = ingest_photo("kirkenes-1944-001"), ingest_photo("kirkenes-1944-002")
    path = pyramids.make_pyramid(made)
    os.utime(path, (0, 0))

    out, error = run("--missing")

    assert SUMMARY.format(made=1, kept=1, failed=0) in out
    assert os.stat(path).st_mtime == 0 and pyramids.pyramid_path(missing)


def test_item_limits_it_to_that_items_files():
    chosen, other = ingest_photo("kirkenes-1944-001"), ingest_photo("kirkenes-1944-002")

    run("--item", "kirkenes-1944-001")

    assert pyramids.pyramid_path(chosen) and not pyramids.pyramid_path(other)


def test_a_file_that_cannot_be_read_is_named_and_the_rest_are_made():
    broken, sound = ingest_photo("kirkenes-1944-001"), ingest_photo("kirkenes-1944-002")
    with open(broken.file.path, "wb") as damaged:
        damaged.write(b"\xff\xd8\xff not a jpeg any more")

    out, error = run()

    assert "kirkenes-1944-001" in out and broken.file.name in out
    assert error == f"{SUMMARY.format(made=1, kept=0, failed=1)} {ADVICE}"
    assert pyramids.pyramid_path(sound) and not pyramids.pyramid_path(broken)
