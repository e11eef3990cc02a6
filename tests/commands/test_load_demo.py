"""`manage.py load_demo`, which `make run` calls on every start: it loads only into an empty
catalogue, and what it loads keeps the tombstone rule."""
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from catalog import services
from catalog.management.commands import load_demo
from catalog.models import Authority, Item, Statement, Tombstone
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory
from tests.oai.support import harvest, identifiers

pytestmark = pytest.mark.django_db

EDITED = "finnmark-1945-photo-jakobselv-bridge"
DELETED = "finnmark-1945-photo-troops-leaving"
NEW_TITLE = "The Jakobselv bridge, as the archivist corrected it"


def run_steps():
    """What `make run` does before it serves: migrate, load_demo, ensure_admin."""
    out = StringIO()
    call_command("migrate", "--noinput", verbosity=0, stdout=out)
    call_command("load_demo", stdout=out)
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def edit_and_delete():
    title = Statement.objects.get(item__identifier=EDITED, term="title", position=0)
    title.value = NEW_TITLE
    title.save()
    Item.objects.get(identifier=DELETED).delete()


def listed_twice(client):
    """OAI identifiers that a full ListIdentifiers gives more than once."""
    pages = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc")
    counts = Counter(i for root in pages for i in identifiers(root))
    return {identifier for identifier, n in counts.items() if n > 1}, len(counts)


def test_starting_twice_keeps_an_edit_and_a_deletion_and_oai_lists_each_record_once(client):
    run_steps()
    edit_and_delete()
    said = run_steps()
    assert Statement.objects.get(item__identifier=EDITED, term="title", position=0).value == NEW_TITLE
    assert not Item.objects.filter(identifier=DELETED).exists()
    assert Tombstone.objects.filter(identifier=DELETED).exists()
    twice, listed = listed_twice(client)
    assert twice == set()
    assert listed == Item.objects.published().count() + Tombstone.objects.count()
    assert str(load_demo.NOT_EMPTY % {"fixture": "demo.json"}) in said


def test_it_loads_into_an_empty_catalogue():
    said = run_steps()
    assert Item.objects.count() == 16 and Authority.objects.count() == 47
    assert "Installed" in said


@pytest.mark.parametrize("record, contents", [
    (lambda: ItemFactory(status=Item.DRAFT), "1 item, 1 statement"),
    (lambda: CollectionFactory(), "1 collection"),
    (lambda: AuthorityFactory(), "1 authority record"),
])
def test_anything_of_ones_own_keeps_the_demo_out_and_says_so(record, contents):
    mine = record()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert out.getvalue().splitlines() == [
        str(load_demo.NOT_EMPTY % {"fixture": "demo.json"}), str(load_demo.HOLDS % {"contents": contents}),
    ]
    assert not Item.objects.filter(identifier=DELETED).exists()
    assert type(mine).objects.filter(pk=mine.pk).count() == 1


def test_a_catalogue_whose_items_were_all_deleted_is_not_empty(client):
    """Its tombstones tell harvesters the items are gone: the demo must not bring them back."""
    run_steps()
    for item in Item.objects.all():
        item.delete()
    run_steps()
    assert Item.objects.count() == 0
    assert listed_twice(client)[0] == set()


