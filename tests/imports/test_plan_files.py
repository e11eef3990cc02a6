"""The files column: what a CSV may attach, and from where."""
import pytest

from catalog.imports import plan
from catalog.models import DigitalFile
from tests.factories import ItemFactory

from .conftest import image_bytes

pytestmark = pytest.mark.django_db


def test_a_link_inside_the_folder_that_leads_outside_it_is_refused(run, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.png").write_bytes(image_bytes())
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "kir-001.png").symlink_to(outside / "secret.png")
    (folder / "box").symlink_to(outside, target_is_directory=True)
    ItemFactory(identifier="kir-001")

    for name in ("kir-001.png", "box/secret.png"):
        result, store = run(f"identifier,files\nkir-001,{name}\n", apply=True, files_dir=folder)

        assert not result.applied
        assert store.errors()[0]["message"] == plan.FILE_OUTSIDE.format(name=name)
    assert not DigitalFile.objects.exists()


def test_a_link_that_stays_inside_the_folder_is_followed(run, tmp_path):
    folder = tmp_path / "scans"
    (folder / "box1").mkdir(parents=True)
    (folder / "box1" / "kir-001.png").write_bytes(image_bytes())
    (folder / "latest.png").symlink_to(folder / "box1" / "kir-001.png")
    ItemFactory(identifier="kir-001")

    result, _ = run("identifier,files\nkir-001,latest.png\n", apply=True, files_dir=folder)

    assert result.applied
    assert DigitalFile.objects.get().file.name == "originals/kir-001/kir-001-001.png"


def test_a_file_from_the_csv_is_stored_under_arkivs_name_and_type(run, tmp_path):
    (tmp_path / "evil.html").write_bytes(b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n")
    ItemFactory(identifier="kir-001")

    result, _ = run("identifier,files\nkir-001,evil.html\n", apply=True, files_dir=tmp_path)

    assert result.applied
    digital_file = DigitalFile.objects.get()
    assert (digital_file.file.name, digital_file.mime_type) == ("originals/kir-001/kir-001-001.pdf", "application/pdf")
    assert digital_file.original_name == "evil.html"
