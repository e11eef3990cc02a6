from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from catalog.imports import apply as apply_module
from catalog.imports import csv as engine
from catalog.imports import plan
from catalog.imports.reader import TOO_MANY_COLUMNS
from catalog.models import Authority, DigitalFile, Item, Statement, Tombstone
from catalog.search import search_items
from catalog.services import PUBLISH_DENIED
from catalog.validators import TOO_MANY_STATEMENTS
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory, VariantFactory

from .conftest import all_entries, catalogue_state, image_bytes

pytestmark = pytest.mark.django_db

HEADER = "identifier,type,status,collections,dc:title@en,dcterms:created,dc:subject\n"


def item(identifier):
    return Item.objects.get(identifier=identifier)


def values(identifier, term, lang=None):
    statements = Statement.objects.filter(item__identifier=identifier, term=term).order_by("position", "pk")
    if lang is not None:
        statements = statements.filter(lang=lang)
    return [s.display_value for s in statements]


def age(*items, by=timedelta(days=30)):
    """Move items' datestamps into the past, so a bump shows."""
    past = timezone.now() - by
    Item.objects.filter(pk__in=[i.pk for i in items]).update(modified=past)
    return past


# --- creating -------------------------------------------------------------------------------

def test_a_row_with_a_new_identifier_creates_an_item_with_statements_collections_and_caches(run):
    CollectionFactory(identifier="finnmark")
    AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation")
    result, store = run(HEADER + "kir-001,StillImage,published,finnmark,Bridge at Jakobselv,circa 1945,Liberation | liberation\n", apply=True)

    assert result.applied and result.counts["create"] == 1
    created = item("kir-001")
    assert (created.dcmi_type, created.status, created.ever_published) == ("StillImage", "published", True)
    assert [c.identifier for c in created.collections.all()] == ["finnmark"]
    assert values("kir-001", "title", "en") == ["Bridge at Jakobselv"]
    assert values("kir-001", "subject") == ["Liberation", "Liberation"]
    assert created.sort_title == "Bridge at Jakobselv"
    assert (created.date_earliest.year, created.date_latest.year, created.date_unparsed) == (1945, 1945, False)
    assert list(search_items(Item.objects.all(), "Jakobselv")) == [created]


def test_a_new_item_defaults_to_draft_and_needs_a_type(run):
    result, store = run("identifier,dc:title\nkir-001,Bridge\n", apply=True)
    assert not result.applied
    [error] = store.errors()
    assert (error["row"], error["column"]) == (2, "type")
    assert error["message"].startswith("kir-001 is a new item and needs a type")

    run("identifier,type,dc:title\nkir-001,text,Bridge\n", apply=True)
    assert (item("kir-001").status, item("kir-001").dcmi_type) == ("draft", "Text")


# --- updating -------------------------------------------------------------------------------

def test_an_unchanged_row_changes_nothing_not_even_the_datestamp(run):
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    StatementFactory(item=existing, term="created", value="1945", position=5)
    age(existing)
    before = catalogue_state()

    result, store = run("identifier,type,dc:title@en,dcterms:created\nkir-001,StillImage,  Bridge ,1945\n", apply=True)

    assert result.counts == {"create": 0, "update": 0, "unchanged": 1, "error": 0}
    assert catalogue_state() == before


def test_a_column_missing_from_the_file_keeps_its_values(run):
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    StatementFactory(item=existing, term="subject", value="Bridges")
    StatementFactory(item=existing, term="title", value="Brua", lang="nb")

    run("identifier,dcterms:created\nkir-001,1945\n", apply=True)

    assert values("kir-001", "title") == ["Bridge", "Brua"]
    assert values("kir-001", "subject") == ["Bridges"]
    assert values("kir-001", "created") == ["1945"]


