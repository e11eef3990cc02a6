"""Reading the arrangement: paths, children, neighbours, context and the sets of fonds."""
import pytest
from django.contrib.auth.models import AnonymousUser

from catalog import arrangement
from catalog.models import Item, Level
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def unit(identifier, *, parent=None, level="item", status=Item.PUBLISHED):
    made = ItemFactory(identifier=identifier, status=status)
    made.parent, made.level = parent, Level.objects.get(code=level)
    made.save()
    return made


@pytest.fixture
def fonds():
    top = unit("kf", level="fonds")
    series = unit("kf-a", parent=top, level="series")
    for n in range(4):
        unit(f"kf-a-{n}", parent=series, status=Item.DRAFT if n == 2 else Item.PUBLISHED)
    return top


def test_path_runs_from_the_top_down():
    top = unit("kf", level="fonds")
    series = unit("kf-a", parent=top, level="series")
    leaf = unit("kf-a-1", parent=series)
    assert [u.identifier for u in arrangement.path(Item.objects.get(pk=leaf.pk))] == ["kf", "kf-a"]


def test_context_counts_what_a_visitor_sees(fonds, admin_user):
    last = Item.objects.get(identifier="kf-a-3")
    seen = arrangement.context(last, AnonymousUser())
    assert (seen.number, seen.of, seen.parent.identifier) == (3, 3, "kf-a")
    assert (arrangement.context(last, admin_user).number, arrangement.context(last, admin_user).of) == (4, 4)


def test_neighbours_skip_what_a_visitor_may_not_see(fonds):
    middle = Item.objects.get(identifier="kf-a-1")
    before, after = arrangement.neighbours(middle, AnonymousUser())
    assert (before.identifier, after.identifier) == ("kf-a-0", "kf-a-3")


def test_child_counts_in_one_query(fonds, django_assert_num_queries):
    series = Item.objects.get(identifier="kf-a")
    with django_assert_num_queries(1):
        counts = arrangement.child_counts([fonds, series], AnonymousUser())
    assert counts == {fonds.pk: 1, series.pk: 3}


def test_tops_are_the_units_with_units_below(fonds):
    unit("lone-photo")
    assert [u.identifier for u in arrangement.tops()] == ["kf"]


def test_a_units_sets_include_its_fonds(fonds):
    assert "fonds:kf" in Item.objects.get(identifier="kf-a-1").set_specs()
    assert "fonds:kf" in Item.objects.get(identifier="kf").set_specs()
