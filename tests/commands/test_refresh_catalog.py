"""`manage.py refresh_catalog`: every unit's place recomputed from its parents after raw writes
(fixtures, bulk loads), in bulk, refusing what cannot be placed."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.management.commands import refresh_catalog
from catalog.models import Item, Tombstone
from catalog.models.items import ARRANGEMENT_CYCLE, MAX_DEPTH, REFERENCE_TAKEN
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def refresh():
    out = StringIO()
    call_command("refresh_catalog", stdout=out)
    return out.getvalue()


def published(identifier, parent=None, code="", **fields):
    return ItemFactory(identifier=identifier, parent=parent, local_code=code, status=Item.PUBLISHED, **fields)


def places():
    return {i: (a, r, p) for i, a, r, p in Item.objects.values_list("identifier", "ancestry", "reference", "ancestors_public")}


def tree():
    fonds = published("fonds", code="F")
    series = [published(f"series-{n}", fonds, code=letter) for n, letter in enumerate("AB")]
    files = [published(f"file-{s.local_code}{n}", s, code=str(n)) for s in series for n in (1, 2)]
    items = [published(f"item-{f.identifier}-{n}", f, code=str(n)) for f in files for n in (1, 2, 3)]
    return fonds, series, files, items


def scramble():
    """What a raw load leaves: places as the column defaults have them."""
    Item.objects.update(ancestry="/", reference=None, ancestors_public=True)


def test_a_raw_load_gets_the_places_save_would_have_given():
    tree()
    saved = places()
    scramble()
    said = refresh()
    assert places() == saved
    assert places()["item-file-B2-3"][1] == "F/B/2/3"
    assert "the places of 19 units were recomputed" in said


def test_a_catalogue_placed_right_is_read_and_not_written():
    tree()
    with CaptureQueriesContext(connection) as queries:
        changed, _visibility = refresh_catalog.place_units()
    assert changed == 0
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_the_place_pass_takes_the_same_queries_at_any_size():
    def count():
        scramble()
        with CaptureQueriesContext(connection) as queries:
            refresh_catalog.place_units()
        return len(queries)

    fonds, series, _files, _items = tree()
    small = count()
    for n in range(150):  # more units under the same parents: the batches of writing grow, not the reads
        published(f"more-{n}", series[0], code=f"x{n}")
    assert count() <= small + 2


def test_codes_that_swap_between_branches_are_written_without_a_clash():
    """P/1 becomes Q/1 while Q/1 becomes P/1: each reference code is another's old one."""
    first, second = published("first", code="P"), published("second", code="Q")
    published("under-first", first, code="1")
    published("under-second", second, code="1")
    # Raw edits of the codes above: the units below are not carried along.
    Item.objects.filter(pk__in=[first.pk, second.pk]).update(reference=None)
    Item.objects.filter(pk=first.pk).update(local_code="Q")
    Item.objects.filter(pk=second.pk).update(local_code="P")
    refresh()
    assert places()["under-first"][1] == "Q/1" and places()["under-second"][1] == "P/1"


def test_a_unit_under_a_draft_is_hidden_and_gets_its_tombstone():
    fonds, series, files, items = tree()
    Item.objects.filter(pk=series[1].pk).update(status=Item.DRAFT)  # raw: nothing carried below
    refresh()
    below = Item.objects.filter(ancestry__startswith=series[1].subtree_prefix)
    assert below.count() == 8 and not below.filter(ancestors_public=True).exists()
    assert set(Tombstone.objects.values_list("identifier", flat=True)) == set(below.values_list("identifier", flat=True))
    assert not Item.objects.published().filter(pk__in=below).exists()
    assert Item.objects.published().filter(ancestry__startswith=series[0].subtree_prefix).count() == 8


def test_a_cycle_is_refused_and_named_and_nothing_changes():
    fonds, series, files, items = tree()
    Item.objects.filter(pk=fonds.pk).update(parent=files[0])  # fonds under its own file
    scramble()
    before = places()
    with pytest.raises(CommandError) as refused:
        refresh()
    assert str(refresh_catalog.NOT_PLACED) in str(refused.value)
    assert str(ARRANGEMENT_CYCLE % {"unit": "fonds", "parent": files[0].identifier}) in str(refused.value)
    assert f"catalog.item {fonds.pk} (fonds): parent:" in str(refused.value)
    assert places() == before


def test_two_siblings_with_one_code_are_refused():
    fonds, series, files, items = tree()
    Item.objects.filter(pk=series[1].pk).update(local_code="A")
    with pytest.raises(CommandError) as refused:
        refresh()
    taken = REFERENCE_TAKEN % {"reference": "F/A", "other": "series-0"}
    assert f"catalog.item {series[1].pk} (series-1): local_code: {taken}" in str(refused.value)


def test_a_unit_deeper_than_the_arrangement_allows_is_refused():
    deepest = None
    for depth in range(MAX_DEPTH):  # depths 0 to MAX_DEPTH - 1, the deepest allowed
        deepest = Item.objects.create(identifier=f"level-{depth}", dcmi_type="Text", parent=deepest)
    too_deep = Item.objects.create(identifier="too-deep", dcmi_type="Text")
    Item.objects.filter(pk=too_deep.pk).update(parent=deepest)  # raw: no check
    problems = refresh_catalog.arrangement_problems()
    assert problems == [f"  catalog.item {too_deep.pk} (too-deep): parent: {refresh_catalog.ARRANGEMENT_TOO_DEEP % {'limit': MAX_DEPTH}}"]
