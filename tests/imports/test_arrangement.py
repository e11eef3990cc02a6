"""The arrangement through the import: `level`, `parent` and `local_code` columns, a parent
anywhere in the file or in the catalogue, the row errors only the whole file shows, and units
moved, recoded or republished as the arrangement service would."""
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.exports.csv import by_arrangement, write
from catalog.imports import arrangement as places
from catalog.imports import csv as engine
from catalog.imports import placing, plan
from catalog.imports.lookup import LEVEL_DID_YOU_MEAN, LEVEL_UNKNOWN
from catalog.models import Item, Level, Tombstone
from catalog.models.items import MAX_DEPTH
from tests.factories import ItemFactory

from .conftest import all_entries, catalogue_state

pytestmark = pytest.mark.django_db


def unit(identifier, *, parent=None, level="item", code="", status=Item.PUBLISHED, **kwargs):
    """A unit saved as the admin saves one (Item.save() derives its place)."""
    made = ItemFactory(identifier=identifier, status=status, dcmi_type=kwargs.pop("dcmi_type", "Collection"), **kwargs)
    made.parent, made.level, made.local_code = parent, Level.objects.get(code=level), code
    made.save()
    return made


@pytest.fixture
def tree():
    fonds = unit("kf", level="fonds", code="KF")
    series_a = unit("kf-a", parent=fonds, level="series", code="A")
    series_b = unit("kf-b", parent=fonds, level="series", code="B")
    file_1 = unit("kf-a-1", parent=series_a, level="file", code="1")
    note = unit("note-0924", parent=file_1, code="7", dcmi_type="Text")
    return {"fonds": fonds, "a": series_a, "b": series_b, "file": file_1, "note": note}


def fresh(identifier):
    return Item.objects.select_related("level", "parent").get(identifier=identifier)


def assert_places_derived():
    """Every unit's stored place is what Item.place() derives from its parent."""
    for item in Item.objects.order_by("pk"):
        stored = (item.ancestry, item.reference, item.ancestors_public)
        item.place()
        assert (item.ancestry, item.reference, item.ancestors_public) == stored, item.identifier


def errors_by_identifier(store):
    found = {}
    for entry in all_entries(store):
        for error in entry["errors"]:
            found.setdefault(entry["identifier"], []).append((error["column"], error["message"]))
    return found


# --- placing new units -------------------------------------------------------------------------

def test_children_may_come_before_their_parents_in_the_file(run):
    data = (
        "identifier,type,level,parent,local_code,dc:title\n"
        "note-2,Text,item,file-1,2,Second note\n"
        "note-1,Text,item,file-1,1,First note\n"
        "file-1,Collection,file,series-a,1,Letters\n"
        "series-a,Collection,series,fonds,A,Correspondence\n"
        "fonds,Collection,fonds,,KF,Kirkenes fonds\n"
    )

    result, store = run(data, apply=True)

    assert result.applied and result.counts["create"] == 5, store.errors()
    fonds, series, file_1 = fresh("fonds"), fresh("series-a"), fresh("file-1")
    assert (fonds.parent, series.parent, file_1.parent) == (None, fonds, series)
    assert [fresh(i).level.code for i in ("fonds", "series-a", "file-1", "note-1")] == ["fonds", "series", "file", "item"]
    assert fresh("note-1").reference == "KF/A/1/1" and fresh("note-2").reference == "KF/A/1/2"
    assert fresh("note-1").ancestry == f"/{fonds.pk}/{series.pk}/{file_1.pk}/"
    # Children in the order of the file, wherever their parent stood.
    assert list(file_1.children.order_by("position").values_list("identifier", flat=True)) == ["note-2", "note-1"]
    assert_places_derived()


def test_a_new_unit_under_a_unit_of_the_catalogue_follows_its_present_children(run, tree):
    result, store = run(
        "identifier,type,level,parent,local_code,dc:title\n"
        "kf-a-3,Collection,file,kf-a,3,Photographs\n"
        "kf-a-2,Collection,file,kf-a,2,Maps\n",
        apply=True,
    )

    assert result.applied, store.errors()
    children = list(fresh("kf-a").children.order_by("position", "pk").values_list("identifier", flat=True))
    assert children == ["kf-a-1", "kf-a-3", "kf-a-2"]
    assert fresh("kf-a-2").reference == "KF/A/2"
    assert fresh("kf-a-2").reference_code.endswith(" KF/A/2")
    assert_places_derived()


