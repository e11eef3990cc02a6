import io
import stat
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.imports.folder.uploads import UnsafeZip, save_files, unzip

from .conftest import jpeg


def zipped(members, **options):
    """A zip of (name or ZipInfo, bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, **options) as archive:
        for name, data in members:
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_a_zip_unpacks_with_its_folders_and_without_the_finders_litter(tmp_path):
    unzip(zipped([("book/p1.jpg", jpeg(1)), ("a.jpg", jpeg(2)), ("__MACOSX/._a.jpg", b"x"), ("empty/", b"")]), tmp_path)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == ["a.jpg", "book/p1.jpg"]
    assert stat.S_IMODE((tmp_path / "a.jpg").stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["../evil.jpg", "/etc/evil.jpg", "a/../../evil.jpg", "C:/evil.jpg", "..\\evil.jpg"])
def test_a_name_that_leads_outside_the_folder_refuses_the_zip(tmp_path, name):
    target = tmp_path / "in"
    target.mkdir()
    with pytest.raises(UnsafeZip, match="leads outside its folder"):
        unzip(zipped([("fine.jpg", jpeg(1)), (name, jpeg(2))]), target)
    assert not any(tmp_path.rglob("evil.jpg")) and not any(target.iterdir())


def test_a_link_in_the_zip_refuses_it(tmp_path):
    link = zipfile.ZipInfo("photo.jpg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(UnsafeZip, match="is a link"):
        unzip(zipped([(link, "/etc/passwd")]), tmp_path)


def test_an_encrypted_member_refuses_the_zip(tmp_path):
    data = bytearray(zipped([("photo.jpg", b"x" * 20)]).getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the general purpose flag's bit 0: encrypted (the zip format's 4.4.4)
    with pytest.raises(UnsafeZip, match="encrypted"):
        unzip(io.BytesIO(bytes(data)), tmp_path)


def test_a_zip_bomb_is_refused_by_the_total_it_unpacks_to(tmp_path, settings):
    settings.ARKIV_MAX_ZIP_BYTES = 1024 * 1024
    bomb = zipped([(f"zeros{n}.jpg", b"\0" * 600 * 1024) for n in range(2)])
    assert len(bomb.getvalue()) < 10 * 1024
    with pytest.raises(UnsafeZip, match="zip bomb"):
        unzip(bomb, tmp_path)


def test_a_member_larger_than_its_directory_says_unpacks_no_further_than_that(tmp_path, settings):
    settings.ARKIV_MAX_ZIP_BYTES = 1024 * 1024
    buffer = zipped([("a.jpg", b"\0" * 4096)])
    data = bytearray(buffer.getvalue())
    # The central directory's uncompressed size of the member (offset 24 of its record) says 16 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (16).to_bytes(4, "little")
    try:
        unzip(io.BytesIO(bytes(data)), tmp_path)
    except UnsafeZip:
        pass  # refused, or cut short where it said it ends (imaging then refuses it as damaged)
    assert not (tmp_path / "a.jpg").exists() or (tmp_path / "a.jpg").stat().st_size <= 16


def test_too_many_files_refuse_the_zip(tmp_path, settings):
    settings.ARKIV_MAX_ZIP_FILES = 3
    with pytest.raises(UnsafeZip, match="4 files, more than the 3"):
        unzip(zipped([(f"{n}.jpg", b"x") for n in range(4)]), tmp_path)


def test_what_is_not_a_zip_is_said_so(tmp_path):
    with pytest.raises(UnsafeZip, match="not a zip file"):
        unzip(io.BytesIO(b"PK\x03\x04 but no more"), tmp_path)


def test_loose_files_keep_their_names_and_a_name_twice_gets_a_number(tmp_path):
    save_files([SimpleUploadedFile("a.jpg", b"1"), SimpleUploadedFile("../a.jpg", b"2")], tmp_path / "files")
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == ["a-2.jpg", "a.jpg"]
