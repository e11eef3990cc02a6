"""Writing: the download's chunks are the file's bytes, and the file is replaced atomically."""
import io

import pytest

from catalog.exports import ead
from catalog.exports.ead import writing
from catalog.models import Item

from .conftest import unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    made = tmp_path / "out"
    made.mkdir()
    return made


def test_the_stream_is_the_same_document_as_the_file(fonds, monkeypatch):
    album = Item.objects.get(identifier="kf-c")
    for n in range(60):
        unit(f"kf-c-{n}", parent=album, local_code=str(n))
    monkeypatch.setattr(writing, "CHUNK", 200)
    written = io.BytesIO()
    ead.write(fonds, written, "ead3")
    chunks = list(ead.stream(fonds, "ead3"))
    # Handed out as lxml's writer fills its buffer (about 4 kB), not once at the end.
    assert len(chunks) >= len(written.getvalue()) // 4500 >= 4

    def without_time(document):  # the maintenance event's time is the writing's own
        return document.split(b"<eventdatetime")[0] + document.split(b"</eventdatetime>")[1]

    assert without_time(b"".join(chunks)) == without_time(written.getvalue())


def test_write_counts_the_units_written(fonds):
    assert ead.write(fonds, io.BytesIO(), "apeead") == 8


def test_an_unknown_format_is_refused_naming_the_known_ones(fonds):
    with pytest.raises(ead.UnknownFormat) as refused:
        ead.write(fonds, io.BytesIO(), "ead2002")
    assert str(refused.value) == ead.UNKNOWN_FORMAT % {"format": "ead2002", "offered": "ead3, apeead"}


def test_the_file_appears_only_once_complete(fonds, folder):
    target = folder / "kf.xml"
    sizes = []
    with ead.atomic(target) as out:
        for _unit in ead.units_written(fonds, out, "ead3"):
            out.flush()
            assert not target.exists()
            sizes.append(sum(part.stat().st_size for part in folder.glob(".kf.xml.part")))
    assert max(sizes) > 0  # the partial file fills while the destination does not exist
    assert target.read_bytes().startswith(b"<?xml")
    assert list(folder.iterdir()) == [target]


@pytest.mark.parametrize("stop", [RuntimeError("the database went away"), KeyboardInterrupt()])
def test_an_error_halfway_leaves_no_file_and_no_partial_file(fonds, folder, stop):
    target = folder / "kf.xml"
    with pytest.raises(type(stop)):
        with ead.atomic(target) as out:
            for unit in ead.units_written(fonds, out, "ead3"):
                if unit.identifier == "kf-a-1-3":
                    raise stop
    assert list(folder.iterdir()) == []


def test_an_error_halfway_leaves_the_last_good_file(fonds, folder):
    target = folder / "kf.xml"
    with ead.atomic(target) as out:
        ead.write(fonds, out, "ead3")
    good = target.read_bytes()
    Item.objects.filter(identifier="kf-c").update(status=Item.DRAFT)
    with pytest.raises(RuntimeError):
        with ead.atomic(target) as out:
            for unit in ead.units_written(fonds, out, "ead3"):
                if unit.depth == 3:
                    raise RuntimeError("stopped")
    assert target.read_bytes() == good
    assert list(folder.iterdir()) == [target]


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(ead.CannotWrite) as refused:
        with ead.atomic(tmp_path / "nowhere" / "kf.xml"):
            pass
    assert str(refused.value) == writing.NO_FOLDER % {"folder": tmp_path / "nowhere"}


def test_a_path_that_cannot_be_written_is_named(folder):
    (folder / "kf.xml").mkdir()
    with pytest.raises(ead.CannotWrite) as refused:
        with ead.atomic(folder / "kf.xml"):
            pass
    assert str(refused.value) == writing.NOT_WRITABLE % {"path": folder / "kf.xml", "reason": "Is a directory"}