def test_a_title_column_in_one_language_leaves_the_other_languages_alone(run):
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    StatementFactory(item=existing, term="title", value="Brua", lang="nb")

    run("identifier,dc:title@en\nkir-001,The bridge\n", apply=True)

    assert values("kir-001", "title", "en") == ["The bridge"]
    assert values("kir-001", "title", "nb") == ["Brua"]


def test_an_empty_cell_clears_the_column_and_the_preview_says_so(run):
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    StatementFactory(item=existing, term="description", value="A wooden bridge")
    StatementFactory(item=existing, term="description", value="Seen from Norway")

    result, store = run("identifier,dc:description\nkir-001,\n")
    [entry] = store.entries(["update"])
    assert entry["changes"] == [{
        "column": "dc:description", "old": ["A wooden bridge", "Seen from Norway"], "new": [],
        "notes": [plan.CLEARED],
    }]

    run("identifier,dc:description\nkir-001,\n", apply=True)
    assert values("kir-001", "description") == []
    assert values("kir-001", "title") == ["Bridge"]


def test_a_diff_shows_each_changed_column_old_and_new(run):
    existing = ItemFactory(identifier="kir-001", title="Bridge", dcmi_type="Image")
    StatementFactory(item=existing, term="created", value="1944")

    data = "identifier,type,dc:title@en,dcterms:created,dc:subject\nkir-001,Image,Bridge,1945-09-24,Bridges | Rivers\n"
    result, store = run(data, create_authorities=True)

    [entry] = store.entries(["update"])
    assert entry["changes"] == [
        {"column": "dcterms:created", "old": ["1944"], "new": ["1945-09-24"], "notes": []},
        {"column": "dc:subject", "old": [], "new": ["Bridges", "Rivers"], "notes": [
            "“Bridges” will be a new concept record", "“Rivers” will be a new concept record",
        ]},
    ]

def test_changed_values_keep_their_statements_and_positions(run):
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    first = StatementFactory(item=existing, term="description", value="one", position=3)
    StatementFactory(item=existing, term="description", value="two", position=4)

    run("identifier,dc:description\nkir-001,one | 2 | three\n", apply=True)

    rows = list(Statement.objects.filter(item=existing, term="description").order_by("position").values_list("pk", "value", "position"))
    assert rows[0] == (first.pk, "one", 3)
    assert [(v, p) for _, v, p in rows[1:]] == [("2", 4), ("three", 5)]


def test_a_changed_title_refreshes_the_sort_title_and_a_new_date_the_date_range(run):
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    run("identifier,dc:title@en,dc:date\nkir-001,A bridge,1940s\n", apply=True)
    existing.refresh_from_db()
    assert existing.sort_title == "A bridge"
    assert (existing.date_earliest.year, existing.date_latest.year) == (1940, 1949)


def test_full_text_is_imported_and_searchable(run):
    ItemFactory(identifier="kir-001", title="Bridge")
    run('identifier,full_text\nkir-001,"Dear Sir,\nthe troops crossed the Jakobselv."\n', apply=True)
    assert item("kir-001").full_text == "Dear Sir,\nthe troops crossed the Jakobselv."
    assert list(search_items(Item.objects.all(), "troops")) == [item("kir-001")]


def test_cells_neutralised_against_formulas_are_read_back_as_written(run):
    run("identifier,type,dc:title,dc:description\nkir-001,Text,'=Bridge,'-5 degrees\n", apply=True)
    assert values("kir-001", "title") == ["=Bridge"]
    assert values("kir-001", "description") == ["-5 degrees"]


# --- authorities ----------------------------------------------------------------------------

def test_a_variant_spelling_links_the_authority_record(run):
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff")
    VariantFactory(authority=diakonoff, label="Igor Dyakonov")
    ItemFactory(identifier="kir-001")

    result, store = run("identifier,dc:creator\nkir-001,igor  DYAKONOV\n", apply=True)

    statement = Statement.objects.get(item__identifier="kir-001", term="creator")
    assert (statement.value, statement.authority) == ("igor  DYAKONOV", diakonoff)
    [entry] = store.entries(["update"])
    assert entry["changes"][0]["notes"] == ["“igor  DYAKONOV” (a variant) is the agent record “Igor Diakonoff”"]


