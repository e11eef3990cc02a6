"""records.page() reads its rows on a bare cursor (records.py, "Reading rows as the driver gives
them"): what it gives must be what the models say, record by record."""
import io

import pytest
from django.core.management import call_command

from catalog.facets import index as facet_index
from catalog.models import Item, Tombstone
from catalog.oai import formats, records

pytestmark = pytest.mark.django_db


def walk(selection, size):
    found, cursor, more = [], records.Cursor(), True
    while more:
        page, more, cursor = records.page(selection, after=cursor, size=size)
        found += page
    return found


def test_a_walk_through_the_pages_gives_each_record_as_the_models_describe_it():
    call_command("generate_catalog", 300, seed=3, big_series=30, verbosity=0, stdout=io.StringIO())
    assert Tombstone.objects.exists() and Item.objects.published().filter(parent__isnull=False).exists()
    found = walk(records.Selection(), size=37)
    published = {item.identifier: item for item in Item.objects.published()}
    tombstones = {tombstone.identifier: tombstone for tombstone in Tombstone.objects.all()}
    assert sorted(record.identifier for record in found) == sorted([*published, *tombstones])
    for record in found:
        if record.deleted:
            tombstone = tombstones[record.identifier]
            assert (record.datestamp, record.set_specs) == (tombstone.datestamp, tombstone.set_specs.split())
        else:
            item = published[record.identifier]
            assert record.datestamp == item.modified and record.datestamp.utcoffset().total_seconds() == 0
            assert record.set_specs == item.set_specs()
            assert (record.pk, record.dcmi_type, record.parent_id) == (item.pk, item.dcmi_type, item.parent_id)
    # In datestamp order, items and tombstones merged.
    assert [record.datestamp for record in found] == sorted(record.datestamp for record in found)


def test_the_items_a_format_leaves_out_are_counted_per_range():
    call_command("generate_catalog", 120, seed=4, verbosity=0, stdout=io.StringIO())
    chosen = list(Item.objects.published().order_by("pk").values_list("pk", flat=True))[::3]
    Item.objects.filter(pk__in=chosen).update(rights_uri="http://creativecommons.org/licenses/by/4.0/", dcmi_type="StillImage")
    facet_index.refresh(chosen)  # as every bulk writer does (an update sends no signal)
    edm = records.Selection(include_deleted=False, condition=formats.get("edm").condition())
    everything = records.Selection(include_deleted=False)
    cursor, more, left_out, delivered = records.Cursor(), True, 0, 0
    while more:
        page, more, after = records.page(edm, after=cursor, size=5)
        left_out += records.left_out(edm, after=cursor.items, upto=after.items if more else None, delivered=len(page))
        delivered += len(page)
        cursor = after
    assert 0 < delivered < everything.count()
    assert left_out == everything.count() - delivered == everything.items().exclude(edm.condition).count()


def test_a_described_page_reads_the_units_above_once(django_assert_num_queries):
    call_command("generate_catalog", 60, seed=5, big_series=10, verbosity=0, stdout=io.StringIO())
    # The items, the tombstones, their collections, the units above them (their parents
    # included), the rest of their rows, their statements: as many for any page (the export's).
    with django_assert_num_queries(6):
        page, _more, _cursor = records.page(records.Selection(), size=20, describe=True)
    described = [record for record in page if not record.deleted]
    assert described and all(record.description is not None for record in described)
    for record in described:
        item = Item.objects.get(pk=record.pk)
        parent = item.parent.identifier if item.parent_id else None
        assert record.description.parent_oai_identifier == (f"oai:arkiv.example.org:{parent}" if parent else "")
