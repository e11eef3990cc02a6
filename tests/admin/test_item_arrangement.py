"""A unit's place on its own form: level, part of, local code, the reference code read-only, a
new unit added below another, the checks of a new parent, and the item list's reference codes."""
import html
from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.admin.arrangement_forms import MOVE_NEEDS_PUBLISH
from catalog.admin.items import REFERENCE_NOT_YET
from catalog.models import Item, Level
from catalog.models.items import ARRANGEMENT_CYCLE, REFERENCE_TAKEN
from tests.admin.arrangement_trees import fresh, make_tree, unit
from tests.admin.conftest import form_data, management

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_item_changelist")
ADD = reverse("admin:catalog_item_add")


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture(autouse=True)
def _job_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "jobs"


def change_url(item):
    return reverse("admin:catalog_item_change", args=[item.pk])


def page(response):
    return html.unescape(response.content.decode())


def level_pk(code):
    return Level.objects.get(code=code).pk


# --- the form ------------------------------------------------------------------------------------


def test_the_form_has_the_place_in_the_arrangement_and_the_reference_code_read_only(staff_client, tree):
    response = staff_client.get(change_url(tree["file"]))
    form = response.context["adminform"].form
    assert {"level", "parent", "local_code", "arrangement"} <= set(form.fields)
    assert "position" not in form.fields and "reference" not in form.fields
    assert "NO ARKIV KF/A/1" in page(response)
    # the parent is chosen by searching (autocomplete), never from a list of every unit
    assert form.fields["parent"].widget.widget.__class__.__name__ == "AutocompleteSelect"
    shown = page(response)
    parent_select = shown[shown.index('<select name="parent"'):]
    assert parent_select[:parent_select.index("</select>")].count("<option") == 2  # empty, and its parent


def test_a_new_unit_has_no_reference_code_yet(staff_client):
    assert str(REFERENCE_NOT_YET) in page(staff_client.get(ADD))


@pytest.mark.parametrize("parent, level, dcmi_type", [
    ("fonds", "series", "Collection"),  # the level of its last child
    ("b", "subseries", "Collection"),  # no children: the next narrower level
    ("file", "item", None),  # its child is an item: no type suggested
])
def test_add_a_unit_below_presets_the_parent_and_suggests_the_level(staff_client, tree, parent, level, dcmi_type):
    response = staff_client.get(f"{ADD}?parent={tree[parent].pk}")
    form = response.context["adminform"].form
    assert form.initial["parent"] == str(tree[parent].pk)
    assert form.initial["level"] == level_pk(level)
    assert form.initial.get("dcmi_type") == dcmi_type
    assert f'<option value="{tree[parent].pk}" selected>' in page(response)


def test_a_parent_that_does_not_exist_is_not_preset(staff_client):
    form = staff_client.get(f"{ADD}?parent=999999").context["adminform"].form
    assert "parent" not in form.initial


def test_a_unit_added_below_goes_after_the_last_and_composes_its_reference_code(staff_client, tree):
    unit("kf-b-1", parent=tree["b"], level_code="file", code="1", position=7)
    data = form_data(staff_client.get(f"{ADD}?parent={tree['b'].pk}"))
    data.update({"identifier": "kf-b-2", "local_code": "2", **management("statements", 0), **management("files", 0)})

    response = staff_client.post(ADD, data)

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    added = Item.objects.get(identifier="kf-b-2")
    assert (added.parent_id, added.position, added.reference) == (tree["b"].pk, 8, "KF/B/2")
    assert added.level.code == "file" and added.ancestry == f"/{tree['fonds'].pk}/{tree['b'].pk}/"


def test_a_new_parent_on_the_form_moves_the_subtree_after_the_last_unit_there(staff_client, tree):
    unit("kf-b-5", parent=tree["b"], level_code="file", code="5", position=4)
    data = form_data(staff_client.get(change_url(tree["file"])))
    data["parent"] = tree["b"].pk

    response = staff_client.post(change_url(tree["file"]), data)

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    assert (fresh(tree["file"]).parent_id, fresh(tree["file"]).position) == (tree["b"].pk, 5)
    assert fresh(tree["note"]).reference == "KF/B/1/7"


