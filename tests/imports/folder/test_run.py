import pytest

from catalog import imaging
from catalog.imports.folder import ingest_folder
from catalog.imports.folder.log import DUPLICATE, EARLIER, MADE, REFUSED, WOULD_MAKE, FolderLog
from catalog.imports.folder.run import FolderError
from catalog.models import Collection, DigitalFile, Item
from tests.factories import ItemFactory

from ..conftest import catalogue_state
from .conftest import damaged, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(tmp_path):
    log = FolderLog(tmp_path / "log.sqlite3")
    yield log
    log.close()


def lines(log, *outcomes):
    return log.lines(outcomes or (MADE, WOULD_MAKE, EARLIER, DUPLICATE, REFUSED), limit=1000)


def titles(item):
    return [s.value for s in item.statements.filter(term="title")]


def test_each_file_becomes_a_draft_item_with_its_title_date_and_hash(folder, log):
    root = folder({"IMG_0001.jpg": jpeg(1, "2021:06:05 10:11:12"), "Brev-fra_Ålesund.jpg": jpeg(2)})
    result = ingest_folder(root, log=log)
    assert result.counts[MADE] == 2 and result.files_made == 2 and result.applied
    item = Item.objects.get(identifier="scans.img_0001")
    assert item.status == Item.DRAFT and item.dcmi_type == "StillImage"
    assert titles(item) == ["IMG 0001"]
    assert [s.value for s in item.statements.filter(term="created")] == ["2021-06-05"]
    other = Item.objects.get(identifier="scans.brev-fra_alesund")
    assert titles(other) == ["Brev fra Ålesund"] and not other.statements.filter(term="created").exists()
    stored = item.files.get()
    assert stored.sha256 == __import__("hashlib").sha256((root / "IMG_0001.jpg").read_bytes()).hexdigest()
    assert stored.exif["DateTimeOriginal"] == "2021:06:05 10:11:12" and stored.thumbnail


def test_a_subfolder_is_one_item_with_its_files_as_pages_in_natural_order(folder, log):
    root = folder({
        "book/page10.jpg": jpeg(3, "2020:01:03 00:00:00"), "book/page2.jpg": jpeg(4, "2020:01:01 00:00:00"),
        "book/page1.jpg": jpeg(5),
    })
    ingest_folder(root, log=log)
    book = Item.objects.get(identifier="scans.book")
    assert list(book.files.order_by("position").values_list("original_name", flat=True)) == ["page1.jpg", "page2.jpg", "page10.jpg"]
    assert [s.value for s in book.statements.filter(term="created")] == ["2020-01-01/2020-01-03"]
    assert titles(book) == ["book"]


def test_a_file_already_in_the_catalogue_is_reported_with_its_item_and_not_ingested(folder, log):
    data = jpeg(6)
    held = ItemFactory(identifier="held")
    with __import__("io").BytesIO(data) as source:
        imaging.ingest(item=held, file=source, name="old.jpg")
    root = folder({"copy.jpg": data, "new.jpg": jpeg(7)})
    result = ingest_folder(root, log=log)
    assert result.counts[MADE] == 1 and result.counts[DUPLICATE] == 1
    assert [(line["path"], line["detail"]) for line in lines(log, DUPLICATE)] == [("copy.jpg", "held")]
    assert not Item.objects.filter(identifier="scans.copy").exists()
    assert DigitalFile.objects.count() == 2


def test_the_same_file_twice_in_one_run_is_ingested_once(folder, log):
    data = jpeg(8)
    root = folder({"a.jpg": data, "b.jpg": data, "book/p1.jpg": data, "book/p2.jpg": jpeg(9)})
    result = ingest_folder(root, log=log, chunk_files=1)
    assert [(line["path"], line["detail"]) for line in lines(log, DUPLICATE)] == [("b.jpg", "scans.a"), ("book/p1.jpg", "scans.a")]
    assert result.counts[MADE] == 2
    assert list(Item.objects.get(identifier="scans.book").files.values_list("original_name", flat=True)) == ["p2.jpg"]


def test_the_dry_run_reports_the_same_and_changes_nothing(folder, log):
    data = jpeg(10)
    root = folder({"a.jpg": data, "b.jpg": data, "c.txt": b"hello", "d.jpg": jpeg(11)})
    before = catalogue_state()
    result = ingest_folder(root, log=log, apply=False)
    assert catalogue_state() == before
    assert result.counts == {MADE: 0, WOULD_MAKE: 2, EARLIER: 0, DUPLICATE: 1, REFUSED: 1}
    assert not result.applied


