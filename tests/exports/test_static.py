"""The static XML export: valid against the official schemas, streamed, and atomic."""
import copy

import pytest
from lxml import etree

from catalog import services
from catalog.exports import static
from catalog.models import Item
from tests.factories import CollectionFactory, ItemFactory
from tests.oai.support import NAMESPACES, schema

pytestmark = pytest.mark.django_db

SITE = "https://arkiv.example.org"


@pytest.fixture(autouse=True)
def _repository(settings):
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.org"


@pytest.fixture
def catalogue():
    collection = CollectionFactory(identifier="kirkenes")
    items = [ItemFactory(status=Item.PUBLISHED, title=f"Photograph {n}") for n in range(5)]
    for item in items:
        item.collections.add(collection)
    services.item_withdraw(item=items[0])
    ItemFactory(title="A draft")
    return items


@pytest.fixture
def folder(tmp_path):
    """A folder of its own (tmp_path also holds the tests' MEDIA_ROOT)."""
    path = tmp_path / "exports"
    path.mkdir()
    return path


def xpath(root, expression):
    return root.xpath(expression, namespaces=NAMESPACES)


def write(path, **options):
    static.write_static_repository(path, base_url=f"{SITE}/oai", site_url=SITE, **options)
    return etree.parse(str(path))


def test_the_static_repository_is_valid(folder, catalogue):
    document = write(folder / "catalogue.xml")
    every_format = schema("static-repository-all-validate.xsd")
    assert every_format.validate(document), every_format.error_log
    # The kit's own driver knows oai_dc only: the file without its qdc block must satisfy it,
    # with the oai_dc records checked against simpledc20021212.xsd.
    oai_dc_only = copy.deepcopy(document)
    for block in xpath(oai_dc_only, "/sr:Repository/sr:ListRecords[@metadataPrefix!='oai_dc']"):
        block.getparent().remove(block)
    kit = schema("static-repository-validate.xsd")
    assert kit.validate(oai_dc_only), kit.error_log


def test_the_static_repository_holds_every_published_item_in_every_format(folder, catalogue):
    document = write(folder / "catalogue.xml")
    assert xpath(document, "/sr:Repository/sr:ListRecords/@metadataPrefix") == ["oai_dc", "qdc"]
    published = sorted(f"oai:arkiv.example.org:{item.identifier}" for item in catalogue[1:])
    for prefix in ("oai_dc", "qdc"):
        found = xpath(document, f"/sr:Repository/sr:ListRecords[@metadataPrefix='{prefix}']/oai:record/oai:header/oai:identifier/text()")
        assert sorted(found) == published
    assert xpath(document, "//dc:title/text()").count("Photograph 3") == 2
    assert "A draft" not in etree.tostring(document, encoding="unicode")


def test_the_static_repository_speaks_in_days_and_knows_no_deletions(folder, catalogue):
    document = write(folder / "catalogue.xml")
    identify = "/sr:Repository/sr:Identify"
    assert xpath(document, f"{identify}/oai:granularity/text()") == ["YYYY-MM-DD"]
    assert xpath(document, f"{identify}/oai:deletedRecord/text()") == ["no"]
    assert xpath(document, f"{identify}/oai:baseURL/text()") == [f"{SITE}/oai"]
    datestamps = xpath(document, "//oai:header/oai:datestamp/text()")
    assert all(len(stamp) == 10 for stamp in datestamps)
    assert not xpath(document, "//oai:header/@status | //oai:header/oai:setSpec")


def test_one_formats_list_records_includes_deleted_records_and_sets(folder, catalogue):
    for prefix, driver in (("oai_dc", "oai-pmh-validate.xsd"), ("qdc", "oai-pmh-qdc-validate.xsd")):
        path = folder / f"{prefix}.xml"
        static.write_list_records(path, prefix, base_url=f"{SITE}/oai", site_url=SITE)
        document = etree.parse(str(path))
        assert schema(driver).validate(document), schema(driver).error_log
        assert len(xpath(document, "//oai:ListRecords/oai:record")) == 5
        assert xpath(document, "//oai:header[@status='deleted']/oai:identifier/text()") == [
            f"oai:arkiv.example.org:{catalogue[0].identifier}"
        ]
        assert set(xpath(document, "//oai:header/oai:setSpec/text()")) == {"kirkenes", "type:StillImage"}
        assert not xpath(document, "//oai:resumptionToken")