def test_a_linked_value_exported_as_its_preferred_label_is_unchanged(run):
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff")
    VariantFactory(authority=diakonoff, label="Igor Dyakonov")
    existing = ItemFactory(identifier="kir-001")
    StatementFactory(item=existing, term="creator", value="Dyakonov, I.", authority=diakonoff)
    StatementFactory(item=existing, term="subject", value="Bridges")  # linked to nothing

    result, _ = run("identifier,dc:creator,dc:subject\nkir-001,Igor Diakonoff,Bridges\n")
    assert result.counts["unchanged"] == 1


def test_names_that_match_no_record_are_errors_unless_records_may_be_created(run):
    ItemFactory(identifier="kir-001")
    ItemFactory(identifier="kir-002")
    data = "identifier,dc:creator,dcterms:spatial\nkir-001,Ivan Petrov,Pechenga\nkir-002,ivan petrov,\n"
    before = catalogue_state()

    result, store = run(data, apply=True)
    assert not result.applied and catalogue_state() == before
    messages = [(e["row"], e["column"], e["message"]) for e in store.errors()]
    assert messages[0] == (2, "dc:creator", "“Ivan Petrov” is not the name or a variant of any agent record: correct the spelling, add the record (or the variant) in the admin, or import with “create authorities” to add it.")
    assert messages[1][:2] == (2, "dcterms:spatial")

    result, store = run(data, apply=True, create_authorities=True)
    assert result.applied
    petrov = Authority.objects.get(preferred_label="Ivan Petrov")
    assert petrov.kind == "agent" and Authority.objects.get(preferred_label="Pechenga").kind == "place"
    assert set(Statement.objects.filter(term="creator").values_list("authority", flat=True)) == {petrov.pk}


def test_a_name_shared_by_two_records_of_a_kind_is_reported(run):
    first = AuthorityFactory(preferred_label="Nikolai Ivanov")
    second = AuthorityFactory(preferred_label="Nikolai Ivanov")
    ItemFactory(identifier="kir-001")

    result, store = run("identifier,dc:creator\nkir-001,Nikolai Ivanov\n", apply=True, create_authorities=True)

    [error] = store.errors()
    assert error["message"] == (
        f"“Nikolai Ivanov” matches 2 agent records ({first.slug}, {second.slug}): name the one you "
        f"mean by its address, as in “Nikolai Ivanov <{first.slug}>”, or merge the duplicates in the admin."
    )


def test_a_value_may_name_its_record_by_its_address(run):
    AuthorityFactory(preferred_label="Nikolai Ivanov")
    second = AuthorityFactory(preferred_label="Nikolai Ivanov")
    ItemFactory(identifier="kir-001")

    result, store = run(f"identifier,dc:creator\nkir-001,N. Ivanov <{second.slug}>\n", apply=True)

    statement = Statement.objects.get(term="creator")
    assert (statement.value, statement.authority) == ("N. Ivanov", second)
    assert store.entries(["update"])[0]["changes"][0]["notes"] == [
        f"“N. Ivanov” is the agent record “Nikolai Ivanov” ({second.slug})"
    ]
    result, _ = run(f"identifier,dc:creator\nkir-001,Nikolai Ivanov <{second.slug}>\n")
    assert result.counts["unchanged"] == 1


def test_an_address_must_name_a_record_of_a_fitting_kind(run):
    AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes", slug="kirkenes")
    ItemFactory(identifier="kir-001")
    ItemFactory(identifier="kir-002")
    result, store = run("identifier,dc:creator\nkir-001,Kirkenes <kirkenes>\nkir-002,X <nobody>\n", apply=True, create_authorities=True)
    assert [e["message"] for e in store.errors()] == [
        "“kirkenes” is a place record, and dc:creator takes agent records: name another record.",
        "No authority record has the address “nobody”: copy it from the record's page, or remove the <…> to match by name.",
    ]


