"""`manage.py export_ead UNIT --out FILE [--format]`: the file, the summary, and the refusals."""
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from lxml import etree

from catalog.exports.ead import validation, writing
from catalog.management.commands import export_ead
from catalog.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    made = tmp_path / "out"
    made.mkdir()
    return made


@pytest.mark.parametrize("format_name, schema_file", [("ead3", "ead3.xsd"), ("apeead", "apeEAD.xsd")])
def test_the_command_writes_a_valid_finding_aid_and_says_how_many_units(fonds, folder, capsys, format_name, schema_file):
    target = folder / "kf.xml"
    call_command("export_ead", "kf", out=str(target), format=format_name, no_progress=True)
    assert validation.errors(target.read_bytes(), schema_file) == []
    assert capsys.readouterr().out.startswith(f"Wrote 8 units to {target} in ")


def test_ead3_is_the_default(fonds, folder):
    call_command("export_ead", "kf", out=str(folder / "kf.xml"), no_progress=True)
    assert etree.parse(str(folder / "kf.xml")).getroot().tag == "{http://ead3.archivists.org/schema/}ead"


def test_links_to_the_site_come_from_its_address(fonds, folder, settings):
    settings.ARKIV_BASE_URL = "https://arkiv.example.org"
    call_command("export_ead", "kf", out=str(folder / "kf.xml"), site_url="https://arkiv.example.org", no_progress=True)
    assert b'instanceurl="https://arkiv.example.org/items/kf/"' in (folder / "kf.xml").read_bytes()


def test_any_unit_heads_its_own_finding_aid(fonds, folder, capsys):
    call_command("export_ead", "kf-a", out=str(folder / "kf-a.xml"), no_progress=True)
    assert capsys.readouterr().out.startswith("Wrote 6 units")


def test_an_unknown_unit_is_refused(fonds, folder):
    with pytest.raises(CommandError) as refused:
        call_command("export_ead", "nowhere", out=str(folder / "x.xml"), no_progress=True)
    assert str(refused.value) == export_ead.NO_SUCH_UNIT % {"unit": "nowhere"}
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("identifier", ["kf-b", "kf-b-1"])  # a draft, and a published file under it
def test_a_unit_the_public_may_not_read_is_refused(fonds, folder, identifier):
    with pytest.raises(CommandError) as refused:
        call_command("export_ead", identifier, out=str(folder / "x.xml"), no_progress=True)
    assert str(refused.value) == export_ead.NOT_PUBLISHED % {"unit": identifier}
    assert list(folder.iterdir()) == []


def test_an_unwritable_path_is_refused(fonds, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("export_ead", "kf", out=str(tmp_path / "nowhere" / "kf.xml"), no_progress=True)
    assert str(refused.value) == writing.NO_FOLDER % {"folder": tmp_path / "nowhere"}


def test_apeead_with_codes_the_profile_cannot_take_is_refused_before_writing(fonds, folder, settings):
    settings.ARKIV_REPOSITORY_CODE = "A REPOSITORY"
    with pytest.raises(CommandError, match="ARKIV_REPOSITORY_CODE"):
        call_command("export_ead", "kf", out=str(folder / "kf.xml"), format="apeead", no_progress=True)
    assert list(folder.iterdir()) == []


def test_the_command_speaks_norwegian(fonds, folder):
    with translation.override("nb"):
        with pytest.raises(CommandError) as refused:
            call_command("export_ead", "nowhere", out=str(folder / "x.xml"), no_progress=True)
        said = str(export_ead.NO_SUCH_UNIT % {"unit": "nowhere"})
    assert str(refused.value) == said
    assert said.startswith("Enheten «nowhere» finnes ikke")


def test_a_unit_written_is_counted_once(fonds, folder, capsys):
    Item.objects.filter(identifier="kf-c").update(status=Item.DRAFT)
    call_command("export_ead", "kf", out=str(folder / "kf.xml"), no_progress=True)
    assert capsys.readouterr().out.startswith("Wrote 7 units")