def test_records_are_written_a_batch_at_a_time(folder, monkeypatch, catalogue):
    monkeypatch.setattr(static, "BATCH", 2)
    sizes = []

    def progress(count):
        # While the export runs, the destination does not exist yet; the partial file grows.
        assert not (folder / "catalogue.xml").exists()
        sizes.append(sum(part.stat().st_size for part in folder.glob(".catalogue.xml*.part")))

    write(folder / "catalogue.xml", progress=progress)
    assert len(sizes) == 4  # four published items: two batches per format
    assert sizes == sorted(set(sizes)) and sizes[0] > 0  # each batch is in the file when reported


def test_an_interrupted_export_leaves_the_last_good_file(folder, monkeypatch, catalogue):
    target = folder / "catalogue.xml"
    write(target)
    good = target.read_bytes()
    ItemFactory(status=Item.PUBLISHED, title="Published after the last export")
    monkeypatch.setattr(static, "BATCH", 2)

    def interrupt(count):
        raise KeyboardInterrupt  # what Ctrl-C does half-way

    with pytest.raises(KeyboardInterrupt):
        write(target, progress=interrupt)
    assert target.read_bytes() == good
    assert list(folder.iterdir()) == [target]


def test_an_empty_catalogue_is_refused_with_a_reason(folder):
    ItemFactory(title="A draft")
    with pytest.raises(static.NothingToExport, match="publish items first"):
        write(folder / "catalogue.xml")
    assert not list(folder.iterdir())


def test_a_missing_folder_is_named(folder, catalogue):
    with pytest.raises(static.NothingToExport, match="There is no folder"):
        write(folder / "nowhere" / "catalogue.xml")


EDM_TAKES = "http://creativecommons.org/licenses/by/4.0/"


def test_the_static_repository_writes_edm_for_the_items_europeana_takes(folder, catalogue):
    from tests.oai.edm_validation import problems, records_of

    taken = catalogue[1:3]
    for item in taken:
        item.rights_uri = EDM_TAKES
        item.save()
    document = write(folder / "catalogue.xml")
    assert xpath(document, "/sr:Repository/sr:ListRecords/@metadataPrefix") == ["oai_dc", "edm", "qdc"]
    assert "edm" in xpath(document, "/sr:Repository/sr:ListMetadataFormats//oai:metadataPrefix/text()")
    found = xpath(document, "/sr:Repository/sr:ListRecords[@metadataPrefix='edm']/oai:record/oai:header/oai:identifier/text()")
    assert sorted(found) == sorted(f"oai:arkiv.example.org:{item.identifier}" for item in taken)
    edm = records_of(document)
    assert len(edm) == 2 and all(problems(rdf) == [] for rdf in edm)
    # The rest against the driver of the other formats (EDM brings its own dc schema).
    others = copy.deepcopy(document)
    for block in xpath(others, "/sr:Repository/sr:ListRecords[@metadataPrefix='edm']"):
        block.getparent().remove(block)
    every_format = schema("static-repository-all-validate.xsd")
    assert every_format.validate(others), every_format.error_log


def test_edm_alone_is_written_with_its_deleted_records(folder, catalogue):
    from tests.oai.edm_validation import problems, records_of

    catalogue[2].rights_uri = EDM_TAKES
    catalogue[2].save()
    path = folder / "edm.xml"
    static.write_list_records(path, "edm", base_url=f"{SITE}/oai", site_url=SITE)
    document = etree.parse(str(path))
    driver = schema("oai-pmh-edm-validate.xsd")
    assert driver.validate(document), driver.error_log
    assert xpath(document, "//oai:record[oai:metadata]/oai:header/oai:identifier/text()") == [
        f"oai:arkiv.example.org:{catalogue[2].identifier}"
    ]
    assert xpath(document, "//oai:header[@status='deleted']/oai:identifier/text()") == [
        f"oai:arkiv.example.org:{catalogue[0].identifier}"
    ]
    assert [problems(rdf) for rdf in records_of(document)] == [[]]
    assert static.count("edm") == 2
