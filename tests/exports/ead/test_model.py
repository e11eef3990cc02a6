"""The walk of a finding aid: which units, in which order, read a batch of siblings at a time in
a fixed number of queries, with memory of one batch per open level."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.exports.ead import model
from catalog.models import Item

from .conftest import unit

pytestmark = pytest.mark.django_db


def walked(top, **options):
    return [(u.depth, u.identifier) for u in model.walk(top, **options)]


def test_the_walk_is_depth_first_in_arrangement_order_without_the_draft_series(fonds):
    assert walked(fonds) == [
        (0, "kf"), (1, "kf-a"), (2, "kf-a-1"), (3, "kf-a-1-2"), (3, "kf-a-1-3"), (3, "kf-a-1-1"), (2, "kf-a-2"),
        (1, "kf-c"),
    ]


def test_the_walk_is_the_same_a_batch_at_a_time(fonds, monkeypatch):
    whole = walked(fonds)
    monkeypatch.setattr(model, "BATCH", 1)
    assert walked(fonds) == whole


def test_siblings_of_equal_position_follow_their_ids(db):
    top = unit("top", level="fonds")
    for identifier in ("c", "a", "b"):
        unit(identifier, parent=top)
    assert [identifier for _depth, identifier in walked(top)] == ["top", "c", "a", "b"]


def test_a_batch_of_siblings_costs_three_queries_whatever_it_holds(db, monkeypatch):
    """Units, their statements with records, their child counts (records' links once each)."""
    monkeypatch.setattr(model, "BATCH", 3)
    top = unit("top", level="fonds")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            list(model.walk(Item.objects.get(pk=top.pk)))
        return len(captured)

    for n in range(3):
        unit(f"leaf-{n}", parent=top)
    three = queries()
    for n in range(3, 12):
        unit(f"leaf-{n}", parent=top)
    assert queries() - three == 3 * 3  # three more batches


def test_the_walk_holds_one_batch_per_open_level(fonds, monkeypatch):
    """While it runs, the walk holds a reader for each level above the unit it gives, each with
    at most BATCH units read: never the whole fonds."""
    monkeypatch.setattr(model, "BATCH", 2)
    walk = model.Walk(fonds)
    held = []
    for unit_ in walk:
        batches = [reader.gi_frame.f_locals.get("batch", []) for reader in walk.open_levels if reader.gi_frame]
        held.append((unit_.depth, len(walk.open_levels), max(map(len, batches), default=0)))
    assert max(levels for _depth, levels, _most in held) == 3  # fonds, series, file: the deepest path
    assert all(levels == depth for depth, levels, _most in held if depth)  # only the path above
    assert max(most for _depth, _levels, most in held) == 2
