"""Moves, reorders and status changes in the arrangement, and what harvesters see of them."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog import arrangement
from catalog.models import Item, Level, Tombstone
from catalog.models.items import ARRANGEMENT_CYCLE
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def unit(identifier, *, parent=None, level="item", code="", status=Item.PUBLISHED, **kwargs):
    made = ItemFactory(identifier=identifier, status=status, dcmi_type=kwargs.pop("dcmi_type", "Collection"))
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


def fresh(item):
    return Item.objects.get(pk=item.pk)


def test_the_reference_code_is_composed_from_the_top_down(tree, settings):
    settings.ARKIV_COUNTRY_CODE, settings.ARKIV_REPOSITORY_CODE = "NO", "KSAM"
    assert fresh(tree["note"]).reference == "KF/A/1/7"
    assert fresh(tree["note"]).reference_code == "NO KSAM KF/A/1/7"
    assert fresh(tree["note"]).ancestry == f"/{tree['fonds'].pk}/{tree['a'].pk}/{tree['file'].pk}/"


def test_a_unit_without_a_local_code_is_coded_by_its_identifier(tree):
    loose = unit("loose-photo", parent=tree["b"])
    assert fresh(loose).reference == "KF/B/loose-photo"


def test_two_siblings_cannot_share_a_local_code(tree):
    twin = Item(identifier="kf-a-twin", dcmi_type="Text", parent=tree["fonds"], local_code="A")
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert refused.value.error_dict["local_code"][0].code == "reference_taken"


def test_a_unit_cannot_be_moved_under_itself_or_below_itself(tree):
    with pytest.raises(ValidationError) as refused:
        arrangement.move(fresh(tree["a"]), parent=fresh(tree["file"]))
    assert refused.value.error_dict["parent"][0].message == ARRANGEMENT_CYCLE
    with pytest.raises(ValidationError):
        arrangement.move(fresh(tree["a"]), parent=fresh(tree["a"]))
    assert fresh(tree["a"]).parent_id == tree["fonds"].pk
    assert fresh(tree["note"]).reference == "KF/A/1/7"


def test_a_move_carries_codes_down_and_bumps_exactly_the_units_moved(tree):
    before = timezone.now()
    untouched = {key: fresh(tree[key]).modified for key in ("fonds", "b")}

    arrangement.move(fresh(tree["file"]), parent=fresh(tree["b"]))

    assert fresh(tree["note"]).reference == "KF/B/1/7"
    assert fresh(tree["note"]).ancestry == f"/{tree['fonds'].pk}/{tree['b'].pk}/{tree['file'].pk}/"
    assert fresh(tree["file"]).modified >= before and fresh(tree["note"]).modified >= before
    assert {key: fresh(tree[key]).modified for key in ("fonds", "b")} == untouched
    assert fresh(tree["a"]).modified < before


def test_a_new_local_code_reaches_every_unit_below(tree):
    series = fresh(tree["a"])
    series.local_code = "AA"
    series.save()
    assert fresh(tree["note"]).reference == "KF/AA/1/7"


def test_a_draft_unit_hides_everything_below_it_and_leaves_tombstones(tree):
    series = fresh(tree["a"])
    series.status = Item.DRAFT
    series.save()

    assert not Item.objects.published().filter(pk__in=[tree["file"].pk, tree["note"].pk]).exists()
    assert fresh(tree["note"]).status == Item.PUBLISHED  # its own status is kept
    assert set(Tombstone.objects.values_list("identifier", flat=True)) == {"kf-a", "kf-a-1", "note-0924"}
    assert " fonds:kf " in Tombstone.objects.get(identifier="note-0924").set_specs

    series.status = Item.PUBLISHED
    series.save()
    assert Item.objects.published().filter(pk=tree["note"].pk).exists()
    assert not Tombstone.objects.exists()


def test_a_published_item_under_a_draft_file_stays_hidden_when_published_again(tree):
    folder = fresh(tree["file"])
    folder.status = Item.DRAFT
    folder.save()
    note = fresh(tree["note"])
    note.status = Item.PUBLISHED
    note.save()
    assert not Item.objects.published().filter(pk=note.pk).exists()


def test_moving_out_from_under_a_draft_unit_shows_the_subtree(tree):
    series = fresh(tree["a"])
    series.status = Item.DRAFT
    series.save()
    arrangement.move(fresh(tree["file"]), parent=fresh(tree["b"]))
    assert Item.objects.published().filter(pk=tree["note"].pk).exists()
    assert not Tombstone.objects.filter(identifier="note-0924").exists()


def test_reordering_siblings_changes_no_record(tree):
    stamps = dict(Item.objects.values_list("pk", "modified"))
    arrangement.reorder(fresh(tree["fonds"]), [fresh(tree["b"]), fresh(tree["a"])])
    assert [u.identifier for u in arrangement.children(fresh(tree["fonds"]))] == ["kf-b", "kf-a"]
    assert dict(Item.objects.values_list("pk", "modified")) == stamps


def test_a_move_of_many_units_reports_progress_in_batches(tree, monkeypatch):
    monkeypatch.setattr(arrangement.moves, "BATCH", 2)
    for n in range(5):
        unit(f"kf-a-1-{n}", parent=tree["file"], code=f"p{n}")
    reports = []
    arrangement.move(fresh(tree["a"]), parent=fresh(tree["b"]), progress=lambda done, total: reports.append((done, total)))
    assert reports == [(2, 7), (4, 7), (6, 7), (7, 7)]
    assert set(Item.objects.filter(parent=tree["file"]).values_list("reference", flat=True)) == {
        "KF/B/A/1/7", *(f"KF/B/A/1/p{n}" for n in range(5)),
    }


def test_a_unit_with_units_below_cannot_be_deleted(tree):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        fresh(tree["file"]).delete()


# A top unit is in the OAI set of its own fonds only while units lie below it, so its record
# changes when the first one arrives or the last one leaves; no other parent's record changes.

def test_a_top_unit_whose_first_unit_below_arrives_or_last_leaves_moves_its_datestamp(tree):
    lone = unit("press", level="collection", code="PR")
    past = timezone.now() - timedelta(days=1)
    Item.objects.update(modified=past)

    arrangement.move(fresh(tree["b"]), parent=fresh(lone))  # its first: it joins its own set
    assert fresh(lone).modified > past
    assert fresh(tree["fonds"]).modified == past  # it keeps series A below it

    Item.objects.update(modified=past)
    unit("press-2", parent=fresh(lone), code="2")  # a second: nothing changes for the top
    assert fresh(lone).modified == past

    Item.objects.update(modified=past)
    arrangement.move(fresh(tree["b"]), parent=fresh(tree["fonds"]))
    assert fresh(lone).modified == past  # press-2 is still below it
    Item.objects.get(identifier="press-2").delete()  # its last: it leaves its own set
    assert fresh(lone).modified > past


def test_only_top_units_move_their_datestamp_for_a_first_unit_below(tree):
    past = timezone.now() - timedelta(days=1)
    Item.objects.update(modified=past)

    unit("kf-b-1", parent=fresh(tree["b"]), level="file", code="1")  # b is no top unit

    assert fresh(tree["b"]).modified == past and fresh(tree["fonds"]).modified == past