def test_a_damaged_or_foreign_file_in_the_middle_is_refused_and_the_rest_goes_in(folder, log):
    good = [jpeg(i) for i in range(40, 44)]
    root = folder({
        "1.jpg": good[0], "2.jpg": good[1], "3.jpg": damaged(jpeg(13)), "4.jpg": b"<html>not a scan</html>",
        "5.jpg": good[2], "book/p1.jpg": good[3], "book/p2.jpg": damaged(jpeg(14)), "empty.jpg": b"",
        "pamphlet/p1.jpg": jpeg(44), "pamphlet/p2.jpg": b"%PDF-1.4 cut short",
    })
    result = ingest_folder(root, log=log, chunk_files=3)
    assert sorted(Item.objects.values_list("identifier", flat=True)) == ["scans.1", "scans.2", "scans.5"]
    refused = {line["path"]: line["detail"] for line in lines(log, REFUSED)}
    assert set(refused) == {"3.jpg", "4.jpg", "empty.jpg", "book/p2.jpg", "book", "pamphlet/p2.jpg", "pamphlet"}
    assert "damaged" in refused["3.jpg"] and "web page" in refused["4.jpg"] and "empty" in refused["empty.jpg"]
    assert "damaged" in refused["book/p2.jpg"] and "end-of-file" in refused["pamphlet/p2.jpg"]
    assert "not made while one of its files is refused" in refused["book"]  # a book is not made with a page missing
    assert result.counts[MADE] == 3


def test_an_interrupted_run_continues_without_duplicates(folder, log):
    root = folder({f"photo{i}.jpg": jpeg(50 + i) for i in range(1, 8)})
    calls = []

    def interrupt(done):
        calls.append(done)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_folder(root, log=log, chunk_files=3, progress=interrupt)
    assert Item.objects.count() == 3 and calls == [3]
    result = ingest_folder(root, log=log, chunk_files=3)
    assert result.counts[EARLIER] == 3 and result.counts[MADE] == 4 and result.counts[DUPLICATE] == 0
    assert Item.objects.count() == 7 and DigitalFile.objects.count() == 7


def test_a_crash_while_writing_undoes_its_chunk_only_and_a_rerun_completes(folder, log, monkeypatch, settings):
    root = folder({f"photo{i}.jpg": jpeg(60 + i) for i in range(1, 7)})
    real, ingested = imaging.ingest, []

    def crash(**kwargs):
        if len(ingested) == 4:
            raise RuntimeError("the disk is full")
        ingested.append(kwargs["name"])
        return real(**kwargs)

    monkeypatch.setattr(imaging, "ingest", crash)
    with pytest.raises(RuntimeError):
        ingest_folder(root, log=log, chunk_files=3)
    assert Item.objects.count() == 3
    stored = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file() and "derivatives" not in p.parts)
    assert len(stored) == 3  # the undone chunk's files are removed
    monkeypatch.setattr(imaging, "ingest", real)
    result = ingest_folder(root, log=log, chunk_files=3)
    assert (result.counts[EARLIER], result.counts[MADE]) == (3, 3)
    assert Item.objects.count() == 6 and DigitalFile.objects.count() == 6


def test_a_rerun_leaves_an_item_an_archivist_has_edited_as_it_is(folder, log):
    root = folder({"a.jpg": jpeg(17)})
    ingest_folder(root, log=log)
    statement = Item.objects.get(identifier="scans.a").statements.get(term="title")
    statement.value = "Fishermen at Vardø"
    statement.save()
    result = ingest_folder(root, log=log)
    assert result.counts[EARLIER] == 1 and titles(Item.objects.get(identifier="scans.a")) == ["Fishermen at Vardø"]


def test_a_rerun_knows_its_item_when_another_item_was_given_the_same_file_since(folder, log):
    data = jpeg(75)
    root = folder({"a.jpg": data})
    ingest_folder(root, log=log)
    with __import__("io").BytesIO(data) as source:
        imaging.ingest(item=ItemFactory(identifier="copy"), file=source, name="a.jpg")
    result = ingest_folder(root, log=log)
    assert result.counts[EARLIER] == 1 and result.counts[REFUSED] == 0 and Item.objects.count() == 2


