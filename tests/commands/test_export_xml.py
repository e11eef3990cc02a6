import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from catalog.models import Item
from tests.factories import ItemFactory
from tests.oai.support import NAMESPACES, schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(settings):
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.org"
    return [ItemFactory(status=Item.PUBLISHED, title=f"Photograph {n}") for n in range(3)]


def export(*arguments):
    from io import StringIO

    out = StringIO()
    call_command("export_xml", *arguments, "--no-progress", stdout=out)
    return out.getvalue()


def test_export_xml_writes_a_static_repository(tmp_path, catalogue):
    target = tmp_path / "catalogue.xml"
    said = export("--out", str(target), "--site-url", "https://arkiv.example.org")
    assert said.startswith(f"Wrote 6 records (all formats) to {target} in ")
    document = etree.parse(str(target))
    assert schema("static-repository-all-validate.xsd").validate(document)
    assert document.xpath("//sr:Identify/oai:baseURL/text()", namespaces=NAMESPACES) == ["https://arkiv.example.org/oai"]
    links = document.xpath("//dc:identifier[starts-with(., 'https://')]/text()", namespaces=NAMESPACES)
    assert f"https://arkiv.example.org/items/{catalogue[0].identifier}/" in links


def test_export_xml_one_format(tmp_path, catalogue):
    target = tmp_path / "qdc.xml"
    said = export("--out", str(target), "--format", "qdc", "--site-url", "https://arkiv.example.org", "--base-url", "https://gateway.example.org/oai/arkiv.example.org/qdc.xml")
    assert said.startswith("Wrote 3 qdc records")
    document = etree.parse(str(target))
    assert schema("oai-pmh-qdc-validate.xsd").validate(document)
    assert document.xpath("//oai:request/text()", namespaces=NAMESPACES) == ["https://gateway.example.org/oai/arkiv.example.org/qdc.xml"]


def test_export_xml_takes_the_site_from_the_settings(tmp_path, settings, catalogue):
    settings.ARKIV_BASE_URL = "https://archive.example.net"
    # The option's default is read when the command is loaded, so load it afresh.
    target = tmp_path / "catalogue.xml"
    from catalog.management.commands.export_xml import Command

    call_command(Command(), "--out", str(target), "--no-progress")
    assert b"https://archive.example.net/oai" in target.read_bytes()


def test_export_xml_needs_the_sites_address(tmp_path, settings, catalogue):
    settings.ARKIV_BASE_URL = ""
    from catalog.management.commands.export_xml import Command

    with pytest.raises(CommandError, match="--site-url https://archive.example.org, or set ARKIV_BASE_URL"):
        call_command(Command(), "--out", str(tmp_path / "catalogue.xml"), "--no-progress")


def test_export_xml_refuses_an_unknown_format(tmp_path, catalogue):
    with pytest.raises(CommandError, match="invalid choice: 'marc21'"):
        export("--out", str(tmp_path / "x.xml"), "--format", "marc21", "--site-url", "https://arkiv.example.org")


def test_export_xml_explains_an_empty_catalogue(tmp_path):
    with pytest.raises(CommandError, match="No item is published"):
        export("--out", str(tmp_path / "catalogue.xml"), "--site-url", "https://arkiv.example.org")