def test_a_new_unit_without_a_parent_column_stands_at_the_top_with_its_level(run):
    result, store = run("identifier,type,local_code\nkir-001,Text,K1\nkir-002,Text,\n", apply=True)

    assert result.applied, store.errors()
    assert (fresh("kir-001").reference, fresh("kir-002").reference) == ("K1", "kir-002")
    assert fresh("kir-001").level.code == "item" and fresh("kir-001").parent is None
    assert_places_derived()


def test_a_new_published_unit_under_a_draft_unit_is_hidden_as_saving_it_would_hide_it(run, tree):
    unit("drafts", level="fonds", status=Item.DRAFT)

    result, store = run(
        "identifier,type,status,parent,dc:title\n"
        "shown,Text,published,kf-b,Shown\n"
        "hidden,Text,published,drafts,Hidden\n",
        apply=True,
    )

    assert result.applied, store.errors()
    visible = set(Item.objects.published().values_list("identifier", flat=True))
    assert "shown" in visible and "hidden" not in visible
    assert_places_derived()
    # As Item.save() does for a published unit below a unit that is not: a tombstone.
    saved = unit("saved-hidden", parent=fresh("drafts"))
    assert Tombstone.objects.filter(identifier=saved.identifier).exists()
    assert Tombstone.objects.filter(identifier="hidden").exists()
    assert not Tombstone.objects.filter(identifier="shown").exists()


# --- levels ------------------------------------------------------------------------------------

def test_an_unknown_level_is_a_row_error_that_suggests_the_code(run):
    result, store = run("identifier,type,level\nkir-001,Text,Seires\nkir-002,Text,Sub-fonds\nkir-003,Text,shelf\n")

    codes = ", ".join(Level.objects.values_list("code", flat=True))
    found = errors_by_identifier(store)
    assert found["kir-001"] == [("level", LEVEL_UNKNOWN.format(
        value="Seires", hint=LEVEL_DID_YOU_MEAN.format(code="series"), codes=codes))]
    assert found["kir-002"] == [("level", LEVEL_UNKNOWN.format(
        value="Sub-fonds", hint=LEVEL_DID_YOU_MEAN.format(code="subfonds"), codes=codes))]
    assert found["kir-003"] == [("level", LEVEL_UNKNOWN.format(value="shelf", hint="", codes=codes))]
    assert "collection, fonds, subfonds, series, subseries, file, item" in codes


def test_a_level_added_in_the_admin_is_a_level_of_the_import(run):
    Level.objects.create(code="piece", name="Piece", position=9)

    result, store = run("identifier,type,level\nkir-001,Text,Piece\n", apply=True)

    assert result.applied, store.errors()
    assert fresh("kir-001").level.code == "piece"


def test_an_empty_level_cell_makes_the_unit_an_item_and_says_so(run, tree):
    result, store = run("identifier,level\nkf-a,\nkf-b,series\n", apply=True)

    assert result.counts == {"create": 0, "update": 1, "unchanged": 1, "error": 0}
    [entry] = store.entries(["update"])
    assert entry["changes"] == [
        {"column": "level", "old": ["series"], "new": ["item"], "notes": [str(plan.LEVEL_CLEARED)]},
    ]
    assert fresh("kf-a").level.code == "item" and fresh("kf-b").level.code == "series"


def test_a_new_level_is_written_and_seen_by_harvesters(run, tree):
    past = timezone.now() - timedelta(days=1)
    Item.objects.update(modified=past)

    result, store = run("identifier,level\nkf-a,SubSeries\n", apply=True)

    assert result.applied, store.errors()
    assert fresh("kf-a").level.code == "subseries"
    assert set(Item.objects.filter(modified__gt=past).values_list("identifier", flat=True)) == {"kf-a"}


# --- the preview -------------------------------------------------------------------------------

