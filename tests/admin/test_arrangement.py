"""The arrangement pages of the admin: the list of arrangements, a unit's page with its children in
order (paged, opened level by level), reordering siblings, and moving a subtree through a
confirmation that says how many records change."""
import html
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from catalog.admin import arrangement as views
from catalog.admin.arrangement import MOVED, PLACED
from catalog.admin.arrangement_forms import ALREADY_THERE, BEING_CHANGED, MOVE_NEEDS_PUBLISH, NO_SUCH_UNIT, NUMBER_INVALID
from catalog.arrangement import jobs
from catalog.models import Item, Tombstone
from catalog.models.items import ARRANGEMENT_CYCLE, ARRANGEMENT_TOO_DEEP, MAX_DEPTH, REFERENCE_TAKEN
from tests.admin.arrangement_trees import fresh, make_tree, unit

pytestmark = pytest.mark.django_db

TOPS = reverse("admin:catalog_item_arrangements")


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture(autouse=True)
def _job_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "jobs"


def move_url(unit_):
    return reverse("admin:catalog_item_move", args=[unit_.pk])


def order_url(parent, **query):
    return views._with_query(reverse("admin:catalog_item_order", args=[parent.pk]), **query)


def page(response):
    return html.unescape(response.content.decode())


def row_order(response):
    """The identifiers of the rows of the page's children, in the order shown."""
    return [node.unit.identifier for node in response.context["rows"]]


# --- seeing the tree ------------------------------------------------------------------------------


def test_the_list_of_arrangements_shows_each_top_unit_with_its_count(staff_client, tree):
    unit("loose-photo")  # at the top, but with nothing below: not an arrangement
    response = staff_client.get(TOPS)
    assert response.status_code == HTTPStatus.OK
    assert [(row.unit.identifier, row.count) for row in response.context["rows"]] == [("kf", 2)]
    assert reverse("admin:catalog_item_arrangement", args=[tree["fonds"].pk]) in page(response)


def test_the_item_list_links_to_the_arrangements(staff_client):
    assert TOPS in page(staff_client.get(reverse("admin:catalog_item_changelist")))


def test_a_units_page_shows_its_path_and_its_children_in_order_with_their_counts(staff_client, tree):
    response = staff_client.get(views.tree_url(tree["a"]))
    shown = page(response)
    assert response.status_code == HTTPStatus.OK
    assert [step.identifier for step in response.context["above"]] == ["kf"]
    assert reverse("admin:catalog_item_arrangement", args=[tree["fonds"].pk]) in shown  # up
    assert [(node.unit.identifier, node.count) for node in response.context["rows"]] == [("kf-a-1", 1)]
    assert "NO ARKIV KF/A" in shown and "Series" in shown and "1 unit directly below" in shown


def test_staff_see_draft_children(staff_client, tree):
    unit("kf-c", parent=tree["fonds"], level_code="series", code="C", status=Item.DRAFT, position=2)
    response = staff_client.get(views.tree_url(tree["fonds"]))
    assert row_order(response) == ["kf-a", "kf-b", "kf-c"]
    assert "Draft" in page(response)


