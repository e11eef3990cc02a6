"""The facet index held in memory (catalog/facets/bitmaps.py) equals the index after every kind of
write, brought up to date by the change log or read again past a marker."""
from io import StringIO

import pytest
from django.core.management import call_command

from catalog import services
from catalog.facets import bitmaps, index
from catalog.facets.models import FacetEntry
from catalog.models import Authority, Collection, Item, Statement

pytestmark = pytest.mark.django_db


def held_rows():
    held, found = bitmaps.brought_up_to_date()
    assert found.changes is not None
    return {(facet, key, item) for facet, keys in held.bitmaps.items() for key, ids in keys.items() for item in ids}


def index_rows():
    return set(FacetEntry.objects.values_list("facet", "key", "item_id"))


@pytest.fixture
def demo():
    bitmaps.forget()
    call_command("load_demo", verbosity=0, stdout=StringIO())
    assert held_rows() == index_rows() != set()
    yield
    bitmaps.forget()


def test_each_kind_of_write_is_brought_into_the_bitmaps(demo):
    item = Item.objects.published().filter(children__isnull=True, statements__term="subject").first()
    item.dcmi_type = "Sound" if item.dcmi_type != "Sound" else "Text"
    item.save()
    assert held_rows() == index_rows()
    place = Authority.objects.filter(kind=Authority.PLACE).first()
    Statement.objects.create(item=item, term="spatial", value=place.preferred_label, authority=place, position=70)
    Item.objects.published().exclude(collections=Collection.objects.first()).first().collections.add(Collection.objects.first())
    assert held_rows() == index_rows()
    services.item_withdraw(item=Item.objects.get(pk=item.pk))
    assert held_rows() == index_rows()
    services.item_publish(item=Item.objects.get(pk=item.pk))
    Item.objects.published().filter(children__isnull=True).exclude(pk=item.pk).first().delete()
    assert held_rows() == index_rows()


def test_past_a_marker_the_index_is_read_again(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # nothing changed: the log is asked, the index is not read
        held_rows()
    index.rebuild()
    Item.objects.published().update(dcmi_type="Text")  # a raw write the log never sees ...
    index.rebuild()  # ... until the rebuild it needs, which logs a marker
    assert held_rows() == index_rows()


def test_a_large_write_brings_in_the_items_it_names_without_reading_everything(demo, monkeypatch):
    from catalog.facets import changes

    monkeypatch.setattr(changes, "ITEMS", 3)
    read = []
    monkeypatch.setattr(bitmaps, "_read", lambda original=bitmaps._read: read.append(1) or original())
    published = list(Item.objects.published().filter(children__isnull=True).order_by("pk")[:6])
    Item.objects.filter(pk__in=[item.pk for item in published[:3]]).update(dcmi_type="Sound")
    Item.objects.filter(pk=published[3].pk).update(status=Item.DRAFT)  # leaves every bitmap
    index.refresh([item.pk for item in published])  # six items: a marker that names them
    assert held_rows() == index_rows()
    assert not read  # brought up to date by the named items, not read again

    index.rebuild()  # a marker that names none
    assert held_rows() == index_rows() and read == [1]


def test_an_index_too_large_to_hold_is_not_held(demo, settings):
    settings.ARKIV_FACET_BITMAP_ROWS = len(index_rows()) - 1
    bitmaps.forget()
    assert bitmaps.brought_up_to_date() == (None, None)


@pytest.mark.django_db(transaction=True)
def test_a_web_process_reads_them_as_it_starts(caplog):
    """archive/wsgi.py reads them in a thread of its own, and says when it holds them (whoever
    restarts a server, and benchmarks/browse.py, wait for that); a search then finds them held."""
    import logging

    from django.db import connection

    bitmaps.forget()
    Item.objects.create(identifier="read-at-start", status=Item.PUBLISHED, dcmi_type="Text")
    with caplog.at_level(logging.INFO, logger="catalog.facets.bitmaps"):
        bitmaps.read_in_background().join(timeout=60)
    assert any(r.getMessage().startswith("Facet bitmaps held: ") for r in caplog.records)
    assert bitmaps._HELD.get(connection.alias) is not None
    assert held_rows() == index_rows() != set()
    bitmaps.forget()


def counted_by_hand(held, facets, items):
    return {
        facet: {key: len(set(ids) & set(items)) for key, ids in held.bitmaps.get(facet, {}).items() if set(ids) & set(items)}
        for facet in facets
    }


@pytest.mark.parametrize("share", [0.0, 0.02, 0.3, 0.49, 0.51, 0.9, 1.0])
def test_counts_of_sparse_and_dense_sets_are_exact(share):
    # Sparse sets are counted through their complement: both ways must give every value's count.
    import random

    from pyroaring import BitMap

    rng = random.Random(share)
    ids = range(1, 20_001)
    held = bitmaps.Bitmaps(None, {
        "agent": {f"a{n}": BitMap(rng.sample(ids, 40)) for n in range(300)},
        "type": {"Text": BitMap(rng.sample(ids, 12_000)), "Image": BitMap(rng.sample(ids, 8_000))},
    })
    items = BitMap(rng.sample(ids, int(share * 20_000)))
    items.add(25_000)  # a match no facet holds (a draft): above every id the bitmaps hold
    assert held.counts(["agent", "type", "none"], items) == counted_by_hand(held, ["agent", "type", "none"], items)


def test_items_brought_in_above_every_id_are_counted(demo):
    from pyroaring import BitMap

    held, _ = bitmaps.brought_up_to_date()
    before = held.universe
    made = [Item.objects.create(identifier=f"bitmaps-new-{n}", status=Item.PUBLISHED, dcmi_type="Sound") for n in range(2)]
    held, _ = bitmaps.brought_up_to_date()
    assert held.universe > made[-1].pk >= before
    sounds = len(held.bitmaps["type"]["Sound"])
    assert held.counts(["type"], BitMap([made[0].pk])) == {"type": {"Sound": 1}}
    assert held.counts(["type"], BitMap(held.bitmaps["type"]["Sound"]) - BitMap([made[0].pk])) == {"type": {"Sound": sounds - 1}}


@pytest.mark.django_db(transaction=True)
def test_a_web_process_leaves_what_it_loaded_at_start_to_the_collector_no_more():
    """archive/wsgi.py freezes what it loaded (gc.freeze): a full collection no longer walks it."""
    import gc
    import importlib
    import sys
    import threading

    gc.unfreeze()
    sys.modules.pop("archive.wsgi", None)
    try:
        importlib.import_module("archive.wsgi")
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
        for thread in threading.enumerate():
            if thread.name == "arkiv-facet-bitmaps":
                thread.join(timeout=60)
        bitmaps.forget()