def test_a_preferred_label_wins_over_a_variant_of_another_record(run):
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    concept = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation of Kirkenes")
    VariantFactory(authority=concept, label="Kirkenes")
    ItemFactory(identifier="kir-001")
    run("identifier,dc:subject\nkir-001,Kirkenes\n", apply=True)
    assert Statement.objects.get(term="subject").authority == place


def test_unreadable_dates_may_be_kept_as_written(run):
    ItemFactory(identifier="kir-001")
    result, store = run("identifier,dcterms:created\nkir-001,undated\n", apply=True, accept_unreadable_dates=True)
    assert store.entries(["update"])[0]["changes"][0]["notes"] == [plan.DATE_KEPT.format(value="undated")]
    kept = item("kir-001")
    assert (kept.date_text, kept.date_unparsed, kept.date_earliest) == ("undated", True, None)


@pytest.mark.parametrize("written, earliest, latest", [
    ("udatert", None, None), ("høsten 1944", "1944-09-01", "1944-11-30"), ("1945-05/..", "1945-05-01", None),
])
def test_norwegian_open_and_undated_dates_are_read_without_being_kept_as_unreadable(run, written, earliest, latest):
    ItemFactory(identifier="kir-001")
    result, store = run(f"identifier,dcterms:created\nkir-001,{written}\n", apply=True)
    assert store.entries(["update"])[0]["changes"][0]["notes"] == []
    dated = item("kir-001")
    assert (dated.date_text, dated.date_unparsed) == (written, False)
    assert (str(dated.date_earliest or ""), str(dated.date_latest or "")) == (earliest or "", latest or "")


# --- status, publishing, tombstones ---------------------------------------------------------