def test_the_children_are_paged(staff_client, tree, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for number in range(3):
        unit(f"kf-b-{number}", parent=tree["b"], level_code="file", code=str(number), position=number)
    first = staff_client.get(views.tree_url(tree["b"]))
    last = staff_client.get(views.tree_url(tree["b"], page=2))
    assert row_order(first) == ["kf-b-0", "kf-b-1"] and row_order(last) == ["kf-b-2"]
    assert [node.number for node in last.context["rows"]] == [3]
    assert "Page 1 of 2" in page(first)


def test_an_opened_branch_shows_its_first_children_and_links_to_the_rest(staff_client, tree, monkeypatch):
    monkeypatch.setattr(views, "OPEN_PAGE", 1)
    unit("kf-a-2", parent=tree["a"], level_code="file", code="2", position=5)
    closed = staff_client.get(views.tree_url(tree["fonds"]))
    series_a = closed.context["rows"][0]
    assert series_a.branch is None and f"open={tree['a'].pk}" in series_a.toggle_url

    opened = staff_client.get(series_a.toggle_url)
    series_a = opened.context["rows"][0]
    assert [node.unit.identifier for node in series_a.branch] == ["kf-a-1"]
    assert series_a.more == 1
    assert "and 1 more: see all of KF/A" in page(opened)
    # the branch below it opens too, and closing one keeps the others open
    deeper = staff_client.get(series_a.branch[0].toggle_url)
    assert [node.unit.identifier for node in deeper.context["rows"][0].branch[0].branch] == ["note-0924"]


def test_the_number_of_open_branches_is_bounded(staff_client, tree, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(views, "MAX_OPEN", 1)
    response = staff_client.get(views.tree_url(tree["fonds"], open=[tree["a"].pk, tree["file"].pk]))
    assert response.context["rows"][0].branch[0].branch is None  # the budget was spent on A


def test_the_page_costs_the_same_queries_for_few_or_many_children(staff_client, tree, django_assert_max_num_queries):
    unit("kf-b-first", parent=tree["b"], level_code="file", code="first")
    staff_client.get(views.tree_url(tree["b"]))  # sessions and permissions read once
    with django_assert_max_num_queries(12) as few:
        staff_client.get(views.tree_url(tree["b"]))
    for number in range(30):
        unit(f"kf-b-{number}", parent=tree["b"], level_code="file", code=str(number), position=number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(views.tree_url(tree["b"]))


def test_the_change_form_links_to_the_arrangement_a_new_unit_below_and_the_move(staff_client, tree):
    shown = page(staff_client.get(reverse("admin:catalog_item_change", args=[tree["a"].pk])))
    assert reverse("admin:catalog_item_arrangement", args=[tree["a"].pk]) in shown
    assert reverse("admin:catalog_item_add") + f"?parent={tree['a'].pk}" in shown
    assert move_url(tree["a"]) in shown


def test_users_who_may_not_view_items_see_no_tree(db, tree):
    client = Client()
    client.force_login(User.objects.create_user("visitor", is_staff=True))
    assert client.get(views.tree_url(tree["fonds"])).status_code == HTTPStatus.FORBIDDEN
    assert client.get(TOPS).status_code == HTTPStatus.FORBIDDEN


# --- reordering -------------------------------------------------------------------------------------


@pytest.fixture
def files(tree):
    """Five files under series B, numbered as given (position 0 for all: ordered by id)."""
    return [unit(f"kf-b-{n}", parent=tree["b"], level_code="file", code=str(n)) for n in range(1, 6)]


def order(parent):
    return list(Item.objects.filter(parent=parent).order_by("position", "id").values_list("identifier", flat=True))


def test_a_unit_moves_up_and_down_among_its_siblings_without_javascript(staff_client, tree, files):
    response = staff_client.post(order_url(tree["b"]), {"up": files[2].pk})
    assert response.status_code == HTTPStatus.FOUND
    assert order(tree["b"]) == ["kf-b-1", "kf-b-3", "kf-b-2", "kf-b-4", "kf-b-5"]
    assert response["Location"].endswith(f"#unit-{files[2].pk}")

    staff_client.post(order_url(tree["b"]), {"down": files[0].pk})
    assert order(tree["b"]) == ["kf-b-3", "kf-b-1", "kf-b-2", "kf-b-4", "kf-b-5"]
    shown = page(staff_client.get(response["Location"]))
    assert PLACED % {"unit": "kf-b-1", "number": 2, "count": 5, "parent": "KF/B"} in shown


def test_a_unit_is_placed_at_a_number_written_beside_it(staff_client, tree, files):
    staff_client.post(order_url(tree["b"]), {"to": files[4].pk, f"number-{files[4].pk}": "2"})
    assert order(tree["b"]) == ["kf-b-1", "kf-b-5", "kf-b-2", "kf-b-3", "kf-b-4"]
    staff_client.post(order_url(tree["b"]), {"to": files[4].pk, f"number-{files[4].pk}": "99"})
    assert order(tree["b"]) == ["kf-b-1", "kf-b-2", "kf-b-3", "kf-b-4", "kf-b-5"]


def test_the_first_cannot_go_up_and_the_buttons_say_so(staff_client, tree, files):
    response = staff_client.get(views.tree_url(tree["b"]))
    shown = page(response)
    assert f'name="up" value="{files[0].pk}" title="Move kf-b-1 up" aria-label="Move kf-b-1 up" disabled' in shown
    staff_client.post(order_url(tree["b"]), {"up": files[0].pk})
    assert order(tree["b"])[0] == "kf-b-1"


def test_a_number_that_is_not_one_is_refused_with_a_message(staff_client, tree, files):
    response = staff_client.post(order_url(tree["b"]), {"to": files[0].pk, f"number-{files[0].pk}": "second"}, follow=True)
    assert NUMBER_INVALID % {"value": "second"} in page(response)
    assert order(tree["b"]) == ["kf-b-1", "kf-b-2", "kf-b-3", "kf-b-4", "kf-b-5"]


def test_reordering_changes_no_record_for_harvesters(staff_client, tree, files):
    before = {item.pk: item.modified for item in Item.objects.all()}
    staff_client.post(order_url(tree["b"]), {"down": files[0].pk})
    staff_client.post(order_url(tree["fonds"]), {"down": tree["a"].pk})
    assert order(tree["fonds"]) == ["kf-b", "kf-a"]
    assert {item.pk: item.modified for item in Item.objects.all()} == before


def test_a_child_of_another_unit_cannot_be_ordered_here(staff_client, tree, files):
    staff_client.post(order_url(tree["a"]), {"up": files[1].pk})
    assert order(tree["b"]) == ["kf-b-1", "kf-b-2", "kf-b-3", "kf-b-4", "kf-b-5"]


def test_reordering_takes_a_post_with_the_permission_to_change(db, tree, files, staff_client):
    assert staff_client.get(order_url(tree["b"])).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_item"))
    client = Client()
    client.force_login(viewer)
    assert client.post(order_url(tree["b"]), {"up": files[1].pk}).status_code == HTTPStatus.FORBIDDEN
    assert "Order" not in page(client.get(views.tree_url(tree["b"])))
    assert order(tree["b"])[:2] == ["kf-b-1", "kf-b-2"]


def test_the_order_form_keeps_the_open_branches(staff_client, tree):
    response = staff_client.post(order_url(tree["fonds"], open=[tree["a"].pk]), {"down": tree["a"].pk})
    assert f"open={tree['a'].pk}" in response["Location"]


# --- moving a subtree -------------------------------------------------------------------------------------


def test_the_move_form_then_a_confirmation_that_says_what_changes(editor_client, tree):
    assert editor_client.get(move_url(tree["file"])).status_code == HTTPStatus.OK

    response = editor_client.post(move_url(tree["file"]), {"parent": "kf-b"})

    shown = page(response)
    assert response.context["plan"].count == 2
    assert "2 records will change:" in shown
    assert "kf-a-1 and the 1 unit below it." in shown
    assert "<code>KF/A/1</code> becomes <code>KF/B/1</code>" in shown
    assert "harvesters collect every one of them again" in shown
    assert fresh(tree["file"]).parent_id == tree["a"].pk  # nothing moved yet


def test_a_confirmed_move_moves_the_subtree_and_says_so(editor_client, tree):
    response = editor_client.post(move_url(tree["file"]), {"parent": "KF/B", "confirm": "yes"}, follow=True)
    assert fresh(tree["file"]).parent_id == tree["b"].pk
    assert fresh(tree["note"]).reference == "KF/B/1/7"
    assert MOVED % {"unit": "kf-a-1", "reference": "NO ARKIV KF/B/1", "count": 2} in page(response)
    assert response.redirect_chain[-1][0] == views.tree_url(tree["file"])


def test_a_move_to_the_top_is_confirmed_as_such(editor_client, tree):
    response = editor_client.post(move_url(tree["file"]), {"parent": ""})
    assert "to the top, as an arrangement of its own" in page(response)
    assert "fonds:kf-a-1" in page(response)  # leaves the set of KF for a set of its own
    editor_client.post(move_url(tree["file"]), {"parent": "", "confirm": "yes"})
    assert fresh(tree["file"]).parent_id is None and fresh(tree["note"]).reference == "1/7"


def test_the_full_reference_code_names_the_new_parent(editor_client, tree):
    editor_client.post(move_url(tree["file"]), {"parent": "NO ARKIV KF/B", "confirm": "yes"})
    assert fresh(tree["file"]).parent_id == tree["b"].pk


def test_a_move_into_its_own_subtree_is_refused_on_the_form_and_nothing_changes(editor_client, tree):
    before = {item.pk: (item.modified, item.reference) for item in Item.objects.all()}
    for confirm in ("", "yes"):
        response = editor_client.post(move_url(tree["a"]), {"parent": "kf-a-1", "confirm": confirm})
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["parent"] == [ARRANGEMENT_CYCLE % {"unit": "kf-a", "parent": "kf-a-1"}]
        assert ARRANGEMENT_CYCLE % {"unit": "kf-a", "parent": "kf-a-1"} in page(response)
    assert {item.pk: (item.modified, item.reference) for item in Item.objects.all()} == before


def test_a_move_under_itself_is_refused(editor_client, tree):
    response = editor_client.post(move_url(tree["a"]), {"parent": "kf-a", "confirm": "yes"})
    assert response.context["form"].errors["parent"] == [ARRANGEMENT_CYCLE % {"unit": "kf-a", "parent": "kf-a"}]


def test_a_move_too_deep_is_refused(editor_client, tree):
    parent = tree["note"]
    for depth in range(4, MAX_DEPTH):
        parent = unit(f"deep-{depth}", parent=parent, code=str(depth))
    response = editor_client.post(move_url(tree["b"]), {"parent": parent.identifier})
    assert response.context["form"].errors["parent"] == [ARRANGEMENT_TOO_DEEP % {"limit": MAX_DEPTH}]


def test_a_move_onto_a_taken_reference_code_is_refused(editor_client, tree):
    unit("kf-b-1", parent=tree["b"], level_code="file", code="1")
    response = editor_client.post(move_url(tree["file"]), {"parent": "kf-b"})
    assert response.context["form"].non_field_errors() == [REFERENCE_TAKEN % {"reference": "KF/B/1", "other": "kf-b-1"}]


def test_an_unknown_or_unchanged_place_is_refused_with_what_to_do(editor_client, tree):
    response = editor_client.post(move_url(tree["file"]), {"parent": "KF/Z"})
    assert response.context["form"].errors["parent"] == [NO_SUCH_UNIT % {"value": "KF/Z"}]
    response = editor_client.post(move_url(tree["file"]), {"parent": "kf-a"})
    assert response.context["form"].errors["parent"] == [ALREADY_THERE % {"unit": "kf-a-1"}]


def test_a_move_under_a_draft_unit_warns_that_it_hides_and_needs_an_editor(cataloguer_client, editor_client, tree):
    draft = unit("kf-c", parent=tree["fonds"], level_code="series", code="C", status=Item.DRAFT)

    refused = cataloguer_client.post(move_url(tree["file"]), {"parent": "kf-c", "confirm": "yes"})
    assert refused.context["form"].non_field_errors() == [MOVE_NEEDS_PUBLISH]
    assert fresh(tree["file"]).parent_id == tree["a"].pk

    confirmation = editor_client.post(move_url(tree["file"]), {"parent": "kf-c"})
    assert "2 published units will be hidden from visitors and harvesters" in page(confirmation)
    editor_client.post(move_url(tree["file"]), {"parent": "kf-c", "confirm": "yes"})
    assert fresh(tree["file"]).parent_id == draft.pk
    assert set(Tombstone.objects.values_list("identifier", flat=True)) == {"kf-a-1", "note-0924"}


def test_a_cataloguer_moves_published_units_that_stay_public(cataloguer_client, tree):
    cataloguer_client.post(move_url(tree["file"]), {"parent": "kf-b", "confirm": "yes"})
    assert fresh(tree["note"]).reference == "KF/B/1/7"


def test_moving_needs_the_permission_to_change_items(db, tree):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_item"))
    client = Client()
    client.force_login(viewer)
    assert client.get(move_url(tree["file"])).status_code == HTTPStatus.FORBIDDEN
    assert client.post(move_url(tree["file"]), {"parent": "kf-b", "confirm": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert fresh(tree["file"]).parent_id == tree["a"].pk


def test_a_unit_being_moved_in_the_background_cannot_be_moved_again(editor_client, editor, tree):
    jobs.Job.create(user=editor, unit=tree["file"], description="Moving")
    response = editor_client.post(move_url(tree["file"]), {"parent": "kf-b", "confirm": "yes"})
    assert response.context["form"].non_field_errors() == [BEING_CHANGED % {"unit": "kf-a-1"}]


def test_a_move_is_in_the_units_history(editor_client, tree):
    editor_client.post(move_url(tree["file"]), {"parent": "kf-b", "confirm": "yes"})
    history = page(editor_client.get(reverse("admin:catalog_item_history", args=[tree["file"].pk])))
    assert "Moved from KF/A/1 to KF/B/1." in history


def test_a_move_larger_than_the_inline_limit_is_confirmed_as_a_background_move(editor_client, tree, settings):
    settings.ARKIV_MOVE_INLINE_UNITS = 1
    response = editor_client.post(move_url(tree["file"]), {"parent": "kf-b"})
    assert "This is a large move: it runs in the background" in page(response)