def test_the_dry_run_shows_new_parents_levels_and_codes_and_changes_nothing(run, tree):
    before = catalogue_state()

    result, store = run(
        "identifier,type,level,parent,local_code\n"
        "kf-a-1,Collection,subseries,kf-b,1\n"
        "kf-a,Collection,series,,A\n"
        "kf-c,Collection,series,kf,C\n",
    )

    assert catalogue_state() == before
    assert result.counts == {"create": 1, "update": 2, "unchanged": 0, "error": 0}
    changes = {entry["identifier"]: entry["changes"] for entry in all_entries(store)}
    assert changes["kf-a-1"] == [
        {"column": "level", "old": ["file"], "new": ["subseries"], "notes": []},
        {"column": "parent", "old": ["kf-a"], "new": ["kf-b"], "notes": []},
    ]
    assert changes["kf-a"] == [{"column": "parent", "old": ["kf"], "new": [], "notes": [str(plan.AT_THE_TOP)]}]
    assert changes["kf-c"][1:] == [
        {"column": "level", "old": [], "new": ["series"], "notes": []},
        {"column": "parent", "old": [], "new": ["kf"], "notes": []},
        {"column": "local_code", "old": [], "new": ["C"], "notes": []},
    ]


# --- row errors --------------------------------------------------------------------------------

def test_a_parent_that_exists_nowhere_is_a_row_error_and_nothing_is_written(run, tree):
    before = catalogue_state()

    result, store = run(
        "identifier,type,parent\nkir-001,Text,kf-z\nkir-002,Text,kf-a\n", apply=True,
    )

    assert not result.applied and catalogue_state() == before
    assert result.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 1}
    assert errors_by_identifier(store) == {"kir-001": [("parent", places.PARENT_NOT_FOUND.format(parent="kf-z"))]}


def test_a_unit_cannot_be_its_own_parent(run, tree):
    result, store = run("identifier,type,parent\nkf-c,Collection,kf-c\nkf-a,Collection,kf-a\n")

    assert errors_by_identifier(store) == {
        "kf-c": [("parent", plan.OWN_PARENT.format(identifier="kf-c"))],
        "kf-a": [("parent", plan.OWN_PARENT.format(identifier="kf-a"))],
    }


def test_a_cycle_within_the_file_fails_every_unit_of_it_and_those_below(run):
    result, store = run(
        "identifier,type,parent\n"
        "a,Collection,c\n"
        "b,Collection,a\n"
        "c,Collection,b\n"
        "d,Collection,c\n"
        "e,Collection,\n",
        apply=True,
    )

    assert not result.applied and not Item.objects.exists()
    found = errors_by_identifier(store)
    assert set(found) == {"a", "b", "c", "d"}
    path = "a → c → b → a"
    assert found["a"] == [("parent", places.CYCLE.format(identifier="a", path=path))]
    assert found["c"] == [("parent", places.CYCLE.format(identifier="c", path=path))]
    assert found["d"] == [("parent", places.PARENT_FAILED.format(parent="c", row=4))]


def test_moving_a_unit_under_one_of_its_own_descendants_is_a_cycle(run, tree):
    before = catalogue_state()

    result, store = run("identifier,parent\nkf-a,kf-a-1\n", apply=True)

    assert not result.applied and catalogue_state() == before
    [(column, message)] = errors_by_identifier(store)["kf-a"]
    assert message == places.CYCLE.format(identifier="kf-a", path="kf-a → kf-a-1 → kf-a")


def test_a_cycle_through_rows_and_units_of_the_catalogue(run, tree):
    # kf-b goes under a new file under kf-a-1, and kf-a under kf-b: kf-a-1 is below kf-a.
    result, store = run(
        "identifier,type,parent\n"
        "kf-a,Collection,kf-b\n"
        "kf-b,Collection,new-file\n"
        "new-file,Collection,kf-a-1\n",
    )

    found = errors_by_identifier(store)
    path = "kf-a → kf-b → new-file → kf-a-1 → kf-a"
    assert found == {
        identifier: [("parent", places.CYCLE.format(identifier=identifier, path=path))]
        for identifier in ("kf-a", "kf-b", "new-file")
    }


