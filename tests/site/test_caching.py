"""cached(): answers kept until the catalogue changes, and never a reason for a page to wait."""
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from catalog import services
from catalog.site import caching
from catalog.site.caching import cached
from catalog.models import Item
from tests.factories import AuthorityFactory, ItemFactory

pytestmark = pytest.mark.django_db


def test_an_answer_is_reused_until_a_visitor_could_see_a_change():
    cache.clear()
    item = ItemFactory(status=Item.PUBLISHED)
    calls = []

    def count():
        calls.append(1)
        return Item.objects.published().count()

    assert cached(("published",), count) == 1
    assert cached(("published",), count) == 1 and len(calls) == 1
    assert cached(("another question",), count) == 1 and len(calls) == 2
    ItemFactory()  # a draft: nothing a visitor sees
    assert cached(("published",), count) == 1 and len(calls) == 2
    services.item_withdraw(item=item)
    assert cached(("published",), count) == 0 and len(calls) == 3


def test_an_edit_shows_at_once_when_datestamps_lie_in_the_future():
    # generate_catalog dates items weeks ahead, and an import or a clock stepped back can too:
    # an edit made now does not move the latest datestamp, and must still move the cache key.
    cache.clear()
    items = [ItemFactory(status=Item.PUBLISHED, dcmi_type="Text") for _ in range(2)]
    Item.objects.update(modified=timezone.now() + timedelta(days=30))

    def texts():
        return Item.objects.published().filter(dcmi_type="Text").count()

    assert cached(("texts",), texts) == 2
    items[0].dcmi_type = "Sound"
    items[0].save()
    assert cached(("texts",), texts) == 1
    title = items[1].statements.create(term="title", value="A title a visitor sees", position=9)
    key_before = caching.catalogue_state()
    title.delete()
    assert caching.catalogue_state() != key_before


def test_a_draft_edit_and_a_record_renamed_move_the_version_too():
    # Only what moves the version may be cached: a rename changes labels on cached facets.
    record = AuthorityFactory(preferred_label="Kirkenes")
    before = caching.catalogue_state()
    record.preferred_label = "Kirkenes (Sør-Varanger)"
    record.save()
    assert caching.catalogue_state() != before


# A catalogue in a real file (the test database is in memory, where SQLite locks differently),
# whose write lock a second connection holds as a running import does; the page's connection
# is told to wait an hour for locks, so a cache that waited would hang the thread.
WHILE_LOCKED = textwrap.dedent("""
    import os, sqlite3, sys, threading
    os.environ["DATABASE_URL"] = "sqlite:///" + sys.argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    call_command("migrate", verbosity=0)
    connection.close()
    from catalog.site.caching import cached

    importer = sqlite3.connect(sys.argv[1], isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")
    seen = {}

    def page():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 3600000")
        seen["answer"] = cached(("question",), lambda: 42)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            seen["patience"] = cursor.fetchone()[0]

    thread = threading.Thread(target=page, daemon=True)
    thread.start()
    thread.join(120)
    print("waiting" if thread.is_alive() else f"{seen['answer']} {seen['patience']}")
    sys.stdout.flush()
    os._exit(0)
""")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL locks rows, not the database")
def test_a_page_is_served_uncached_rather_than_wait_for_an_import(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", WHILE_LOCKED, str(tmp_path / "catalogue.sqlite3")],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    # The answer was computed and served, and the connection's patience is as it was.
    assert run.stdout.split() == ["42", "3600000"]
