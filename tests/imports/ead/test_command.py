"""manage.py import_ead: the plan summary, then the import; errors with their lines."""
import io

import pytest
from django.core.management import CommandError, call_command

from catalog.imports.ead import errors
from catalog.management.commands.import_ead import HAS_ERRORS, plural_summary
from catalog.models import Item

from .conftest import ATOM, ICA_ATOM

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_ead", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_dry_run_prints_the_plan_and_changes_nothing():
    out, err = run(str(ICA_ATOM), fonds_identifier="HDA", dry_run=True)
    assert Item.objects.count() == 0
    lines = out.splitlines()
    assert str(errors.UNITID_CHANGED % {"line": 63, "unitid": "HR-HDA 145", "code": "HR-HDA-145"}) in lines
    assert any(line.startswith("Line 32: HDA collection “Zbirka gradiva za povijest Židova") for line in lines)
    assert any(line.startswith("Line 78: HDA-2 collection “Ministarstvo unutarnjih poslova") for line in lines)
    assert plural_summary(True, 3, 0, 3) in lines  # HDA, Croatian State Archive, Hrvatski Državni Arhiv
    assert err == ""


def test_import_creates_the_fonds_as_drafts():
    out, _ = run(str(ATOM), fonds_identifier="WLU")
    assert plural_summary(False, 2, 0, 2) in out.splitlines()
    assert list(Item.objects.order_by("identifier").values_list("identifier", "status", "level__code")) == [
        ("WLU", "draft", "fonds"), ("WLU-1", "draft", "series"),
    ]


def test_publish_option():
    run(str(ATOM), fonds_identifier="WLU", publish=True)
    assert set(Item.objects.values_list("status", flat=True)) == {"published"}


def test_errors_say_where_and_nothing_is_imported(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b'<ead xmlns="urn:isbn:1-931666-22-9">\n<archdesc level="fonds"><did></archdesc></ead>')
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_ead", str(bad), fonds_identifier="X", stdout=io.StringIO(), stderr=err)
    assert str(failed.value) == str(HAS_ERRORS)
    assert err.getvalue().startswith("The file is not well-formed XML at line 2, column ")
    assert Item.objects.count() == 0


def test_the_fonds_identifier_is_required():
    with pytest.raises(CommandError):
        call_command("import_ead", str(ATOM))