def test_a_unit_more_levels_down_than_an_arrangement_has_is_a_row_error(run):
    rows = [f"u{n},Collection,{f'u{n - 1}' if n else ''}" for n in range(MAX_DEPTH + 2)]

    result, store = run("identifier,type,parent\n" + "\n".join(reversed(rows)) + "\n")

    found = errors_by_identifier(store)
    deepest = f"u{MAX_DEPTH}"
    assert found == {
        deepest: [("parent", places.TOO_DEEP.format(identifier=deepest, depth=MAX_DEPTH + 1, limit=MAX_DEPTH))],
        f"u{MAX_DEPTH + 1}": [("parent", places.PARENT_FAILED.format(parent=deepest, row=3))],
    }


def test_two_units_under_one_parent_cannot_share_a_local_code(run, tree):
    result, store = run(
        "identifier,type,parent,local_code\n"
        "kf-c,Collection,kf,C\n"
        "kf-c2,Collection,kf,C\n"
        "kf-a2,Collection,kf,A\n"
        "kf-b,Collection,kf,B\n",
    )

    assert errors_by_identifier(store) == {
        "kf-c2": [("local_code", places.REFERENCE_REPEATED.format(reference="KF/C", row=2, other="kf-c"))],
        "kf-a2": [("local_code", places.REFERENCE_TAKEN.format(reference="KF/A", other="kf-a"))],
    }


def test_a_new_unit_cannot_take_the_code_of_a_present_child_of_a_unit_that_moves(run, tree):
    # kf-a moves under kf-b: its file 1 follows it, so KF/B/A/1 is taken.
    result, store = run(
        "identifier,type,parent,local_code\n"
        "kf-a,Collection,kf-b,A\n"
        "other-1,Collection,kf-a,1\n",
    )

    assert errors_by_identifier(store) == {
        "other-1": [("local_code", places.REFERENCE_TAKEN.format(reference="KF/B/A/1", other="kf-a-1"))],
    }


def test_a_code_another_unit_gives_up_is_taken_only_in_a_later_import(run, tree):
    before = catalogue_state()

    result, store = run("identifier,local_code\nkf-a,B\nkf-b,A\n", apply=True)

    assert not result.applied and catalogue_state() == before
    assert errors_by_identifier(store) == {
        "kf-a": [("local_code", places.REFERENCE_STILL_TAKEN.format(reference="KF/B", other="kf-b"))],
        "kf-b": [("local_code", places.REFERENCE_STILL_TAKEN.format(reference="KF/A", other="kf-a"))],
    }
    result, store = run("identifier,local_code\nkf-a,C\nkf-b,D\n", apply=True)
    assert result.applied and fresh("note-0924").reference == "KF/C/1/7"


def test_a_bad_local_code_is_a_row_error(run):
    result, store = run("identifier,type,local_code\nkir-001,Text,A/B\n")

    [(column, message)] = errors_by_identifier(store)["kir-001"]
    assert column == "local_code" and "“A/B” cannot be a local reference code" in message


def test_skipping_bad_rows_skips_the_units_below_them_too(run, tree):
    result, store = run(
        "identifier,type,parent,dc:title\n"
        "child,Text,broken,Below a bad row\n"
        "broken,Photo,kf,Bad type\n"
        "grandchild,Text,child,Further below\n"
        "fine,Text,kf-b,Fine\n"
        "moved,Text,nowhere,No parent\n",
        apply=True, skip_bad_rows=True,
    )

    assert result.applied and result.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 4}
    assert set(Item.objects.filter(identifier__in=["child", "broken", "grandchild", "fine", "moved"])
               .values_list("identifier", flat=True)) == {"fine"}
    found = errors_by_identifier(store)
    assert found["child"] == [("parent", places.PARENT_FAILED.format(parent="broken", row=3))]
    assert found["grandchild"] == [("parent", places.PARENT_FAILED.format(parent="child", row=2))]
    assert fresh("fine").reference == "KF/B/fine"
    assert_places_derived()


