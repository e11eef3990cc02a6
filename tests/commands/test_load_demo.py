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
from django.core.management import CommandError, call_command

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
    assert Item.objects.count() == 23 and Authority.objects.count() == 63
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
    # A unit with units below it is deleted after them (its children protect it until then).
    for item in sorted(Item.objects.all(), key=lambda unit: -unit.depth):
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


def unit_entries(*units):
    """Fixture entries for units (pk, identifier, parent pk, local code, status), each with a
    title, carrying no derived place: as a hand-written or older fixture would."""
    entries = []
    for pk, identifier, parent, code, status in units:
        entries.append({"model": "catalog.item", "pk": pk, "fields": {
            "identifier": identifier, "dcmi_type": "Text", "status": status, "ever_published": status == "published",
            "created": "2025-05-01T09:00:00Z", "modified": "2025-05-01T09:00:00Z", "parent": parent, "local_code": code,
        }})
        entries.append({"model": "catalog.statement", "pk": pk, "fields": {
            "item": pk, "term": "title", "value": identifier.title(), "lang": "en", "position": 0}})
    return entries


def test_a_fixture_without_derived_places_is_placed_and_a_draft_hides_what_is_below_it(tmp_path):
    fixture = tmp_path / "mine.json"
    fixture.write_text(json.dumps(unit_entries(
        (1, "fonds", None, "F", "published"), (2, "series", 1, "S", "draft"),
        (3, "letter", 2, "1", "published"), (4, "other", 1, "T", "published"),
    )), encoding="utf-8")
    call_command("load_demo", str(fixture), stdout=StringIO())
    placed = {i: (a, r, p) for i, a, r, p in Item.objects.values_list("identifier", "ancestry", "reference", "ancestors_public")}
    assert placed == {
        "fonds": ("/", "F", True), "series": ("/1/", "F/S", True),
        "letter": ("/1/2/", "F/S/1", False), "other": ("/1/", "F/T", True),
    }
    # The letter was published, and cannot be seen under its draft series: harvesters are told so.
    assert list(Tombstone.objects.values_list("identifier", flat=True)) == ["letter"]
    assert Tombstone.objects.get().set_spec_list() == ["fonds:fonds", "type:Text"]


def test_a_fixture_with_a_cycle_is_refused_whole_and_names_the_units(tmp_path):
    fixture = tmp_path / "cycle.json"
    fixture.write_text(json.dumps(unit_entries(
        (1, "first", 2, "A", "published"), (2, "second", 1, "B", "published"), (3, "free", None, "C", "published"),
    )), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", str(fixture), stdout=StringIO())
    said = str(refused.value)
    assert str(load_demo.INVALID % {"fixture": "cycle.json"}) in said
    assert "catalog.item 1 (first): parent:" in said and "catalog.item 2 (second): parent:" in said
    assert "(free)" not in said
    assert not Item.objects.exists()


def test_levels_are_named_by_code_and_the_shipped_ones_made_where_a_database_lacks_them(tmp_path):
    from catalog.models import Level

    Level.objects.filter(code__in=["fonds", "file"]).delete()  # as a flushed test database has none
    entries = unit_entries((1, "fonds", None, "F", "published"), (2, "file", 1, "1", "published"))
    entries[0]["fields"]["level"], entries[2]["fields"]["level"] = "fonds", "file"
    fixture = tmp_path / "levels.json"
    fixture.write_text(json.dumps(entries), encoding="utf-8")
    call_command("load_demo", str(fixture), stdout=StringIO())
    assert dict(Item.objects.values_list("identifier", "level__code")) == {"fonds": "fonds", "file": "file"}
    assert Level.objects.get(code="fonds").name == "Fonds"


def test_an_unknown_level_is_named_and_nothing_is_loaded(tmp_path):
    entries = unit_entries((1, "fonds", None, "F", "published"))
    entries[0]["fields"]["level"] = "box"
    fixture = tmp_path / "box.json"
    fixture.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(CommandError, match="names a level of description “box”"):
        call_command("load_demo", str(fixture), stdout=StringIO())
    assert not Item.objects.exists()
