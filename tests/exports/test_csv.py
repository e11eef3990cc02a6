import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from lxml import etree

from catalog.exports import csv as csv_export
from catalog.exports.csv import csv_response, write
from catalog.models import Item, Level, Statement, Tombstone
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory
from tests.imports.conftest import catalogue_state, run  # noqa: F401  (run is a fixture)

pytestmark = pytest.mark.django_db

OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}


def read_response(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_csv_response_streams_one_row_per_item_in_the_import_layout():
    collection = CollectionFactory(identifier="finnmark")
    item = ItemFactory(identifier="kir-001", title="Bridge over the Jakobselv")
    item.collections.add(collection)
    agent = AuthorityFactory(preferred_label="Diakonoff, Igor")
    StatementFactory(item=item, term="creator", value="Diakonov", authority=agent)
    StatementFactory(item=item, term="subject", value="Soviet troops | border", lang="en")
    StatementFactory(item=item, term="title", value="Brua", lang="nb")

    response = csv_response(Item.objects.all(), "items.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="items.csv"'
    [row] = read_response(response)
    assert row["identifier"] == "kir-001"
    assert row["type"] == "StillImage"
    assert row["collections"] == "finnmark"
    assert row["dc:title@en"] == "Bridge over the Jakobselv"
    assert row["dc:title@nb"] == "Brua"
    assert row["dc:creator"] == "Diakonoff, Igor"
    assert row["dc:subject@en"] == r"Soviet troops \| border"


def test_a_name_two_records_share_is_written_with_the_record_address():
    item = ItemFactory(identifier="kir-001", title="Letter")
    first = AuthorityFactory(preferred_label="Anna Hansen")
    second = AuthorityFactory(preferred_label="anna  hansen")
    unique = AuthorityFactory(preferred_label="Ole Dahl")
    for position, record in enumerate((first, second, unique), start=1):
        StatementFactory(item=item, term="creator", value="x", authority=record, position=position)

    [row] = read_response(csv_response(Item.objects.all(), "items.csv"))

    assert row["dc:creator"] == f"Anna Hansen <{first.slug}> | anna  hansen <{second.slug}> | Ole Dahl"


def test_cells_that_a_spreadsheet_would_run_are_neutralised():
    item = ItemFactory(title="=HYPERLINK(\"http://evil\")")
    Statement.objects.create(item=item, term="description", value="-5 degrees", position=2)

    [row] = read_response(csv_response(Item.objects.all(), "items.csv"))

    assert row["dc:title@en"] == "'=HYPERLINK(\"http://evil\")"
    assert row["dc:description"] == "'-5 degrees"


def export_all():
    stream = io.StringIO()
    write(Item.objects.order_by("identifier"), stream)
    return stream.getvalue().encode()


def test_export_then_import_of_a_synthetic_catalogue_reports_every_row_unchanged(run):
    call_command("generate_catalog", "400", "--seed", "7", stdout=io.StringIO(), stderr=io.StringIO())
    before = catalogue_state()

    result, store = run(export_all(), apply=True)

    assert result.counts == {"create": 0, "update": 0, "unchanged": 400, "error": 0}, store.errors()[:3]
    assert catalogue_state() == before


def test_a_catalogue_exported_deleted_and_imported_again_links_the_same_records(run):
    call_command("generate_catalog", "300", "--seed", "8", stdout=io.StringIO(), stderr=io.StringIO())
    linked = sorted(Statement.objects.filter(authority__isnull=False).values_list("item__identifier", "term", "authority_id"))
    placed = sorted(Item.objects.values_list("identifier", "parent__identifier", "reference", "level__code"))
    data = export_all()
    Item.objects.update(parent=None)  # a parent is protected while units are below it
    Item.objects.all().delete()
    Tombstone.objects.all().delete()

    result, store = run(data, apply=True, accept_unreadable_dates=True)

    assert result.counts["create"] == 300 and result.applied, store.errors()[:3]
    assert sorted(Statement.objects.filter(authority__isnull=False).values_list("item__identifier", "term", "authority_id")) == linked
    assert sorted(Item.objects.values_list("identifier", "parent__identifier", "reference", "level__code")) == placed


# --- the demo catalogue, through a spreadsheet and back ---------------------------------------

def load_demo():
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)


def test_export_then_import_of_the_demo_catalogue_reports_every_row_unchanged(run):
    load_demo()
    before = catalogue_state()

    result, store = run(export_all(), apply=True)

    assert result.counts == {"create": 0, "update": 0, "unchanged": Item.objects.count(), "error": 0}, store.errors()[:3]
    assert catalogue_state() == before


def edit(data, identifier, column, change):
    """The CSV `data` with one cell of one row changed by `change(old cell) -> new cell`."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    index = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == identifier:
            row[index] = change(row[index])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_an_archivist_fixes_a_date_and_adds_a_subject_and_harvesters_see_exactly_those_items(run, client):
    load_demo()
    data = export_all()
    data = edit(data, "finnmark-1945-photo-troops-leaving", "dcterms:created", lambda old: "1945-09")
    data = edit(data, "finnmark-1945-photo-jakobselv-bridge", "dc:subject@en", lambda old: f"{old} | Liberation of Finnmark")

    preview, store = run(data)
    assert preview.counts == {"create": 0, "update": 2, "unchanged": Item.objects.count() - 2, "error": 0}
    assert sorted((e["identifier"], e["changes"]) for e in store.entries(["update"])) == [
        ("finnmark-1945-photo-jakobselv-bridge", [
            {"column": "dc:subject@en", "old": ["Withdrawal of Soviet troops from Norway", "Norwegian-Soviet border"],
             "new": ["Withdrawal of Soviet troops from Norway", "Norwegian-Soviet border", "Liberation of Finnmark"],
             "notes": ["“Liberation of Finnmark” is the concept record “Liberation of Finnmark”"]},
        ]),
        ("finnmark-1945-photo-troops-leaving", [
            {"column": "dcterms:created", "old": ["September 1945"], "new": ["1945-09"], "notes": []},
        ]),
    ]
    harvested_until = Item.objects.order_by("-modified").values_list("modified", flat=True)[0]

    applied, _ = run(data, apply=True, expected_digest=preview.digest)
    assert applied.applied

    page = client.get("/items/finnmark-1945-photo-troops-leaving/").content.decode()
    assert "1945-09" in page
    page = client.get("/items/finnmark-1945-photo-jakobselv-bridge/").content.decode()
    assert "Liberation of Finnmark" in page
    since = (harvested_until + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": since})
    identifiers = etree.fromstring(response.content).xpath("//oai:header/oai:identifier/text()", namespaces=OAI)
    assert sorted(identifiers) == [
        f"oai:{settings.ARKIV_REPOSITORY_ID}:finnmark-1945-photo-jakobselv-bridge",
        f"oai:{settings.ARKIV_REPOSITORY_ID}:finnmark-1945-photo-troops-leaving",
    ]


def test_an_export_costs_the_same_queries_however_many_items_a_chunk_holds(monkeypatch):
    def exported(count):
        Item.objects.all().delete()
        collection = CollectionFactory()
        agent = AuthorityFactory(preferred_label="Igor Diakonoff")
        for n in range(count):
            item = ItemFactory(identifier=f"item-{n}")
            item.collections.add(collection)
            StatementFactory(item=item, term="creator", value="Diakonov", authority=agent)
        with CaptureQueriesContext(connection) as captured:
            assert write(Item.objects.order_by("identifier"), io.StringIO()) == count
        return len(captured.captured_queries)

    # The columns, the shared names, the items; per chunk its statements, records, collections, files.
    assert exported(2) == exported(9) == 3 + 4
    monkeypatch.setattr(csv_export, "CHUNK_SIZE", 4)
    assert exported(9) == 3 + 4 * 3


def test_the_header_names_terms_by_their_keys_whatever_the_language():
    """The term labels are translated (catalog/dublincore.py); the columns a file is read back
    by are not: an export made on a Norwegian page imports anywhere."""
    item = ItemFactory(identifier="kir-001", title="Bridge over the Jakobselv")
    StatementFactory(item=item, term="alternative", value="Brua over grenseelva", lang="nb")
    StatementFactory(item=item, term="created", value="1945-09")
    headers = {}
    for language in ("en", "nb"):
        with translation.override(language):
            body = b"".join(csv_response(Item.objects.all(), "items.csv").streaming_content).decode("utf-8")
            headers[language] = body[1:].splitlines()[0]
    assert headers["nb"] == headers["en"]
    assert headers["nb"].split(",")[9:12] == ["dc:title@en", "dcterms:alternative@nb", "dcterms:created"]


# --- the arrangement --------------------------------------------------------------------------

def arranged_catalogue():
    """A fonds, its series and files, items in them (one without a local code, one a draft),
    and an item nobody arranged; each saved as the admin saves it."""
    def unit(identifier, parent=None, level="item", code="", status=Item.PUBLISHED, title=None):
        made = ItemFactory(identifier=identifier, status=status, title=title, dcmi_type="Collection" if level != "item" else "Text")
        made.parent, made.level, made.local_code = parent, Level.objects.get(code=level), code
        made.save()
        return made

    fonds = unit("ksam", level="collection", code="KSAM", title="Kirkenes local history society")
    documents = unit("ksam-doc", fonds, "series", "A", title="Documents")
    photographs = unit("ksam-foto", fonds, "series", "B", title="Photographs")
    letters = unit("ksam-doc-1", documents, "file", "1", title="Letters")
    unit("note-0924", letters, code="7", title="Note of 24 September 1945")
    unit("letter-1945", letters, title="Letter, undated", status=Item.DRAFT)
    unit("bridge", photographs, "item", "1", title="Bridge over the Jakobselv")
    unit("loose", title="A photograph nobody arranged")


def test_the_export_writes_each_units_level_parent_and_local_code():
    arranged_catalogue()

    rows = {row["identifier"]: row for row in read_response(csv_response(Item.objects.all(), "items.csv"))}

    assert (rows["ksam"]["level"], rows["ksam"]["parent"], rows["ksam"]["local_code"]) == ("collection", "", "KSAM")
    assert (rows["ksam-doc-1"]["level"], rows["ksam-doc-1"]["parent"], rows["ksam-doc-1"]["local_code"]) == ("file", "ksam-doc", "1")
    assert (rows["letter-1945"]["level"], rows["letter-1945"]["parent"], rows["letter-1945"]["local_code"]) == ("item", "ksam-doc-1", "")
    assert (rows["loose"]["level"], rows["loose"]["parent"]) == ("item", "")


def test_export_then_import_of_an_arranged_catalogue_reports_every_row_unchanged(run):
    arranged_catalogue()
    before = catalogue_state()
    stream = io.StringIO()
    # In identifier order some units come before their parents; the importer takes any order.
    write(Item.objects.order_by("-identifier"), stream)

    result, store = run(stream.getvalue().encode(), apply=True)

    assert result.counts == {"create": 0, "update": 0, "unchanged": Item.objects.count(), "error": 0}, store.errors()[:3]
    assert catalogue_state() == before


def test_the_command_exports_every_parent_before_its_children(tmp_path):
    arranged_catalogue()
    path = tmp_path / "export.csv"

    call_command("export_csv", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    seen = set()
    for row in rows:
        assert not row["parent"] or row["parent"] in seen, row["identifier"]
        seen.add(row["identifier"])
    assert len(rows) == Item.objects.count()


def test_the_parents_of_a_chunk_cost_one_query(monkeypatch):
    arranged_catalogue()
    monkeypatch.setattr(csv_export, "CHUNK_SIZE", 4)

    with CaptureQueriesContext(connection) as captured:
        assert write(Item.objects.order_by("identifier"), io.StringIO()) == 8

    # The columns, the shared names, the items; per chunk (two) its statements, collections,
    # parents and files (no records: nothing links one).
    assert len(captured.captured_queries) == 3 + 4 * 2
    Item.objects.filter(parent__isnull=False).update(parent=None)
    with CaptureQueriesContext(connection) as captured:
        write(Item.objects.order_by("identifier"), io.StringIO())
    assert len(captured.captured_queries) == 3 + 3 * 2  # no parents: no query for them
