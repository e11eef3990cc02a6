import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from lxml import etree

from catalog.exports import static
from catalog.management.commands import export_xml
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


def test_export_xml_writes_edm_for_the_items_europeana_takes(tmp_path, catalogue):
    from tests.oai.edm_validation import problems, records_of

    catalogue[1].rights_uri = "http://creativecommons.org/publicdomain/zero/1.0/"
    catalogue[1].save()
    target = tmp_path / "edm.xml"
    said = export("--out", str(target), "--format", "edm", "--site-url", "https://arkiv.example.org")
    assert said.startswith("Wrote 1 edm record to")
    document = etree.parse(str(target))
    assert schema("oai-pmh-edm-validate.xsd").validate(document)
    assert [problems(rdf) for rdf in records_of(document)] == [[]]


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


# --- an export that is stopped halfway ----------------------------------------------------------

GOOD = b"<last-good-export/>"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The environment of a catalogue of its own (SQLite, 3,000 generated items), big enough for
    an export in another process to be stopped while it writes."""
    folder = tmp_path_factory.mktemp("generated")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "MEDIA_ROOT": str(folder / "media")}
    for command in (["migrate", "-v0"], ["generate_catalog", "3000"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=env, check=True, capture_output=True)
    return env


def start_export(env, target):
    return subprocess.Popen(
        [sys.executable, "manage.py", "export_xml", "--out", str(target), "--site-url", "https://arkiv.example.org", "--no-progress"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def partial_files(target):
    return sorted(target.parent.glob(f".{target.name}*.part"))


def written(path):
    try:
        return path.stat().st_size
    except FileNotFoundError:  # removed since it was listed
        return 0


def stop_halfway(env, target, signum, attempts=5):
    """Start an export to `target` and send it `signum` once it has written its first batch; its
    (exit code, stderr).

    It is paused (SIGSTOP) as soon as its first batch is seen, so that it cannot finish while the
    signal is on its way; on a loaded machine this process may not run again until the export has
    finished, so an export that ended before it could be paused is undone and started again."""
    before = target.read_bytes() if target.exists() else None
    for _attempt in range(attempts):
        export = start_export(env, target)
        while not any(written(path) for path in partial_files(target)) and export.poll() is None:
            time.sleep(0.002)
        export.send_signal(signal.SIGSTOP)
        if export.poll() is None:
            export.send_signal(signum)
            export.send_signal(signal.SIGCONT)
            _, stderr = export.communicate(timeout=60)
            return export.returncode, stderr
        _, stderr = export.communicate(timeout=60)
        assert export.returncode == 0, stderr
        if before is None:
            target.unlink()
        else:
            target.write_bytes(before)
    raise AssertionError(f"the export ended before it could be stopped, {attempts} times")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_an_export_stopped_halfway_leaves_no_partial_file_and_the_last_good_export(tmp_path, generated, signum):
    target = tmp_path / "catalogue.xml"
    target.write_bytes(GOOD)
    code, stderr = stop_halfway(generated, target, signum)
    assert partial_files(target) == []
    assert target.read_bytes() == GOOD
    assert code == 128 + signum
    assert str(export_xml.INTERRUPTED % {"out": target}) in stderr


def test_the_partial_file_of_an_export_killed_outright_goes_with_the_next_export(tmp_path, generated):
    target = tmp_path / "catalogue.xml"
    stop_halfway(generated, target, signal.SIGKILL)
    assert partial_files(target)  # SIGKILL gives a process no chance to clean up
    finished = start_export(generated, target)
    finished.communicate(timeout=120)
    assert finished.returncode == 0
    assert partial_files(target) == []
    assert etree.parse(str(target)).xpath("count(//sr:ListRecords/oai:record)", namespaces=NAMESPACES) > 2000


def test_two_exports_to_one_file_never_write_it_together(tmp_path, catalogue):
    target = tmp_path / "catalogue.xml"
    with static.partial_file(target):
        with pytest.raises(CommandError) as refused:
            export("--out", str(target), "--site-url", "https://arkiv.example.org")
        assert str(refused.value) == str(static.BEING_WRITTEN % {"path": target})
    assert not target.exists()
    export("--out", str(target), "--site-url", "https://arkiv.example.org")
    assert target.exists() and partial_files(target) == []


def test_a_partial_file_left_by_an_earlier_version_goes_with_the_next_export(tmp_path, catalogue):
    """Exports used to write to a randomly named .part (tempfile.mkstemp)."""
    target = tmp_path / "catalogue.xml"
    left = tmp_path / ".catalogue.xml.k3j_9x2a.part"
    left.write_bytes(b"<half")
    other = tmp_path / ".catalogue.xml.bak.part"  # another export's, to catalogue.xml.bak
    other.write_bytes(b"<half")
    export("--out", str(target), "--site-url", "https://arkiv.example.org")
    assert not left.exists() and other.exists()
