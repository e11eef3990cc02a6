"""The change log (catalog/facets/changes.py): what a token says changed since, and when it says
to count afresh instead."""
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count, F

from catalog.facets import changes, index
from catalog.facets.models import FacetChange, FacetEntry
from catalog.models import Authority, Item
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db


def token():
    """A token of now, as a count takes it."""
    sql, params = FacetEntry.objects.filter(facet="type").values("key").query.sql_with_params()
    _rows, taken = changes.counted_with_token(f"SELECT {connection.ops.quote_name('key')}, 1 FROM ({sql}) q", params)
    return taken


def test_a_count_comes_with_its_token():
    ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    ItemFactory(status=Item.PUBLISHED, dcmi_type="Sound")
    sql, params = FacetEntry.objects.filter(facet="type").values("key").annotate(n=Count("*")).order_by().query.sql_with_params()
    rows, taken = changes.counted_with_token(sql, params)
    assert sorted(rows) == [("Sound", 1), ("Text", 2)]
    assert changes.since(taken) == ({}, taken)


def test_since_gives_each_changed_item_its_rows_then_and_now():
    item = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    place = AuthorityFactory(kind=Authority.PLACE)
    before = token()
    item.dcmi_type = "Sound"
    item.save()  # logged once with the rows of before
    StatementFactory(item=item, term="spatial", value="x", authority=place)  # and again: its first entry counts
    draft = ItemFactory(status=Item.DRAFT, dcmi_type="Image")
    changed, now = changes.since(before)
    assert changed[item.pk][0]["type"] == {"Text"} and "place" not in changed[item.pk][0]
    assert changed[item.pk][1]["type"] == {"Sound"} and changed[item.pk][1]["place"] == {str(place.pk)}
    assert changed[draft.pk] == ({}, {})  # a draft: no rows then or now
    assert changes.since(now) == ({}, now)


def test_a_deleted_item_had_its_rows_and_has_none():
    item = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    before = token()
    pk = item.pk
    item.delete()
    changed, _now = changes.since(before)
    assert changed[pk][0]["type"] == {"Text"} and not changed[pk][1]


def test_a_rebuild_or_a_large_write_says_count_afresh():
    items = [ItemFactory(status=Item.PUBLISHED, dcmi_type="Text") for _ in range(3)]
    before = token()
    index.rebuild()
    assert changes.since(before) == (None, None)
    before = token()
    index.refresh([item.pk for item in items])
    assert changes.since(before)[0] is not None  # three items are logged one by one
    original, changes.ITEMS = changes.ITEMS, 2
    try:
        assert changes.since(before) == (None, None)  # more changed items than ITEMS
        before = token()
        index.refresh([item.pk for item in items])  # a write of more than ITEMS logs a marker
        assert FacetChange.objects.filter(item_id__isnull=True).exists()
        assert changes.since(before) == (None, None)
    finally:
        changes.ITEMS = original


def test_a_large_write_names_its_items_for_a_reader_that_reads_them_again(monkeypatch):
    monkeypatch.setattr(changes, "ITEMS", 2)
    items = [ItemFactory(status=Item.PUBLISHED, dcmi_type="Text") for _ in range(4)]
    draft = ItemFactory(status=Item.DRAFT)
    before = token()
    Item.objects.filter(pk__in=[items[0].pk, items[1].pk]).update(dcmi_type="Sound")  # raw: the refresh logs it
    index.refresh([item.pk for item in items[:3]] + [draft.pk])

    assert changes.since(before) == (None, None)  # a marker to whoever counts
    found = changes.read_since(before, named=True)
    assert set(found.changes) == {items[0].pk, items[1].pk, items[2].pk, draft.pk}
    assert found.changes[items[0].pk] == (None, {"type": {"Sound"}, **{
        facet: keys for facet, keys in found.changes[items[0].pk][1].items() if facet != "type"}})
    assert found.changes[items[2].pk][1]["type"] == {"Text"} and found.changes[draft.pk] == (None, {})
    assert all(old is None for old, _new in found.changes.values())

    monkeypatch.setattr(changes, "MARKED_ITEMS", 3)
    before = token()
    index.refresh([item.pk for item in items])  # four items: more than a marker names
    assert changes.read_since(before, named=True).changes is None


def test_items_logged_one_by_one_before_a_marker_that_names_others_are_kept(monkeypatch):
    monkeypatch.setattr(changes, "ITEMS", 3)
    items = [ItemFactory(status=Item.PUBLISHED, dcmi_type="Text") for _ in range(5)]
    before = token()
    items[4].dcmi_type = "Image"
    items[4].save()  # one item, logged with its rows of before (an entry or two: index and words)
    index.refresh([item.pk for item in items[:4]])
    found = changes.read_since(before, named=True)
    assert found.changes[items[4].pk][0]["type"] == {"Text"} and found.changes[items[4].pk][1]["type"] == {"Image"}
    assert {item.pk for item in items[:4]} <= found.changes.keys()


def test_a_token_of_another_log_is_not_taken():
    ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    snapshot, anchor_id, anchor_created = token()
    assert changes.since((snapshot, anchor_id, anchor_created + 1)) == (None, None)  # its anchor is not this log's
    FacetChange.objects.all().delete()  # pruned
    assert changes.since((snapshot, anchor_id, anchor_created)) == (None, None)


def test_a_token_taken_after_an_hour_without_edits_outlives_the_next_edits_prune():
    """The log's newest entry anchors every token taken while nothing is written: the prune of
    the next write (entries older than KEEP_SECONDS) must leave it, or every reader starts over."""
    item = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    FacetChange.objects.update(created=F("created") - 2 * changes.KEEP_SECONDS)  # a quiet archive
    old = dict(FacetChange.objects.values_list("pk", "item_id"))
    quiet = token()
    item.dcmi_type = "Sound"
    item.save()  # logs, and prunes what is older than KEEP_SECONDS
    changed, _now = changes.since(quiet)
    assert changed is not None and changed[item.pk][1]["type"] == {"Sound"}
    left = set(FacetChange.objects.filter(pk__in=old).values_list("pk", flat=True))
    assert max(old) in left  # the anchor
    assert not {pk for pk in left if old[pk] is not None} - {max(old)}  # the other items' entries went


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_after_the_token_is_seen_though_begun_before():
    """A writer that logged before the reader's token was taken but committed after: its change is
    past the token (on PostgreSQL, where commits come in any order, by its transaction id)."""
    item = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    other = ItemFactory(status=Item.PUBLISHED, dcmi_type="Text")
    wrote, read, errors = threading.Event(), threading.Event(), []

    def writer():
        try:
            with transaction.atomic():
                again = Item.objects.get(pk=item.pk)
                again.dcmi_type = "Sound"
                again.save()
                wrote.set()
                assert read.wait(20)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    if connection.vendor == "sqlite":
        pytest.skip("SQLite has one writer at a time: ids are committed in order")
    thread = threading.Thread(target=writer)
    thread.start()
    assert wrote.wait(20)
    # Another writer commits meanwhile, with a later id than the open one's entry.
    again = Item.objects.get(pk=other.pk)
    again.dcmi_type = "Image"
    again.save()
    taken = token()
    read.set()
    thread.join(30)
    assert not errors, errors
    changed, _now = changes.since(taken)
    assert set(changed) == {item.pk}
    assert changed[item.pk][0]["type"] == {"Text"} and changed[item.pk][1]["type"] == {"Sound"}