def staff(group):
    user = User.objects.create_user(group.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


def test_only_editors_may_import_rows_that_publish_or_withdraw(run):
    ItemFactory(identifier="kir-001", status=Item.PUBLISHED)
    data = "identifier,type,status,dc:title\nkir-001,StillImage,withdrawn,A\nkir-002,Text,published,B\nkir-003,Text,draft,C\n"
    before = catalogue_state()

    result, store = run(data, apply=True, user=staff("Cataloguer"))
    assert not result.applied and catalogue_state() == before
    assert [(e["row"], e["column"], e["message"]) for e in store.errors()] == [
        (2, "status", PUBLISH_DENIED), (3, "status", PUBLISH_DENIED),
    ]

    result, _ = run(data, apply=True, user=staff("Editor"))
    assert result.applied
    assert list(Item.objects.values_list("identifier", "status")) == [
        ("kir-001", "withdrawn"), ("kir-002", "published"), ("kir-003", "draft"),
    ]


def test_a_cataloguer_may_edit_a_published_item_without_changing_its_status(run):
    ItemFactory(identifier="kir-001", status=Item.PUBLISHED)
    result, _ = run("identifier,status,dc:description\nkir-001,published,New\n", apply=True, user=staff("Cataloguer"))
    assert result.applied and values("kir-001", "description") == ["New"]


def test_publishing_needs_a_title(run):
    ItemFactory(identifier="kir-001", title="Bridge")
    result, store = run("identifier,status,dc:title@en\nkir-001,published,\n", apply=True)
    assert not result.applied
    assert store.errors()[0]["message"] == "kir-001 has no title: give it a dc:title before publishing."


def test_withdrawing_a_published_item_leaves_a_tombstone_and_republishing_removes_it(run):
    collection = CollectionFactory(identifier="finnmark")
    published = ItemFactory(identifier="kir-001", status=Item.PUBLISHED)
    published.collections.add(collection)

    run("identifier,status\nkir-001,withdrawn\n", apply=True)
    tombstone = Tombstone.objects.get(identifier="kir-001")
    assert tombstone.item == published
    assert tombstone.set_spec_list() == ["finnmark", "type:StillImage"]

    run("identifier,status\nkir-001,published\n", apply=True)
    assert not Tombstone.objects.exists()


def test_datestamps_move_for_exactly_the_items_a_harvester_sees_changed(run):
    changed, same, text_only = (ItemFactory(identifier=f"kir-00{n}", title="T") for n in (1, 2, 3))
    past = age(changed, same, text_only)

    run("identifier,dc:title@en,full_text\nkir-001,New title,\nkir-002,T,\nkir-003,T,transcribed\n", apply=True)

    stamps = dict(Item.objects.values_list("identifier", "modified"))
    assert stamps["kir-001"] > past + timedelta(days=29)
    assert stamps["kir-002"] == past and stamps["kir-003"] == past
    assert item("kir-003").full_text == "transcribed"


# --- collections ----------------------------------------------------------------------------

def test_collections_are_named_by_code_and_replaced_as_a_set(run):
    a, b, c = (CollectionFactory(identifier=code) for code in "abc")
    existing = ItemFactory(identifier="kir-001")
    existing.collections.add(a, b)
    run("identifier,collections\nkir-001,c | b\n", apply=True)
    assert set(existing.collections.values_list("identifier", flat=True)) == {"b", "c"}


# --- files ----------------------------------------------------------------------------------

def test_files_named_in_the_files_column_are_ingested_through_imaging(run, tmp_path):
    folder = tmp_path / "scans"
    (folder / "box1").mkdir(parents=True)
    (folder / "box1" / "kir-001.png").write_bytes(image_bytes())
    ItemFactory(identifier="kir-001")

    result, store = run("identifier,files\nkir-001,box1/kir-001.png\n", apply=True, files_dir=folder)

    assert result.applied
    digital_file = DigitalFile.objects.get()
    assert (digital_file.original_name, digital_file.mime_type, digital_file.width) == ("kir-001.png", "image/png", 40)
    assert digital_file.thumbnail and digital_file.file.storage.exists(digital_file.thumbnail.name)

    result, _ = run("identifier,files\nkir-001,kir-001.png\n")
    assert result.counts["unchanged"] == 1


def test_an_import_never_removes_files(run, tmp_path):
    (tmp_path / "a.png").write_bytes(image_bytes())
    ItemFactory(identifier="kir-001")
    run("identifier,files\nkir-001,a.png\n", apply=True, files_dir=tmp_path)
    before = catalogue_state()

    result, store = run("identifier,files\nkir-001,\n", apply=True)

    assert not result.applied and catalogue_state() == before
    assert store.errors()[0]["message"].startswith("“a.png” is attached to this item but missing from the cell")


# --- one plan, previewed and applied --------------------------------------------------------

def test_the_applied_plan_is_the_previewed_plan_and_the_catalogue_ends_as_it_says(run):
    CollectionFactory(identifier="finnmark")
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff")
    VariantFactory(authority=diakonoff, label="Dyakonov")
    old = ItemFactory(identifier="kir-001", title="Bridge")
    StatementFactory(item=old, term="description", value="old text")
    data = (
        "identifier,type,collections,dc:title@en,dc:creator,dc:description\n"
        "kir-001,Text,finnmark,Bridge,Dyakonov | New Person,\n"
        "kir-002,StillImage,,Harbour,new person,A view\n"
    )

    preview, preview_store = run(data, create_authorities=True)
    applied, applied_store = run(data, apply=True, create_authorities=True, expected_digest=preview.digest)

    assert applied.applied and applied.digest == preview.digest
    assert all_entries(applied_store) == all_entries(preview_store)
    for entry in all_entries(preview_store):
        for change in entry["changes"]:
            column = change["column"]
            if column.startswith("dc"):
                term = column.split(":")[1].split("@")[0]
                assert values(entry["identifier"], term, "en" if "@en" in column else "") == change["new"] or \
                    [s.value for s in Statement.objects.filter(item__identifier=entry["identifier"], term=term).order_by("position")] == change["new"]
    assert Authority.objects.filter(preferred_label="New Person").count() == 1
    assert item("kir-001").dcmi_type == "Text"


def test_a_plan_that_changed_since_the_preview_is_not_applied(run):
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    data = "identifier,dc:description\nkir-001,New\n"
    preview, _ = run(data)
    StatementFactory(item=existing, term="description", value="Someone else's edit")
    before = catalogue_state()

    result, store = run(data, apply=True, expected_digest=preview.digest)

    assert not result.applied and result.message == engine.PLAN_CHANGED
    assert catalogue_state() == before
    assert store.entries(["update"])[0]["changes"][0]["old"] == ["Someone else's edit"]


# --- bad input: a clear message, and nothing changes -----------------------------------------

BAD_INPUT = {
    "not UTF-8": (
        "identifier,type,dc:title\nkir-009,Text,Vard".encode() + "ø\n".encode("latin-1"),
        (2, "", "The bytes f8 0a at offset 42 are not UTF-8"),
    ),
    "mixed encodings": (
        "identifier,type,dc:title\nkir-009,Text,Vardø\nkir-010,Text,".encode() + "Båtsfjord\n".encode("cp1252"),
        (3, "", "The bytes e5 74 73 66 at offset"),
    ),
    "UTF-16": ("identifier,type\nkir-009,Text\n".encode("utf-16"), (None, "", "The file is saved as UTF-16")),
    "empty file": (b"", (None, "", "The file is empty")),
    "header only": (b"identifier,type,dc:title\n", (None, "", "The file has a header row but no rows of items")),
    "no identifier column": (b"type,dc:title\nText,A\n", (1, "", "The header row has no “identifier” column")),
    "duplicate identifier column": (b"identifier,type,identifier\nkir-009,Text,kir-009\n", (1, "", "Columns A and C are both “identifier”")),
    "unknown column": (b"identifier,type,dc:titel\nkir-009,Text,A\n", (1, "", "Column C “dc:titel” is not a column Arkiv knows")),
    "bad language tag": (b"identifier,type,dc:title@norsk!\nkir-009,Text,A\n", (1, "", "Column C “dc:title@norsk!”: “norsk!” is not a BCP 47 language tag")),
    "missing identifier": (b"identifier,type,dc:title\nkir-009,Text,A\n,Text,B\n", (3, "identifier", "The identifier is empty")),
    "invalid identifier": (b"identifier,type,dc:title\nkir 9/x,Text,A\n", (2, "identifier", "“kir 9/x” cannot be an identifier")),
    "same identifier twice": (b"identifier,type,dc:title\nkir-009,Text,A\nkir-009,Text,B\n", (3, "identifier", "kir-009 is also in row 2")),
    "unreadable date": (b"identifier,type,dcterms:created\nkir-009,Text,sometime in the war\n", (2, "dcterms:created", "“sometime in the war” is not a date Arkiv can read")),
    "unknown DCMI type": (b"identifier,type\nkir-009,Photograph\n", (2, "type", "“Photograph” is not a DCMI type: use one of Collection")),
    "unknown status": (b"identifier,type,status\nkir-009,Text,public\n", (2, "status", "“public” is not a status")),
    "unknown collection": (b"identifier,type,collections\nkir-009,Text,nowhere\n", (2, "collections", "“nowhere” is not a collection")),
    "too many cells": (b"identifier,type,dc:title\nkir-009,Text,A,B\n", (2, "", "The row has 4 cells but the header names 3 columns")),
    "too few cells": (b"identifier,type,dc:title\nkir-009,Text\n", (2, "", "The row has 2 cells but the header names 3 columns")),
    "unclosed quote": (b'identifier,type,dc:title\nkir-009,Text,"A\nkir-010,Text,B\n', (2, "", "A quote (\") opens a cell and is never closed")),
    "text after a quote": (b'identifier,type,dc:title\nkir-009,Text,"A" B\n', (2, "", "Text follows the quote")),
}


@pytest.fixture
def catalogue():
    """A small catalogue that bad input must leave exactly as it is."""
    CollectionFactory(identifier="finnmark")
    existing = ItemFactory(identifier="kir-001", title="Bridge", status=Item.PUBLISHED)
    StatementFactory(item=existing, term="created", value="1945")
    age(existing)
    return catalogue_state()


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_reported_and_changes_nothing(run, catalogue, case):
    data, expected = BAD_INPUT[case]
    # Where a good row comes before the bad one, the failure must undo its work too.
    result, store = run(data, apply=True)

    assert not result.applied
    assert catalogue_state() == catalogue
    if expected:
        row, column, start = expected
        assert any(
            (e["row"], e["column"]) == (row, column) and e["message"].startswith(start) for e in store.errors()
        ), store.errors()


def test_a_good_row_before_a_bad_one_is_undone(run, catalogue):
    data = b"identifier,type,dc:title\nkir-001,StillImage,Changed\nkir-002,Text,New\nkir-003,Bogus,X\n"
    result, store = run(data, apply=True)
    assert not result.applied and catalogue_state() == catalogue
    assert result.message.startswith("1 row(s) have errors, so nothing was imported")


def test_a_file_that_is_not_there_or_not_an_image_is_reported(run, catalogue, tmp_path):
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "page.jpg").write_bytes(b"<!doctype html><html></html>")
    data = b"identifier,type,files\nkir-009,Text,missing.png\nkir-010,Text,notes.txt\nkir-011,Text,page.jpg\nkir-012,Text,../etc/passwd\n"

    result, store = run(data, apply=True, files_dir=tmp_path)

    assert not result.applied and catalogue_state() == catalogue
    messages = [(e["row"], e["column"], e["message"]) for e in store.errors()]
    assert messages == [
        (2, "files", plan.FILE_MISSING.format(name="missing.png")),
        (3, "files", "“notes.txt” is not a JPEG, PNG, TIFF, GIF, WebP or PDF file: the type is read from the content, not from the name, so save or export the file in one of these formats and upload it again."),
        (4, "files", "“page.jpg” is not a JPEG, PNG, TIFF, GIF, WebP or PDF file but a web page (HTML): the type is read from the content, not from the name, so save or export the file in one of these formats and upload it again."),
        (5, "files", plan.FILE_BAD_NAME.format(name="../etc/passwd")),
    ]