def test_a_fixture_loads_keeping_the_tombstone_rule(tmp_path):
    """A published item and its old tombstone, and a withdrawn item without one: after the load
    the first is live only, and the second is reported deleted."""
    fixture = tmp_path / "mine.json"
    item = {"identifier": "", "dcmi_type": "Text", "status": "published", "ever_published": True,
            "created": "2025-05-01T09:00:00Z", "modified": "2025-05-01T09:00:00Z"}
    fixture.write_text(json.dumps([
        {"model": "catalog.item", "pk": 1, "fields": {**item, "identifier": "live"}},
        {"model": "catalog.item", "pk": 2, "fields": {**item, "identifier": "hidden", "status": "withdrawn"}},
        {"model": "catalog.statement", "pk": 1, "fields": {"item": 1, "term": "title", "value": "Live", "lang": "en", "position": 0}},
        {"model": "catalog.statement", "pk": 2, "fields": {"item": 2, "term": "title", "value": "Hidden", "lang": "en", "position": 0}},
        {"model": "catalog.tombstone", "pk": 1, "fields": {
            "identifier": "live", "datestamp": "2025-04-01T09:00:00Z", "set_specs": " type:Text ", "item": 1}},
    ]), encoding="utf-8")
    call_command("load_demo", str(fixture), stdout=StringIO())
    assert list(Tombstone.objects.values_list("identifier", flat=True)) == ["hidden"]
    assert Tombstone.objects.get().set_spec_list() == ["type:Text"]


def test_the_demo_keeps_its_own_tombstone():
    run_steps()
    copy = Tombstone.objects.get()
    assert copy.identifier == "finnmark-1945-photo-troops-leaving-copy"
    assert copy.item.status == Item.WITHDRAWN
    services.item_publish(item=copy.item)
    assert not Tombstone.objects.exists()


# --- `make run` itself, twice, on a database of its own -----------------------------------------

EDIT_AND_DELETE = f"""
from catalog.models import Item, Statement
title = Statement.objects.get(item__identifier={EDITED!r}, term="title", position=0)
title.value = {NEW_TITLE!r}
title.save()
Item.objects.get(identifier={DELETED!r}).delete()
"""

REPORT = """
import json
from collections import Counter
from django.test import Client
from lxml import etree
from catalog.models import Statement
client, params, listed = Client(), {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, []
while params:
    root = etree.fromstring(client.get("/oai", params).content)
    ns = {"oai": "http://www.openarchives.org/OAI/2.0/"}
    listed += root.xpath("//oai:header/oai:identifier/text()", namespaces=ns)
    token = root.xpath("//oai:resumptionToken/text()", namespaces=ns)
    params = {"verb": "ListIdentifiers", "resumptionToken": token[0]} if token else None
print(json.dumps({
    "listed": listed,
    "title": Statement.objects.get(item__identifier=%r, term="title", position=0).value,
}))
""" % EDITED


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_run_twice_keeps_an_edit_and_a_deletion(tmp_path):
    base = Path(settings.BASE_DIR)
    env = {
        **os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "media"),
        "ARKIV_ADMIN_PASSWORD": "not-printed-in-tests", "ARKIV_REPOSITORY_ID": "arkiv.example.org",
    }

    def make_prepare(**variables):
        # The steps of `make run` before it serves; the virtualenv is this one, never reinstalled.
        arguments = [f"{name}={value}" for name, value in variables.items()]
        done = subprocess.run(
            ["make", "--no-print-directory", "-C", str(base), "-o", "install", "prepare", f"PY={sys.executable}", *arguments],
            env=env, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def shell(code):
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=base, env=env, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "Installed" in make_prepare()
    shell(EDIT_AND_DELETE)
    said = make_prepare()
    report = json.loads(shell(REPORT).strip().splitlines()[-1])
    assert report["title"] == NEW_TITLE
    counts = Counter(report["listed"])
    assert counts[f"oai:arkiv.example.org:{DELETED}"] == 1
    assert [identifier for identifier, n in counts.items() if n > 1] == []
    assert str(load_demo.NOT_EMPTY % {"fixture": "demo.json"}) in said


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_run_with_arkiv_demo_0_starts_an_empty_catalogue(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "ARKIV_DEMO": "0",
           "ARKIV_ADMIN_PASSWORD": "not-printed-in-tests"}
    done = subprocess.run(
        ["make", "--no-print-directory", "-C", settings.BASE_DIR, "-o", "install", "prepare", f"PY={sys.executable}"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    counted = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from catalog.models import Item, Collection, Authority; print(Item.objects.count() + Collection.objects.count() + Authority.objects.count())"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert counted.stdout.strip().splitlines()[-1] == "0", counted.stderr
