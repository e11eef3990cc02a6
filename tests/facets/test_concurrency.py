"""Two writers at once on PostgreSQL: the facet index still equals a rebuild, and writers of
different items never wait for each other's commit (the catalogue version is striped)."""
import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.db.models import Sum

from catalog.facets import index
from catalog.facets.models import FacetCount, FacetEntry
from catalog.models import Authority, Item
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time"),
]

PATIENCE = 20  # seconds a thread waits for the other before the test fails


def rows():
    """The index's rows, and its counts (which must agree with them)."""
    found = sorted(FacetEntry.objects.values_list("item_id", "facet", "key"))
    summed = FacetCount.objects.values("facet", "key").annotate(total=Sum("items")).filter(total__gt=0)
    assert {(r["facet"], r["key"]): r["total"] for r in summed} == Counter((f, k) for _, f, k in found)
    return found


def in_thread(work, errors):
    def run():
        try:
            work()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_writers_of_one_item_take_turns_and_the_index_holds_both_changes():
    item = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    subject = AuthorityFactory(kind=Authority.CONCEPT)
    first_wrote, errors = threading.Event(), []

    def add_subject():
        with transaction.atomic():
            StatementFactory(item=Item.objects.get(pk=item.pk), term="subject", value="x", authority=subject)
            first_wrote.set()
            threading.Event().wait(1)  # the other writer starts meanwhile and must wait for this commit

    def change_type():
        assert first_wrote.wait(PATIENCE)
        with transaction.atomic():
            again = Item.objects.get(pk=item.pk)
            again.dcmi_type = "Sound"
            again.save()

    threads = [in_thread(add_subject, errors), in_thread(change_type, errors)]
    for thread in threads:
        thread.join(PATIENCE * 2)
    assert not errors, errors
    found = rows()
    assert (item.pk, "subject", str(subject.pk)) in found and (item.pk, "type", "Sound") in found
    index.rebuild()
    assert rows() == found


def test_writers_of_different_items_do_not_wait_for_each_other():
    one = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    other = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    first_wrote, second_committed, errors = threading.Event(), threading.Event(), []

    def slow_writer():
        with transaction.atomic():
            item = Item.objects.get(pk=one.pk)
            item.dcmi_type = "Sound"
            item.save()
            first_wrote.set()
            # Held open until the other writer has committed: had it to wait, it never would.
            assert second_committed.wait(PATIENCE), "the second writer waited for the first's commit"

    def quick_writer():
        assert first_wrote.wait(PATIENCE)
        item = Item.objects.get(pk=other.pk)
        item.dcmi_type = "Image"
        item.save()
        second_committed.set()

    threads = [in_thread(slow_writer, errors), in_thread(quick_writer, errors)]
    for thread in threads:
        thread.join(PATIENCE * 2)
    assert not errors, errors
    found = rows()
    index.rebuild()
    assert rows() == found
