"""Several servers, one catalogue (issue 15, item 4): two gunicorn processes over one database
and one Redis cache (CACHE_URL), as two web machines would run. An archivist edits and publishes
through one; a visitor reading through the other never sees a page from before the edit, though
that server (and the shared cache) had answered the same pages just before.

On PostgreSQL the servers share the test database; on SQLite a copy of it in a file (two
machines would need PostgreSQL, but the cache's part is the same).
"""
import subprocess
import sys
import time
import uuid
from pathlib import Path

import lxml.html
import pytest
import redis
import requests
from django.contrib.auth.models import User

from catalog.models import Item
from tests.factories import ItemFactory, StatementFactory
from tests.processes import free_port, shared_database

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/14"
PASSWORD = "a-long-test-passphrase"
TIMEOUT = 120  # seconds: only so that a hung server fails the test instead of hanging it


class Server:
    """One gunicorn process: a web machine of its own."""

    def __init__(self, environment, log):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "archive.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--timeout", str(TIMEOUT)],
            cwd=ROOT, env=environment, stdout=log, stderr=log,
        )
        self.http = requests.Session()

    def wait(self):
        for _ in range(TIMEOUT * 20):
            if self.process.poll() is not None:
                raise AssertionError(f"the server ended (exit {self.process.returncode})")
            try:
                if requests.get(f"{self.base}/admin/login/", timeout=TIMEOUT).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("the server did not start")

    def get(self, path, **params):
        response = self.http.get(f"{self.base}{path}", params=params, timeout=TIMEOUT)
        assert response.status_code == 200, response.text[:500]
        return response.text

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=TIMEOUT)


def form_values(page, form_id, replace):
    """What a browser posts back from a form of `page`, with every field whose value is a key
    of `replace` given the new value (by value, not by name: the editor names its fields)."""
    form = lxml.html.fromstring(page).get_element_by_id(form_id)
    values = []
    for name, value in form.form_values():
        if getattr(form.inputs[name], "tag", "") == "textarea":
            value = value.removeprefix("\n")
        values.append((name, replace.get(value, value)))
    return values


def log_in(server):
    page = server.get("/admin/login/")
    form = lxml.html.fromstring(page).get_element_by_id("login-form")
    data = dict(form.form_values(), username="archivist", password=PASSWORD, next="/admin/")
    response = server.http.post(f"{server.base}/admin/login/", data=data, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302, response.text[:500]


def save(server, item, replace):
    address = f"/admin/catalog/item/{item.pk}/change/"
    data = form_values(server.get(address), "item_form", replace)
    response = server.http.post(f"{server.base}{address}", data=data, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302, response.text[:2000]


def titles(page):
    return {" ".join(link.text_content().split()) for link in lxml.html.fromstring(page).xpath("//main//a")}


def test_an_edit_through_one_server_is_seen_at_once_through_the_other(tmp_path):
    User.objects.create_superuser("archivist", password=PASSWORD)
    bridge = ItemFactory(status=Item.PUBLISHED, identifier="bridge", title="Bridge at Kirkenes")
    StatementFactory(item=bridge, term="description", value="A wooden bridge over the river.")
    draft = ItemFactory(status=Item.DRAFT, identifier="ferry", title="Ferry to Vadsø")
    StatementFactory(item=draft, term="description", value="The river ferry in winter.")
    for n in range(5):
        ItemFactory(status=Item.PUBLISHED, identifier=f"other-{n}", title=f"Harbour view {n}")

    prefix = f"test-servers-{uuid.uuid4().hex}"
    environment = {
        "PATH": "/usr/bin:/bin", "DATABASE_URL": shared_database(tmp_path), "CACHE_URL": REDIS,
        "CACHE_KEY_PREFIX": prefix, "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": "one-secret-for-every-server-of-the-site", "CONN_MAX_AGE": "60",
    }
    log = (tmp_path / "servers.log").open("w")
    editor, reader = Server(environment, log), Server(environment, log)
    store = redis.Redis.from_url(REDIS)
    try:
        editor.wait(), reader.wait()
        # The visitor's pages, answered (and cached) by the reading server, before the edit.
        assert "Bridge at Kirkenes" in titles(reader.get("/items/", q="river"))
        assert "Ferry to Vadsø" not in titles(reader.get("/items/", q="river"))
        assert "Bridge at Kirkenes" in titles(reader.get("/items/"))
        assert "Bridge at Kirkenes" in reader.get("/items/bridge/")
        assert any(key.decode().startswith(prefix) for key in store.scan_iter(f"{prefix}*")), "nothing cached in Redis"

        # The archivist renames one item and publishes the other through the editing server.
        log_in(editor)
        save(editor, bridge, {"Bridge at Kirkenes": "Pontoon at Kirkenes"})
        save(editor, draft, {Item.DRAFT: Item.PUBLISHED})

        # The reading server's very next answers show both changes, page by page.
        searched = titles(reader.get("/items/", q="river"))
        assert {"Pontoon at Kirkenes", "Ferry to Vadsø"} <= searched and "Bridge at Kirkenes" not in searched
        listed = titles(reader.get("/items/"))
        assert {"Pontoon at Kirkenes", "Ferry to Vadsø"} <= listed and "Bridge at Kirkenes" not in listed
        assert "Pontoon at Kirkenes" in reader.get("/items/bridge/")
        assert "Ferry to Vadsø" in reader.get("/items/ferry/")
        assert "Ferry to Vadsø" in reader.get("/")  # the home page's recent items and counts
    finally:
        for server in (editor, reader):
            server.stop()
        log.close()
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)