def test_an_arrangement_error_found_after_every_row_changes_the_fingerprint(run, tree):
    good, _ = run("identifier,type,parent\nkir-001,Text,kf-a\n")
    bad, _ = run("identifier,type,parent\nkir-001,Text,kf-x\n")
    assert good.digest != bad.digest

    result, _ = run("identifier,type,parent\nkir-001,Text,kf-a\n", apply=True, expected_digest=good.digest)
    assert result.applied


# --- moving and recoding units of the catalogue --------------------------------------------------

def test_moving_a_unit_bumps_exactly_its_subtree(run, tree):
    past = timezone.now() - timedelta(days=1)
    Item.objects.update(modified=past)
    before = timezone.now()

    result, store = run("identifier,parent\nkf-a-1,kf-b\n", apply=True)

    assert result.applied and result.counts["update"] == 1, store.errors()
    bumped = set(Item.objects.filter(modified__gte=before).values_list("identifier", flat=True))
    assert bumped == {"kf-a-1", "note-0924"}
    assert fresh("note-0924").reference == "KF/B/1/7"
    assert fresh("kf-a-1").position == 0 and fresh("kf-a-1").parent.identifier == "kf-b"
    assert_places_derived()


def test_a_top_unit_given_its_first_units_below_by_the_file_moves_its_datestamp(run, tree):
    lone = unit("press", level="collection", code="PR")
    past = timezone.now() - timedelta(days=1)
    Item.objects.update(modified=past)

    result, store = run(
        "identifier,type,level,parent,local_code,dc:title\n"
        "press-1,Collection,series,press,1,Clippings\n"
        "kf-a-2,Collection,file,kf-a,2,Maps\n",
        apply=True,
    )

    assert result.applied, store.errors()
    # It joined the set of its own fonds; the fonds, which had units below it, did not change.
    assert fresh("press").modified > past
    assert fresh("kf").modified == past and fresh("kf-a").modified == past


def test_a_move_to_the_top_and_a_new_code_reach_every_unit_below(run, tree):
    unit("kf-b-1", parent=tree["b"], level="file", code="1")
    result, store = run("identifier,parent,local_code\nkf-a,,A2\nkf-a-1,kf-a,9\n", apply=True)

    assert result.applied, store.errors()
    assert fresh("kf-a").parent is None and fresh("kf-a").reference == "A2"
    assert fresh("note-0924").reference == "A2/9/7"
    assert "fonds:kf-a" in Item.objects.get(identifier="note-0924").set_specs()
    assert_places_derived()


def test_a_unit_and_a_new_parent_for_it_in_the_same_file(run, tree):
    result, store = run(
        "identifier,type,level,parent,local_code\n"
        "kf-a-1,Collection,file,kf-c,1\n"
        "kf-c,Collection,series,kf,C\n",
        apply=True,
    )

    assert result.applied, store.errors()
    assert fresh("note-0924").reference == "KF/C/1/7"
    assert fresh("kf-a-1").parent.identifier == "kf-c"
    assert_places_derived()


def test_a_unit_whose_status_changes_carries_its_visibility_down(run, tree):
    result, store = run("identifier,status\nkf-a,draft\n", apply=True)

    assert result.applied, store.errors()
    assert not Item.objects.published().filter(identifier__in=["kf-a", "kf-a-1", "note-0924"]).exists()
    assert set(Tombstone.objects.values_list("identifier", flat=True)) == {"kf-a", "kf-a-1", "note-0924"}
    assert "fonds:kf" in Tombstone.objects.get(identifier="note-0924").set_spec_list()

    result, store = run("identifier,status\nkf-a,published\n", apply=True)

    assert result.applied
    assert Item.objects.published().filter(identifier__in=["kf-a", "kf-a-1", "note-0924"]).count() == 3
    assert not Tombstone.objects.exists()
    assert_places_derived()


def test_a_hidden_item_gets_a_tombstone_with_the_set_of_its_fonds(run, tree):
    result, _ = run("identifier,status\nnote-0924,withdrawn\n", apply=True)

    assert result.applied
    assert Tombstone.objects.get(identifier="note-0924").set_spec_list() == ["fonds:kf", "type:Text"]


