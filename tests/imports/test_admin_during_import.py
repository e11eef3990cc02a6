"""The admin keeps working while an import runs, as on a server: a gunicorn process serves the
admin over real HTTP while an import_csv process imports thousands of rows into the same database
(a SQLite file in WAL mode, or PostgreSQL).

The import pauses once it is under way (paused_import.py), so that the login and the save are
known to happen during it; then it goes on to write while the admin keeps saving.
"""
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest
import requests
from django.contrib.auth.models import User
from django.db import connection

from catalog.models import Item
from tests.factories import ItemFactory
from tests.processes import free_port, shared_database

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
ROWS = 6000
PASSWORD = "a-long-test-passphrase"
TIMEOUT = 120  # seconds: only so that a hung server fails the test instead of hanging it


def read_back(url):
    """Make what the processes wrote to a SQLite file visible to this test's connection."""
    if connection.vendor == "sqlite":
        source = sqlite3.connect(url.removeprefix("sqlite:///"))
        source.backup(connection.connection)
        source.close()


def start(arguments, environment, log):
    return subprocess.Popen(
        [sys.executable, *arguments], cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=log, text=True,
    )


def wait_for(condition, process, what):
    for _ in range(TIMEOUT * 20):
        if condition():
            return
        if process.poll() is not None:
            raise AssertionError(f"{what}: the process ended first (exit {process.returncode})")
        time.sleep(0.05)
    raise AssertionError(f"{what}: still waiting after {TIMEOUT} s")


def form_values(page, form_id, **changes):
    """What a browser posts back from a form of `page`, with `changes`."""
    form = lxml.html.fromstring(page).get_element_by_id(form_id)
    values = []
    for name, value in form.form_values():
        if getattr(form.inputs[name], "tag", "") == "textarea":
            value = value.removeprefix("\n")  # a browser drops the newline that opens a textarea
        values.append((name, changes.pop(name, value)))
    return values + list(changes.items())


class Admin:
    def __init__(self, base):
        self.base, self.http = base, requests.Session()

    def login(self):
        page = self.http.get(f"{self.base}/admin/login/", timeout=TIMEOUT)
        data = form_values(page.text, "login-form", username="archivist", password=PASSWORD, next="/admin/")
        return self.http.post(f"{self.base}/admin/login/", data=data, allow_redirects=False, timeout=TIMEOUT)

    def save(self, item, **changes):
        address = f"{self.base}/admin/catalog/item/{item.pk}/change/"
        page = self.http.get(address, timeout=TIMEOUT)
        assert page.status_code == 200, page.text[:500]
        return self.http.post(address, data=form_values(page.text, "item_form", **changes),
                              allow_redirects=False, timeout=TIMEOUT)


def test_an_archivist_logs_in_and_saves_while_thousands_of_rows_are_imported(tmp_path):
    User.objects.create_superuser("archivist", password=PASSWORD)
    in_file = ItemFactory(identifier="kir-00001", title="Bridge")
    elsewhere = ItemFactory(identifier="other-001", title="Not in the file")
    rows = "".join(
        f"kir-{n:05d},Text,Letter {n},Sent from Kirkenes on day {n},{1900 + n % 100}-05-0{1 + n % 9},1 sheet\n"
        for n in range(ROWS)
    )
    (tmp_path / "items.csv").write_text(
        "identifier,type,dc:title@en,dc:description@en,dcterms:created,dcterms:extent\n" + rows
    )
    url = shared_database(tmp_path)
    environment = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "media")}
    paused, resume = tmp_path / "paused", tmp_path / "resume"
    port = free_port()
    log = (tmp_path / "processes.log").open("w")
    server = start(["-m", "gunicorn", "archive.wsgi:application", "--bind", f"127.0.0.1:{port}",
                    "--workers", "1", "--threads", "4", "--timeout", str(TIMEOUT)], environment, log)
    importer = start([str(ROOT / "tests" / "imports" / "paused_import.py"), str(tmp_path / "items.csv"),
                      str(paused), str(resume)], environment, log)
    try:
        admin = Admin(f"http://127.0.0.1:{port}")
        wait_for(lambda: _answers(admin.base), server, "the server to start")
        wait_for(paused.exists, importer, "the import to get under way")

        # During the import: log in, and edit an item the file also changes.
        assert admin.login().status_code == 302
        saved = admin.save(in_file, **{"statements-0-value": "Edited in the admin", "full_text": "Transcribed"})
        assert saved.status_code == 302, saved.text[:500]

        # Then let it write, and keep saving another item until it is done.
        resume.touch()
        saves = 0
        while importer.poll() is None or not saves:
            saves += 1
            saved = admin.save(elsewhere, full_text=f"Save {saves}")
            assert saved.status_code == 302, saved.text[:500]
        result = json.loads(importer.communicate(timeout=TIMEOUT)[0])
    finally:
        resume.touch()
        for process in (importer, server):
            process.terminate()
            process.wait(timeout=TIMEOUT)
        log.close()

    assert importer.returncode == 0
    assert result["applied"], result
    assert result["counts"] == {"create": ROWS - 1, "update": 1, "unchanged": 0, "error": 0}
    read_back(url)
    assert Item.objects.count() == ROWS + 1
    # The import wrote its title after the archivist's, and the sort title agrees; the full text,
    # which the file has no column for, stays as the archivist wrote it.
    item = Item.objects.get(identifier="kir-00001")
    assert [s.value for s in item.statements.filter(term="title")] == ["Letter 1"]
    assert (item.sort_title, item.full_text) == ("Letter 1", "Transcribed")
    assert Item.objects.get(identifier="other-001").full_text == f"Save {saves}"


def _answers(base):
    try:
        return requests.get(f"{base}/admin/login/", timeout=TIMEOUT).status_code == 200
    except requests.ConnectionError:
        return False
