import io

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from catalog import imaging
from catalog.management.commands.check_fixity import ADVICE, SUMMARY
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def ingest_photo(identifier, color):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), color).save(buffer, "JPEG")
    item = ItemFactory(identifier=identifier)
    return imaging.ingest(item=item, file=buffer, name=f"{identifier}.jpg")


def run(*args):
    out = io.StringIO()
    try:
        call_command("check_fixity", "--no-progress", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def summary(total, intact=0, changed=0, missing=0, unreadable=0):
    return SUMMARY.format(total=total, intact=intact, changed=changed, missing=missing, unreadable=unreadable)


def test_intact_files_pass_with_a_summary():
    ingest_photo("kirkenes-1944-001", "red")
    ingest_photo("kirkenes-1944-002", "blue")

    out, error = run()

    assert error is None
    assert out.strip() == summary(2, intact=2)


def test_a_changed_file_is_reported_with_its_item_and_path_and_fails_the_run():
    intact = ingest_photo("kirkenes-1944-001", "red")
    changed = ingest_photo("kirkenes-1944-002", "blue")
    path = changed.file.path
    with open(path, "r+b") as stored:  # same size, one bit flipped: only the checksum can tell
        stored.seek(200)
        byte = stored.read(1)
        stored.seek(200)
        stored.write(bytes([byte[0] ^ 1]))

    out, error = run()

    assert out.startswith(f"CHANGED: kirkenes-1944-002 {changed.file.name} (SHA-256 ")
    assert intact.file.name not in out
    assert error == f"{summary(2, intact=1, changed=1)} {ADVICE}"


def test_a_file_of_another_size_is_reported_changed_without_reading_it():
    digital_file = ingest_photo("kirkenes-1944-001", "red")
    with open(digital_file.file.path, "ab") as stored:
        stored.write(b"appended")

    out, error = run()

    assert f"{digital_file.size + 8} bytes, catalogued as {digital_file.size}" in out
    assert error.startswith(summary(1, changed=1))


def test_a_missing_file_is_reported_and_fails_the_run():
    digital_file = ingest_photo("kirkenes-1944-001", "red")
    digital_file.file.storage.delete(digital_file.file.name)

    out, error = run()

    assert out.strip() == f"MISSING: kirkenes-1944-001 {digital_file.file.name} (not in storage)"
    assert error == f"{summary(1, missing=1)} {ADVICE}"


def test_item_option_limits_the_check():
    ingest_photo("kirkenes-1944-001", "red")
    missing = ingest_photo("kirkenes-1944-002", "blue")
    missing.file.storage.delete(missing.file.name)

    out, error = run("--item", "kirkenes-1944-001")

    assert (out.strip(), error) == (summary(1, intact=1), None)


def test_an_empty_archive_passes():
    assert run() == (summary(0) + "\n", None)


def test_a_problem_makes_the_command_exit_with_status_1():
    digital_file = ingest_photo("kirkenes-1944-001", "red")
    digital_file.file.storage.delete(digital_file.file.name)

    with pytest.raises(CommandError) as failed:
        call_command("check_fixity", "--no-progress", stdout=io.StringIO())

    assert failed.value.returncode == 1


def test_progress_is_shown_on_stderr_and_keeps_stdout_clean(capsys):
    ingest_photo("kirkenes-1944-001", "red")
    out = io.StringIO()

    call_command("check_fixity", stdout=out)

    assert "Checking" in capsys.readouterr().err
    assert out.getvalue() == summary(1, intact=1) + "\n"