def test_files_without_a_folder_are_reported(run, catalogue):
    result, store = run(b"identifier,type,files\nkir-009,Text,a.png\n", apply=True)
    assert store.errors()[0]["message"].startswith("“a.png” is not attached to this item, and no files came with the import")


def test_a_gigabyte_file_is_read_as_a_stream_and_changes_nothing(run, catalogue):
    from .streams import GeneratedFile

    stream = GeneratedFile(b'identifier,type,dc:title\nkir-009,Text,"unclosed\n', b"text " * 200 + b"\n", 1 << 30)
    result, store = run(stream, apply=True)
    assert not result.applied and catalogue_state() == catalogue
    assert "A cell is longer than 16 MB" in store.errors()[0]["message"]
    assert stream.position < 64 << 20


def test_bad_rows_may_be_skipped(run, catalogue):
    data = b"identifier,type,dc:title\nkir-002,Text,New\nkir-003,Bogus,X\n"
    result, store = run(data, apply=True, skip_bad_rows=True)
    assert result.applied and result.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 1}
    assert list(Item.objects.values_list("identifier", flat=True)) == ["kir-001", "kir-002"]


# --- caps: a clear message, and nothing changes ---------------------------------------------

def test_a_file_wider_than_the_column_cap_is_refused_and_changes_nothing(run, catalogue, settings):
    settings.ARKIV_MAX_CSV_COLUMNS = 4
    result, store = run(b"identifier,type,dc:title,dc:subject,dc:description\nkir-009,Text,A,B,C\n", apply=True)

    assert not result.applied and not result.readable
    assert catalogue_state() == catalogue
    assert [(e["row"], e["message"]) for e in store.errors()] == [(1, TOO_MANY_COLUMNS % {"count": 5, "limit": 4})]