def test_an_item_published_below_a_draft_unit_stays_hidden_and_keeps_its_tombstone(run, tree):
    run("identifier,status\nkf-a-1,draft\n", apply=True)
    run("identifier,status\nnote-0924,draft\n", apply=True)

    result, _ = run("identifier,status\nnote-0924,published\n", apply=True)

    assert result.applied and not Item.objects.published().filter(identifier="note-0924").exists()
    assert Tombstone.objects.filter(identifier="note-0924").exists()


def test_an_exported_arrangement_imports_unchanged_and_again_after_deletion(run, tree):
    stream = io.StringIO()
    write(by_arrangement(Item.objects.all()), stream)
    data = stream.getvalue().encode()
    before = catalogue_state()

    result, store = run(data, apply=True)

    assert result.counts == {"create": 0, "update": 0, "unchanged": 5, "error": 0}, store.errors()
    assert catalogue_state() == before
    def places():
        return {
            item.identifier: (item.reference, item.level_id, list(item.children.order_by("position", "pk").values_list("identifier", flat=True)))
            for item in Item.objects.all()
        }

    places_before = places()
    for item in sorted(Item.objects.all(), key=lambda item: -item.depth):  # PROTECT keeps a parent
        item.delete()
    Tombstone.objects.all().delete()

    result, store = run(data, apply=True)

    assert result.applied and result.counts["create"] == 5, store.errors()
    assert places() == places_before
    assert_places_derived()


# --- cost ----------------------------------------------------------------------------------------

def test_parents_are_looked_up_a_chunk_at_a_time(run, tree, monkeypatch):
    def planned(rows):
        data = "identifier,type,parent,local_code\n" + "".join(
            f"new-{n},Text,{parent},{n}\n" for n, parent in zip(range(rows), ["kf-a", "kf-b", "kf-a-1", "kf"] * rows)
        )
        with CaptureQueriesContext(connection) as captured:
            result, store = run(data)
        assert result.counts["create"] == rows, store.errors()[:3]
        return len(captured.captured_queries)

    assert planned(8) == planned(80)
    monkeypatch.setattr(engine, "CHUNK_ROWS", 40)
    # One more chunk: one more query for its items; the parents it names are known already.
    assert planned(80) == planned(8) + 1


# --- who may move what -----------------------------------------------------------------------------