def test_a_cycle_is_refused_on_the_parent_field_and_nothing_changes(staff_client, tree):
    before = {item.pk: (item.modified, item.reference, item.parent_id) for item in Item.objects.all()}
    data = form_data(staff_client.get(change_url(tree["a"])))
    data["parent"] = tree["note"].pk

    response = staff_client.post(change_url(tree["a"]), data)

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert errors["parent"] == [ARRANGEMENT_CYCLE % {"unit": "kf-a", "parent": "note-0924"}]
    assert ARRANGEMENT_CYCLE % {"unit": "kf-a", "parent": "note-0924"} in page(response)
    assert {item.pk: (item.modified, item.reference, item.parent_id) for item in Item.objects.all()} == before


def test_a_unit_cannot_be_its_own_parent(staff_client, tree):
    data = form_data(staff_client.get(change_url(tree["a"])))
    data["parent"] = tree["a"].pk
    errors = staff_client.post(change_url(tree["a"]), data).context["adminform"].form.errors
    assert errors["parent"] == [ARRANGEMENT_CYCLE % {"unit": "kf-a", "parent": "kf-a"}]


def test_a_taken_reference_code_is_refused_on_the_local_code(staff_client, tree):
    data = form_data(staff_client.get(change_url(tree["b"])))
    data["local_code"] = "A"
    errors = staff_client.post(change_url(tree["b"]), data).context["adminform"].form.errors
    assert errors["local_code"] == [REFERENCE_TAKEN % {"reference": "KF/A", "other": "kf-a"}]
    assert fresh(tree["b"]).local_code == "B"


def test_a_new_local_code_reaches_the_units_below(staff_client, tree):
    data = form_data(staff_client.get(change_url(tree["a"])))
    data["local_code"] = "AA"
    assert staff_client.post(change_url(tree["a"]), data).status_code == HTTPStatus.FOUND
    assert fresh(tree["note"]).reference == "KF/AA/1/7"


def test_a_cataloguer_cannot_hide_published_units_by_a_new_parent(cataloguer_client, editor_client, tree):
    unit("kf-c", parent=tree["fonds"], level_code="series", code="C", status=Item.DRAFT)
    draft = Item.objects.get(identifier="kf-c")
    data = form_data(cataloguer_client.get(change_url(tree["file"])))
    data["parent"] = draft.pk

    refused = cataloguer_client.post(change_url(tree["file"]), data)
    assert refused.context["adminform"].form.errors["parent"] == [MOVE_NEEDS_PUBLISH]
    assert fresh(tree["file"]).parent_id == tree["a"].pk

    data = form_data(editor_client.get(change_url(tree["file"])))
    data["parent"] = draft.pk
    assert editor_client.post(change_url(tree["file"]), data).status_code == HTTPStatus.FOUND
    assert fresh(tree["file"]).parent_id == draft.pk
    assert not Item.objects.published().filter(pk=tree["note"].pk).exists()


# --- the list --------------------------------------------------------------------------------------------


def test_the_list_shows_reference_codes_and_levels(staff_client, tree):
    shown = page(staff_client.get(CHANGELIST))
    assert "NO ARKIV KF/A/1/7" in shown and "Reference code" in shown
    assert "Level of description" in shown  # the filter and the column


def test_the_list_filters_by_level(staff_client, tree):
    response = staff_client.get(f"{CHANGELIST}?level__id__exact={level_pk('series')}")
    assert {item.identifier for item in response.context["cl"].result_list} == {"kf-a", "kf-b"}


@pytest.mark.parametrize("term, expected", [
    ("KF/A", {"kf-a", "kf-a-1", "note-0924"}),
    ("NO ARKIV KF/A/1", {"kf-a-1", "note-0924"}),
    ("kf/a", {"kf-a", "kf-a-1"}),  # letter case counts in a reference code; identifiers match any case
])
def test_the_list_finds_units_by_the_beginning_of_a_reference_code(staff_client, tree, term, expected):
    response = staff_client.get(CHANGELIST, {"q": term})
    assert {item.identifier for item in response.context["cl"].result_list} == expected
