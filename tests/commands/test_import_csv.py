import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from catalog.imports.plan import DATE_UNREADABLE
from catalog.models import Item, Statement
from tests.factories import CollectionFactory, ItemFactory, StatementFactory
from tests.imports.conftest import catalogue_state, image_bytes

pytestmark = pytest.mark.django_db


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_csv", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_csv", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(caught.value)


@pytest.fixture
def catalogue():
    CollectionFactory(identifier="finnmark")
    existing = ItemFactory(identifier="kir-001", title="Bridge")
    StatementFactory(item=existing, term="created", value="1944")
    return existing


def test_a_dry_run_prints_the_plan_and_changes_nothing(tmp_path, catalogue):
    path = tmp_path / "items.csv"
    path.write_text("identifier,type,dc:title@en,dcterms:created\nkir-001,StillImage,Bridge,1945\nkir-002,Text,Letter,1944-10\n")
    before = catalogue_state()

    out, err = command(path, "--dry-run")

    assert catalogue_state() == before
    assert out.splitlines() == [
        "Row 2 kir-001: changes",
        "    dcterms:created: 1944 → 1945",
        "Row 3 kir-002: new item",
        "    type: Text",
        "    dc:title@en: Letter",
        "    dcterms:created: 1944-10",
        "1 item(s) would be created, 1 updated, 0 unchanged; 0 row(s) with errors.",
    ]


def test_importing_applies_the_plan_and_prints_a_summary(tmp_path, catalogue):
    path = tmp_path / "items.csv"
    path.write_text("identifier,type,collections,dc:title@en\nkir-001,StillImage,finnmark,Bridge\nkir-002,Text,,Letter\n")

    out, _ = command(path)

    assert out == "1 item(s) were created, 1 updated, 0 unchanged; 0 row(s) with errors.\n"
    assert list(Item.objects.values_list("identifier", flat=True)) == ["kir-001", "kir-002"]
    assert catalogue.collections.get().identifier == "finnmark"


def test_errors_are_printed_with_row_and_column_and_nothing_is_imported(tmp_path, catalogue):
    path = tmp_path / "items.csv"
    path.write_text("identifier,type,dcterms:created\nkir-002,Text,1945\nkir-003,Text,in the war\n")
    before = catalogue_state()

    out, err, message = failing(path)

    assert catalogue_state() == before
    assert err == f"Row 3, dcterms:created: {DATE_UNREADABLE.format(value='in the war')}\n"
    assert message.startswith("1 row(s) have errors, so nothing was imported")
    assert "would have been created" in out


def test_a_dry_run_with_errors_fails_too_so_scripts_notice(tmp_path, catalogue):
    path = tmp_path / "items.csv"
    path.write_text("identifier,type\nkir-002,Photo\n")
    _, err, message = failing(path, "--dry-run")
    assert "“Photo” is not a DCMI type" in err
    assert message == "Some rows have errors: see above."



def test_a_dry_run_speaks_the_archivists_language(tmp_path, catalogue):
    """LANGUAGE_CODE=nb, or any active language: the plan, the errors and the summary in it."""
    path = tmp_path / "items.csv"
    path.write_text("identifier,type,dcterms:created\nkir-001,StillImage,1945\nkir-003,Text,in the war\n")

    with translation.override("nb"):
        out, err, message = failing(path, "--dry-run")
        unreadable = DATE_UNREADABLE.format(value="in the war")

    assert unreadable.startswith("«in the war» er ikke en dato Arkiv kan lese")
    assert err == f"Rad 3, dcterms:created: {unreadable}\n"
    assert out.splitlines() == [
        "Rad 2 kir-001: endringer",
        "    dcterms:created: 1944 → 1945",
        "Objekter som ville blitt opprettet: 0, endret: 1, uendret: 0; rader med feil: 1.",
    ]
    assert message == "Noen rader har feil: se ovenfor."


def test_the_help_speaks_the_archivists_language():
    from catalog.management.commands.import_csv import Command

    with translation.override("nb"):
        help_text = Command().create_parser("manage.py", "import_csv").format_help()

    assert "Importer objekter fra en CSV-fil" in " ".join(help_text.split())
    assert "vis planen; ikke endre noe" in help_text

def test_skip_bad_rows_imports_the_others(tmp_path, catalogue):
    path = tmp_path / "items.csv"
    path.write_text("identifier,type\nkir-002,Text\nkir-003,Photo\n")
    out, err = command(path, "--skip-bad-rows")
    assert out.endswith("1 row(s) with errors (skipped).\n")
    assert Item.objects.filter(identifier="kir-002").exists()


def test_unreadable_dates_may_be_accepted(tmp_path, catalogue):
    path = tmp_path / "items.csv"
    path.write_text("identifier,dcterms:created\nkir-001,s.d.\n")
    command(path, "--accept-unreadable-dates")
    catalogue.refresh_from_db()
    assert (catalogue.date_text, catalogue.date_unparsed) == ("s.d.", True)


def test_create_authorities_and_files_options(tmp_path, catalogue):
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "bridge.png").write_bytes(image_bytes())
    path = tmp_path / "items.csv"
    path.write_text("identifier,dc:creator,files\nkir-001,Ivan Petrov,bridge.png\n")

    command(path, "--create-authorities", "--files", tmp_path / "scans")

    creator = Statement.objects.get(item=catalogue, term="creator")
    assert creator.authority.preferred_label == "Ivan Petrov"
    assert catalogue.files.get().original_name == "bridge.png"


def test_a_file_that_cannot_be_read_is_explained(tmp_path, catalogue):
    path = tmp_path / "items.csv"
    path.write_bytes("identifier,dc:title\nkir-001,Vardø\n".encode("latin-1"))
    _, err, message = failing(path)
    assert err.startswith("Row 2: The bytes f8 0a at offset 32 are not UTF-8.")
    assert message == "The file cannot be imported as it is: see the errors. Nothing was changed."


def test_paths_that_are_not_there_are_refused(tmp_path):
    assert "is not a file" in failing(tmp_path / "missing.csv")[2]
    (tmp_path / "a.csv").write_text("identifier\n")
    assert "is not a folder" in failing(tmp_path / "a.csv", "--files", tmp_path / "nowhere")[2]


def test_export_csv_writes_a_file_the_import_reads_back_unchanged(tmp_path, catalogue):
    path = tmp_path / "export.csv"
    call_command("export_csv", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert path.read_text(encoding="utf-8-sig").splitlines()[0] == "identifier,type,status,rights_uri,level,parent,local_code,arrangement,collections,dc:title@en,dcterms:created,files,full_text"
    out, _ = command(path, "--dry-run")
    assert out.endswith("0 item(s) would be created, 0 updated, 1 unchanged; 0 row(s) with errors.\n")


def test_export_csv_can_limit_to_published_items_or_a_collection(tmp_path, catalogue):
    ItemFactory(identifier="kir-002", status=Item.PUBLISHED).collections.add(CollectionFactory(identifier="letters"))
    out = io.StringIO()
    call_command("export_csv", "--published", stdout=out)
    assert [line.split(",")[0] for line in out.getvalue().splitlines()] == ["\ufeffidentifier", "kir-002"]
    out = io.StringIO()
    call_command("export_csv", "--collection", "letters", stdout=out)
    assert len(out.getvalue().splitlines()) == 2
    with pytest.raises(CommandError, match="There is no collection “nowhere”"):
        call_command("export_csv", "--collection", "nowhere", stdout=io.StringIO())