def test_an_identifier_taken_by_another_item_is_refused(folder, log):
    ItemFactory(identifier="scans.a")
    root = folder({"a.jpg": jpeg(18)})
    result = ingest_folder(root, log=log)
    assert result.counts[REFUSED] == 1 and "another prefix" in lines(log, REFUSED)[0]["detail"]
    assert ingest_folder(root, log=log, prefix="box7").counts[MADE] == 1


def test_parent_and_collection(folder, log):
    series = ItemFactory(identifier="series-1")
    collection = Collection.objects.create(identifier="finnmark-1944", title="Finnmark 1944")
    root = folder({"a.jpg": jpeg(19), "b/p.jpg": jpeg(20)})
    ingest_folder(root, log=log, parent="series-1", collection="finnmark-1944")
    for identifier in ("scans.a", "scans.b"):
        item = Item.objects.get(identifier=identifier)
        assert item.parent_id == series.pk and list(item.collections.all()) == [collection]


@pytest.mark.parametrize("options, message", [
    ({"parent": "nowhere"}, "not the identifier of a unit"),
    ({"collection": "nowhere"}, "not a collection"),
    ({"prefix": "-bad"}, "cannot be an identifier"),
])
def test_an_unknown_parent_collection_or_a_bad_prefix_changes_nothing(folder, log, options, message):
    root = folder({"a.jpg": jpeg(21)})
    with pytest.raises(FolderError, match=message):
        ingest_folder(root, log=log, **options)
    assert not Item.objects.exists()


def test_a_link_out_of_the_folder_is_refused(folder, log, tmp_path):
    (tmp_path / "secret.jpg").write_bytes(jpeg(22))
    root = folder({"a.jpg": jpeg(23)})
    (root / "b.jpg").symlink_to(tmp_path / "secret.jpg")
    result = ingest_folder(root, log=log)
    assert result.counts[MADE] == 1 and "outside the folder" in lines(log, REFUSED)[0]["detail"]


def cut_short():
    """A JPEG whose header is whole and whose pixels stop at four fifths."""
    from PIL import Image
    import io

    buffer = io.BytesIO()
    Image.effect_noise((240, 180), 80).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[: int(len(buffer.getvalue()) * 0.8)]


def test_pixels_damaged_past_the_header_are_refused_and_so_is_their_book(folder, log):
    cut = cut_short()
    root = folder({"loose.jpg": cut, "book/p1.jpg": jpeg(70), "book/p2.jpg": cut + b"\0", "fine.jpg": jpeg(71)})
    result = ingest_folder(root, log=log)
    refused = {line["path"]: line["detail"] for line in lines(log, REFUSED)}
    assert set(refused) == {"loose.jpg", "book/p2.jpg", "book"}
    assert "damaged" in refused["loose.jpg"] and "damaged" in refused["book/p2.jpg"]
    assert list(Item.objects.values_list("identifier", flat=True)) == ["scans.fine"] and result.counts[MADE] == 1


def test_a_file_refused_only_as_it_is_written_undoes_its_chunk_which_is_planned_again(folder, log, monkeypatch, settings):
    # As if the scan's check had passed a file that describing it then refuses, inside the transaction.
    monkeypatch.setattr(imaging, "decodes", lambda examination: None)
    root = folder({"a.jpg": jpeg(72), "b.jpg": cut_short(), "c.jpg": jpeg(73), "d.jpg": jpeg(74)})
    result = ingest_folder(root, log=log, chunk_files=3)
    refused = {line["path"]: line["detail"] for line in lines(log, REFUSED)}
    assert set(refused) == {"b.jpg"} and "damaged" in refused["b.jpg"]
    assert sorted(Item.objects.values_list("identifier", flat=True)) == ["scans.a", "scans.c", "scans.d"]
    assert result.counts[MADE] == 3 and DigitalFile.objects.count() == 3
    stored = [p for p in (settings.MEDIA_ROOT / "originals").rglob("*") if p.is_file()]
    assert len(stored) == 3  # what the undone chunk had stored is gone


def test_a_folder_of_pdfs_is_text_and_of_images_a_still_image(folder, log):
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    root = folder({"letter.pdf": pdf, "minutes/p1.pdf": pdf.replace(b"1 0", b"2 0"), "photo.jpg": jpeg(76)})
    ingest_folder(root, log=log)
    types = dict(Item.objects.values_list("identifier", "dcmi_type"))
    assert types == {"scans.letter": "Text", "scans.minutes": "Text", "scans.photo": "StillImage"}