def test_a_row_of_empty_cells_beyond_the_column_cap_stops_the_file(run, catalogue, settings):
    settings.ARKIV_MAX_CSV_COLUMNS = 4
    data = b"identifier,type,dc:title\nkir-009,Text,A\nkir-010,Text,B" + b"," * 100_000 + b"\n"

    result, store = run(data, apply=True)

    assert not result.applied and catalogue_state() == catalogue
    assert [(e["row"], e["message"]) for e in store.errors()] == [(3, TOO_MANY_COLUMNS % {"count": 100_003, "limit": 4})]


def test_a_row_beyond_the_statement_cap_is_refused_and_changes_nothing(run, catalogue, settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 3
    result, store = run("identifier,type,dc:title,dc:description\nkir-009,Text,A,x | y | z\n", apply=True)

    assert not result.applied and catalogue_state() == catalogue
    message = TOO_MANY_STATEMENTS % {"identifier": "kir-009", "count": 4, "limit": 3}
    assert [(e["row"], e["column"], e["message"]) for e in store.errors()] == [(2, "", message)]


def test_the_statement_cap_counts_what_a_row_keeps_and_what_it_replaces(run, catalogue, settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 3  # kir-001 has a title and a created date

    result, store = run("identifier,dc:description\nkir-001,x | y\n", apply=True)
    assert not result.applied and catalogue_state() == catalogue
    assert store.errors()[0]["message"] == TOO_MANY_STATEMENTS % {"identifier": "kir-001", "count": 4, "limit": 3}

    result, store = run("identifier,dcterms:created,dc:description\nkir-001,,x | y\n", apply=True)
    assert result.applied
    assert values("kir-001", "description") == ["x", "y"] and values("kir-001", "created") == []


# --- atomicity ------------------------------------------------------------------------------

@pytest.mark.parametrize("failure", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_failure_in_the_middle_of_applying_changes_nothing(run, catalogue, monkeypatch, tmp_path, failure):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    (tmp_path / "a.png").write_bytes(image_bytes())
    written = []
    real_write = apply_module.Writer.write

    def write_then_fail(self, plans):
        if written:
            raise failure
        real_write(self, plans)
        written.append(len(plans))

    monkeypatch.setattr(apply_module.Writer, "write", write_then_fail)
    data = b"identifier,type,dc:title,files\nkir-001,Text,Changed,\nkir-002,Text,New,a.png\nkir-003,Text,Later,\n"

    with pytest.raises(type(failure)):
        run(data, apply=True, files_dir=tmp_path)

    assert written == [2]  # the first chunk was written, the ingested file stored, then undone
    assert catalogue_state() == catalogue


# --- cost -----------------------------------------------------------------------------------

def test_planning_costs_a_fixed_number_of_queries_per_chunk(run, django_assert_max_num_queries):
    for n in range(60):
        ItemFactory(identifier=f"kir-{n:03d}")
    rows = "".join(f"kir-{n:03d},StillImage,Item kir-{n:03d},1945\n" for n in range(60))
    with django_assert_max_num_queries(8):
        result, _ = run("identifier,type,dc:title@en,dcterms:created\n" + rows)
    assert result.counts["update"] == 60


# --- the example in fixtures/ ---------------------------------------------------------------

def test_the_example_file_imports_cleanly(run):
    from django.conf import settings

    data = (settings.BASE_DIR / "fixtures" / "example-import.csv").read_bytes()
    result, store = run(data, apply=True, create_authorities=True)
    assert result.applied and result.counts["create"] == 4, store.errors()
    assert values("example-2014-victory-march", "description", "en")[0].endswith("Seiersmarsj | Victory march.")
    assert values("example-diakonoff-memoirs", "creator") == ["Igor Dyakonov"]