def staff(group):
    user = User.objects.create_user(f"{group.lower()}-user", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_a_cataloguer_may_not_move_published_units_where_they_would_be_shown_or_hidden(run, tree):
    unit("drafts", level="fonds", status=Item.DRAFT)
    unit("empty-draft", parent=tree["b"], status=Item.DRAFT)
    cataloguer = staff("Cataloguer")
    before = catalogue_state()

    result, store = run("identifier,parent\nkf-a-1,drafts\n", apply=True, user=cataloguer)

    assert not result.applied and catalogue_state() == before
    assert errors_by_identifier(store) == {"kf-a-1": [("parent", places.MOVE_NEEDS_PUBLISH.format(identifier="kf-a-1"))]}

    # Where the units stay as visible as they are, or where none of them is published, it may.
    result, store = run("identifier,parent\nkf-a-1,kf-b\nempty-draft,drafts\n", apply=True, user=cataloguer)
    assert result.applied, store.errors()
    assert fresh("note-0924").reference == "KF/B/1/7"

    result, store = run("identifier,parent\nkf-a-1,drafts\n", apply=True, user=staff("Editor"))
    assert result.applied and not Item.objects.published().filter(identifier="note-0924").exists()


# --- units written in their place, and units placed last -------------------------------------------

ARRANGED_ROWS = [
    "kf2,Collection,fonds,,K2",
    "s1,Collection,series,kf2,1",
    "f1,Collection,file,s1,1",
    "i1,Text,item,f1,",
    "i2,Text,item,f1,",
    "s2,Collection,series,kf2,2",
    "i3,Text,item,s2,",
    "i4,Text,item,kf-a-1,",
    "f2,Collection,file,s1,2",
    "i5,Text,item,f2,",
]


def arrangement_of_new_units():
    new = Item.objects.filter(identifier__in=[row.split(",")[0] for row in ARRANGED_ROWS])
    return {
        item.identifier: (item.reference, item.parent.identifier if item.parent else "", item.level.code,
                          list(item.children.order_by("position", "pk").values_list("identifier", flat=True)))
        for item in new.select_related("parent", "level")
    }


@pytest.mark.parametrize("chunk_rows", [3, 1000])
def test_units_in_any_order_of_the_file_end_up_in_the_same_places(run, tree, monkeypatch, chunk_rows):
    monkeypatch.setattr(engine, "CHUNK_ROWS", chunk_rows)
    header = "identifier,type,level,parent,local_code\n"
    placed_last = []
    place_batch = placing._place
    monkeypatch.setattr(placing, "_place", lambda nodes, following: (placed_last.extend(n.identifier for n in nodes), place_batch(nodes, following)))

    result, store = run(header + "\n".join(ARRANGED_ROWS) + "\n", apply=True)  # parents first
    assert result.applied, store.errors()
    assert placed_last == []  # every unit written in its place with its row
    parents_first = arrangement_of_new_units()
    assert_places_derived()
    for item in sorted(Item.objects.filter(identifier__in=parents_first), key=lambda item: -item.depth):
        item.delete()

    result, store = run(header + "\n".join(reversed(ARRANGED_ROWS)) + "\n", apply=True)  # children first
    assert result.applied, store.errors()
    assert sorted(placed_last) == sorted(row.split(",")[0] for row in ARRANGED_ROWS if row.split(",")[3] not in ("", "kf-a-1"))
    children_first = arrangement_of_new_units()
    assert_places_derived()

    assert parents_first["f1"][3] == ["i1", "i2"] and parents_first["s1"][3] == ["f1", "f2"]
    # Children first, the new children of each parent are in the order of the file again.
    assert {key: value[:3] for key, value in children_first.items()} == {key: value[:3] for key, value in parents_first.items()}
    assert children_first["f1"][3] == ["i2", "i1"]
    assert list(fresh("kf-a-1").children.order_by("position").values_list("identifier", flat=True)) == ["note-0924", "i4"]
    assert fresh("i5").reference == "K2/1/2/i5" and fresh("i4").reference == "KF/A/1/i4"


def test_a_new_unit_under_a_unit_the_same_file_moves_moves_with_it(run, tree):
    result, store = run(
        "identifier,type,parent,local_code\n"
        "kf-a,Collection,kf-b,A\n"
        "new-1,Text,kf-a-1,8\n"
        "new-2,Text,kf-a,9\n",
        apply=True,
    )

    assert result.applied, store.errors()
    assert (fresh("new-1").reference, fresh("new-2").reference) == ("KF/B/A/1/8", "KF/B/A/9")
    assert_places_derived()


def test_a_parent_moved_between_planning_and_writing_is_planned_again(run, tree):
    plannings = []

    def move_once(done):
        plannings.append(done)
        if len(plannings) == 1:  # the first planning is done; before it writes, kf-a moves
            from catalog import arrangement

            arrangement.move(Item.objects.get(identifier="kf-a"), parent=Item.objects.get(identifier="kf-b"))

    result, store = run("identifier,type,parent,local_code\nnew-1,Text,kf-a,5\n", apply=True, progress=move_once)

    assert result.applied and len(plannings) == 2, store.errors()
    assert fresh("new-1").reference == "KF/B/A/5"
    assert_places_derived()


def test_the_system_of_arrangement_is_a_column_of_its_own_and_round_trips(run, tree):
    text = "Chronological; the letters | as they were filed,\nby year."
    Item.objects.filter(identifier="kf").update(arrangement=text)
    exported = io.StringIO(newline="")
    write(by_arrangement(Item.objects.all()), exported)
    assert "arrangement" in exported.getvalue().splitlines()[0].split(",")

    result, store = run("identifier,arrangement\nkf-a,By year\nkf,\n", apply=True)
    assert result.applied, store.errors()
    assert (fresh("kf-a").arrangement, fresh("kf").arrangement) == ("By year", "")

    # The export from before, read again: the two arrangements it changes back, nothing else.
    result, store = run(exported.getvalue().lstrip("\ufeff"), apply=False)
    assert result.counts.get("update", 0) == 2 and result.counts.get("unchanged", 0) == 3, result.counts
