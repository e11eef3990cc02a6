import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from catalog.models import Item
from tests.factories import CollectionFactory, ItemFactory
from tests.imports.conftest import catalogue_state
from tests.imports.folder.conftest import damaged, jpeg

pytestmark = pytest.mark.django_db


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_folder", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def scans(tmp_path):
    root = tmp_path / "scans"
    (root / "book").mkdir(parents=True)
    (root / "IMG_0001.jpg").write_bytes(jpeg(1, "2021:06:05 10:00:00"))
    (root / "IMG_0002.jpg").write_bytes(jpeg(1, "2021:06:05 10:00:00"))
    (root / "cut.jpg").write_bytes(damaged(jpeg(2)))
    (root / "book" / "page10.jpg").write_bytes(jpeg(3))
    (root / "book" / "page2.jpg").write_bytes(jpeg(4))
    return root


def test_a_dry_run_prints_what_would_be_made_and_changes_nothing(scans):
    before = catalogue_state()
    out, err = command(scans, "--dry-run")
    assert catalogue_state() == before
    assert "scans.img_0001: “IMG 0001”, 1 file(s) from IMG_0001.jpg" in out
    assert "IMG_0002.jpg: already in the archive, in scans.img_0001; not ingested again" in out
    assert "cut.jpg: refused: “cut.jpg” is damaged" in err
    assert "2 item(s) would be made (3 file(s)), 0 made by an earlier run, 1 file(s) already in the archive, 1 refused." in out


def test_ingest_then_again_makes_nothing_twice(scans):
    out, _ = command(scans)
    assert "2 item(s) made (3 file(s))" in out
    out, _ = command(scans)
    assert "0 item(s) made (0 file(s)), 2 made by an earlier run, 1 file(s) already in the archive, 1 refused." in out
    assert Item.objects.count() == 2


def test_parent_collection_and_prefix(scans):
    CollectionFactory(identifier="war")
    unit = ItemFactory(identifier="kf-3")
    command(scans, "--collection", "war", "--parent", "kf-3", "--prefix", "box7")
    book = Item.objects.get(identifier="box7.book")
    assert book.parent == unit and [c.identifier for c in book.collections.all()] == ["war"]


def test_a_folder_that_is_not_one_is_an_error_in_the_archivists_language(tmp_path):
    with translation.override("nb"), pytest.raises(CommandError) as caught:
        command(tmp_path / "nowhere")
    assert "er ikke en mappe" in str(caught.value)


def test_ctrl_c_keeps_what_was_made_and_says_how_to_continue(scans, monkeypatch):
    from catalog.imports.folder import run

    real, calls = run._Run.chunk, []

    def chunk(self, units):
        calls.append(units)
        if len(calls) == 3:  # cut.jpg (refused), IMG_0001.jpg (made), then IMG_0002.jpg
            raise KeyboardInterrupt
        return real(self, units)

    monkeypatch.setattr(run, "CHUNK_FILES", 1)
    monkeypatch.setattr(run._Run, "chunk", chunk)
    with pytest.raises(CommandError, match="Interrupted: 1 item.s. were made before it and are kept"):
        command(scans)
    assert Item.objects.count() == 1
    monkeypatch.setattr(run._Run, "chunk", real)
    out, _ = command(scans)
    assert "1 item(s) made (2 file(s)), 1 made by an earlier run" in out and Item.objects.count() == 2
