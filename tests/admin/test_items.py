from http import HTTPStatus

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from catalog.models import Authority, DigitalFile, Item, Statement, Tombstone
from catalog.admin.items import DATE_OPEN_END, DATE_OPEN_START, DATE_UNDATED, STATEMENTS_NOT_SHOWN
from catalog.services import PUBLISH_NO_TITLE
from catalog.validators import TOO_MANY_STATEMENTS
from tests.admin.conftest import PASSWORD, form_data, jpeg_upload, management
from tests.factories import (
    AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory, VariantFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_item_changelist")
ADD = reverse("admin:catalog_item_add")


def change_url(item):
    return reverse("admin:catalog_item_change", args=[item.pk])


def new_item_data(identifier="kirkenes-1944-001", **extra):
    data = {
        "identifier": identifier, "dcmi_type": "StillImage", "status": "draft",
        **management("statements", 1), **management("files", 0),
        "statements-0-position": "1", "statements-0-term": "title",
        "statements-0-value": "Soviet soldiers in Kirkenes", "statements-0-lang": "en",
    }
    data.update(extra)
    return data


def run_action(client, action, items):
    return client.post(CHANGELIST, {
        "action": action, "index": "0", "select_across": "0",
        helpers.ACTION_CHECKBOX_NAME: [item.pk for item in items],
    })


# --- list, search, filters ---------------------------------------------------------------------

def test_changelist_shows_identifier_title_type_status_and_date(staff_client):
    item = ItemFactory(identifier="kirkenes-1944-007", title="The bridge at Jakobselv")
    StatementFactory(item=item, term="created", value="circa 1945")

    response = staff_client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for text in ("kirkenes-1944-007", "The bridge at Jakobselv", "StillImage", "Draft", "circa 1945"):
        assert text in page


def test_search_matches_statement_values(staff_client):
    wanted = ItemFactory(title="Bridge")
    StatementFactory(item=wanted, term="description", value="Troops crossing the Jakobselv river")
    ItemFactory(title="Harbour")

    response = staff_client.get(CHANGELIST, {"q": "jakobselv"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_search_matches_an_identifier_or_its_beginning(staff_client):
    # Its beginning, not any part: read from the identifier's index (tests/admin/test_item_search.py).
    wanted = ItemFactory(identifier="kirkenes-1944-017")
    ItemFactory(identifier="vardo-1945-001")

    response = staff_client.get(CHANGELIST, {"q": "kirkenes-1944-01"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_search_matches_the_full_text(staff_client):
    wanted = ItemFactory(full_text="The ferry left Kirkenes at dawn")
    ItemFactory()

    response = staff_client.get(CHANGELIST, {"q": "ferry"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_search_matches_a_variant_label_of_a_linked_authority(staff_client):
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff")
    VariantFactory(authority=diakonoff, label="Igor Dyakonov")
    wanted = ItemFactory(title="Memoirs")
    StatementFactory(item=wanted, term="creator", value="Diakonoff", authority=diakonoff)
    StatementFactory(item=wanted, term="contributor", value="Diakonoff", authority=diakonoff)
    ItemFactory(title="Other")

    response = staff_client.get(CHANGELIST, {"q": "Dyakonov"})

    assert list(response.context["cl"].result_list) == [wanted]  # once, though linked twice


@pytest.mark.parametrize("query, expected", [
    ({"decade": "1940"}, ["in-1940s"]),
    ({"decade": "1950"}, ["in-1950s"]),
    ({"decade": "none"}, ["undated"]),
    ({"status__exact": "published"}, ["in-1950s"]),
    ({"dcmi_type__exact": "Text"}, ["undated"]),
])
def test_changelist_filters(staff_client, query, expected):
    StatementFactory(item=ItemFactory(identifier="in-1940s"), term="created", value="1944-10-25")
    StatementFactory(item=ItemFactory(identifier="in-1950s", status="published"), term="date", value="1950s")
    ItemFactory(identifier="undated", dcmi_type="Text")

    response = staff_client.get(CHANGELIST, query)

    assert [item.identifier for item in response.context["cl"].result_list] == expected


def test_changelist_costs_the_same_queries_for_few_or_many_items(staff_client, django_assert_max_num_queries):
    ItemFactory()
    staff_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(CHANGELIST)
    for _ in range(15):
        ItemFactory()
    with django_assert_max_num_queries(len(few)):
        staff_client.get(CHANGELIST)


# --- add and change, with inlines ---------------------------------------------------------------

def test_add_form_offers_terms_grouped_by_element(staff_client):
    response = staff_client.get(ADD)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert '<optgroup label="Date">' in page
    assert "Created (dcterms:created)" in page


def test_add_item_with_statements_and_a_file(staff_client):
    data = new_item_data(**management("files", 1), **{"files-0-file": jpeg_upload("scan.jpg"), "files-0-label": "recto"})
    data.update({**management("statements", 2), "statements-1-position": "2", "statements-1-term": "created",
                 "statements-1-value": "1944-10-25"})

    response = staff_client.post(ADD, data)

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    item = Item.objects.get(identifier="kirkenes-1944-001")
    assert item.status == Item.DRAFT
    assert item.sort_title == "Soviet soldiers in Kirkenes"
    assert str(item.date_earliest) == "1944-10-25"
    digital_file = item.files.get()
    assert (digital_file.label, digital_file.mime_type, digital_file.width) == ("recto", "image/jpeg", 64)
    assert digital_file.thumbnail and digital_file.display


def test_change_form_shows_statements_and_file_preview(staff_client):
    item = ItemFactory(title="Harbour")
    staff_client.post(change_url(item), {
        **form_data(staff_client.get(change_url(item))), **management("files", 1),
        "files-0-file": jpeg_upload(),
    })

    response = staff_client.get(change_url(item))

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Harbour</textarea>" in page
    assert 'src="{}"'.format(item.files.get().url("thumbnail")) in page


@pytest.mark.parametrize("written, reading", [
    ("1944/..", DATE_OPEN_END % {"text": "1944/..", "earliest": "1944-01-01"}),
    ("../1945-05-08", DATE_OPEN_START % {"text": "../1945-05-08", "latest": "1945-05-08"}),
    ("udatert", DATE_UNDATED % {"text": "udatert"}),
])
def test_change_form_says_how_a_date_open_at_one_end_or_undated_was_read(staff_client, written, reading):
    item = ItemFactory(title="Harbour")
    StatementFactory(item=item, term="created", value=written)

    response = staff_client.get(change_url(item))

    assert response.status_code == HTTPStatus.OK
    assert escape(reading) in response.content.decode()


def test_change_statements_updates_the_title(staff_client):
    item = ItemFactory(title="Old title")
    data = form_data(staff_client.get(change_url(item)))
    data["statements-0-value"] = "New title"

    response = staff_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.sort_title == "New title"


def test_statement_linking_an_authority_of_the_wrong_kind_is_refused_with_the_fix(staff_client):
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    data = new_item_data(**management("statements", 2), **{
        "statements-1-term": "creator", "statements-1-authority": place.pk, "statements-1-position": "2",
    })

    response = staff_client.post(ADD, data)

    assert response.status_code == HTTPStatus.OK
    assert "link another record or change the term" in response.content.decode()
    assert not Item.objects.exists()


def test_a_disguised_upload_is_refused_on_the_file_field(staff_client):
    page = SimpleUploadedFile("photo.jpg", b"<!DOCTYPE html><html><body>Not a photo</body></html>")
    response = staff_client.post(ADD, new_item_data(**management("files", 1), **{"files-0-file": page}))

    assert response.status_code == HTTPStatus.OK
    formset = response.context["inline_admin_formsets"][1].formset
    assert formset.forms[0].errors["file"][0].startswith("“photo.jpg” is not a JPEG")
    assert not Item.objects.exists() and not DigitalFile.objects.exists()


def test_view_on_site_points_at_the_public_item_page(staff_client):
    item = ItemFactory(identifier="kirkenes-1944-009")

    response = staff_client.get(change_url(item))

    assert "View on site" in response.content.decode()
    assert item.get_absolute_url() == "/items/kirkenes-1944-009/"


# --- the cap on statements ---------------------------------------------------------------------

def statement_rows(item):
    return list(Statement.objects.filter(item=item).order_by("pk").values_list("term", "value"))


def test_a_new_item_beyond_the_statement_cap_is_refused_and_nothing_is_written(staff_client, settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 2
    data = new_item_data(**management("statements", 3), **{
        f"statements-{n}-{field}": value for n in (1, 2)
        for field, value in {"term": "subject", "value": f"Subject {n}", "position": str(n + 1)}.items()
    })

    response = staff_client.post(ADD, data)

    assert response.status_code == HTTPStatus.OK
    message = TOO_MANY_STATEMENTS % {"identifier": "kirkenes-1944-001", "count": 3, "limit": 2}
    assert [str(error) for error in response.context["inline_admin_formsets"][0].formset.non_form_errors()] == [message]
    assert not Item.objects.exists() and not Statement.objects.exists()


def test_a_change_beyond_the_statement_cap_is_refused_and_nothing_is_written(staff_client, settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 2
    item = ItemFactory(identifier="kirkenes-1944-002", title="Harbour")
    StatementFactory(item=item, term="subject", value="Harbours")
    before = statement_rows(item)
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 3  # one empty row offered
    data = form_data(staff_client.get(change_url(item)))
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 2
    data.update({"statements-2-term": "subject", "statements-2-value": "Ships", "statements-2-position": "3"})

    response = staff_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.OK
    message = TOO_MANY_STATEMENTS % {"identifier": "kirkenes-1944-002", "count": 3, "limit": 2}
    assert message in [str(error) for error in response.context["inline_admin_formsets"][0].formset.non_form_errors()]
    assert statement_rows(item) == before


def test_the_form_offers_no_more_statement_rows_than_the_cap(staff_client, settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 2
    item = ItemFactory(title="Harbour")
    StatementFactory(item=item, term="subject", value="Harbours")

    formset = staff_client.get(change_url(item)).context["inline_admin_formsets"][0].formset

    assert (formset.max_num, formset.total_form_count()) == (2, 2)


def test_an_item_already_beyond_the_cap_opens_without_its_statements_and_saves(staff_client, settings):
    item = ItemFactory(identifier="kirkenes-1944-003", title="Harbour")
    for n in range(4):
        StatementFactory(item=item, term="subject", value=f"Subject {n}")
    before = statement_rows(item)
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 2  # lowered after the item was written

    response = staff_client.get(change_url(item))

    assert response.status_code == HTTPStatus.OK
    assert [inline.formset.prefix for inline in response.context["inline_admin_formsets"]] == ["files"]
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [STATEMENTS_NOT_SHOWN % {"identifier": "kirkenes-1944-003", "count": 5, "limit": 2}]
    data = form_data(response)
    data["dcmi_type"] = "Text"
    assert staff_client.post(change_url(item), data).status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.dcmi_type == "Text" and statement_rows(item) == before


def test_an_item_with_as_many_statements_as_the_default_cap_is_saved_through_the_admin(editor_client, settings):
    item = ItemFactory(title="Harbour")
    Statement.objects.bulk_create(
        Statement(item=item, term="subject", value=f"Subject {n}", position=n + 1)
        for n in range(settings.ARKIV_MAX_STATEMENTS_PER_ITEM - 1)
    )
    statements = list(item.statements.order_by("position", "pk"))
    # What the browser posts (every field of every row, empty ones too); drawing the page to
    # read it back would cost the test most of its time.
    data = {
        "identifier": item.identifier, "dcmi_type": item.dcmi_type, "status": item.status,
        **management("statements", len(statements), len(statements)), **management("files", 0),
    }
    for n, statement in enumerate(statements):
        data.update({f"statements-{n}-{field}": value for field, value in {
            "id": statement.pk, "item": item.pk, "position": statement.position, "term": statement.term,
            "value": statement.value, "lang": "", "authority": "",
        }.items()})
    data["statements-0-value"] = "Harbour at Kirkenes"

    response = editor_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.sort_title == "Harbour at Kirkenes"


# --- the permission boundary -------------------------------------------------------------------

def test_cataloguer_sees_the_status_but_cannot_edit_it(cataloguer_client):
    item = ItemFactory()

    response = cataloguer_client.get(change_url(item))

    assert "status" not in response.context["adminform"].form.fields
    assert "Draft" in response.content.decode()


def test_cataloguer_cannot_publish_by_a_crafted_post_of_the_add_form(cataloguer_client):
    response = cataloguer_client.post(ADD, new_item_data(status="published"))

    assert response.status_code == HTTPStatus.FOUND
    assert Item.objects.get().status == Item.DRAFT


def test_cataloguer_cannot_publish_by_a_crafted_post_of_the_change_form(cataloguer_client):
    item = ItemFactory()
    data = form_data(cataloguer_client.get(change_url(item)))
    data["status"] = "published"

    cataloguer_client.post(change_url(item), data)

    item.refresh_from_db()
    assert item.status == Item.DRAFT


def test_cataloguer_cannot_move_a_published_item_to_another_status(cataloguer_client):
    item = ItemFactory(status="published")
    data = form_data(cataloguer_client.get(change_url(item)))
    data["status"] = "withdrawn"
    data["statements-0-value"] = "Corrected title"

    response = cataloguer_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert (item.status, item.sort_title) == (Item.PUBLISHED, "Corrected title")
    assert not Tombstone.objects.exists()


def test_cataloguer_is_not_offered_publish_withdraw_or_delete_actions(cataloguer_client):
    ItemFactory()

    action_form = cataloguer_client.get(CHANGELIST).context["action_form"]

    offered = set(dict(action_form.fields["action"].choices)) if action_form else set()
    assert not {"publish_items", "withdraw_items", "delete_selected"} & offered


@pytest.mark.parametrize("action", ["publish_items", "withdraw_items", "delete_selected"])
def test_cataloguer_cannot_run_the_actions_by_a_crafted_post(cataloguer_client, action):
    draft, published = ItemFactory(), ItemFactory(status="published")

    run_action(cataloguer_client, action, [draft, published])

    assert dict(Item.objects.values_list("pk", "status")) == {draft.pk: "draft", published.pk: "published"}


def test_cataloguer_cannot_delete_an_item(cataloguer_client):
    item = ItemFactory()
    url = reverse("admin:catalog_item_delete", args=[item.pk])

    assert cataloguer_client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert cataloguer_client.post(url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Item.objects.filter(pk=item.pk).exists()


def test_editor_publishes_and_withdraws_by_action(editor_client):
    first, second = ItemFactory(), ItemFactory()

    response = run_action(editor_client, "publish_items", [first, second])

    assert response.status_code == HTTPStatus.FOUND
    assert set(Item.objects.values_list("status", flat=True)) == {"published"}
    run_action(editor_client, "withdraw_items", [first])
    first.refresh_from_db()
    assert first.status == Item.WITHDRAWN
    assert Tombstone.objects.filter(identifier=first.identifier).exists()


def test_publish_action_reports_items_it_cannot_publish_and_publishes_the_rest(editor_client):
    titled = ItemFactory()
    untitled = ItemFactory()
    Statement.objects.filter(item=untitled).delete()

    response = run_action(editor_client, "publish_items", [titled, untitled])

    messages = [str(m) for m in response.wsgi_request._messages]
    assert "1 item published." in messages
    assert PUBLISH_NO_TITLE.format(identifier=untitled.identifier) in messages
    assert dict(Item.objects.values_list("pk", "status")) == {titled.pk: "published", untitled.pk: "draft"}


def test_publishing_a_published_item_again_leaves_its_datestamp(editor_client):
    item = ItemFactory(status="published")
    before = Item.objects.get(pk=item.pk).modified

    run_action(editor_client, "publish_items", [item])

    assert Item.objects.get(pk=item.pk).modified == before


def test_editor_publishes_through_the_change_form(editor_client):
    item = ItemFactory()
    data = form_data(editor_client.get(change_url(item)))
    data["status"] = "published"

    response = editor_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.status == Item.PUBLISHED and item.ever_published


def test_editor_cannot_publish_an_item_without_a_title(editor_client):
    item = ItemFactory()
    data = form_data(editor_client.get(change_url(item)))
    data.update(status="published", **{"statements-0-DELETE": "on"})

    response = editor_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.OK
    assert PUBLISH_NO_TITLE.format(identifier=item.identifier) in response.content.decode()
    item.refresh_from_db()
    assert item.status == Item.DRAFT and item.statements.exists()


def test_editor_can_create_an_item_published_at_once(editor_client):
    response = editor_client.post(ADD, new_item_data(status="published"))

    assert response.status_code == HTTPStatus.FOUND
    assert Item.objects.get().status == Item.PUBLISHED


def test_editor_withdraws_through_the_change_form_leaving_a_tombstone(editor_client):
    item = ItemFactory(status="published")
    data = form_data(editor_client.get(change_url(item)))
    data["status"] = "withdrawn"

    editor_client.post(change_url(item), data)

    assert Tombstone.objects.get(identifier=item.identifier).item_id == item.pk


def test_editor_deletes_an_item_and_harvesters_keep_its_tombstone(editor_client):
    item = ItemFactory(status="published")

    response = editor_client.post(reverse("admin:catalog_item_delete", args=[item.pk]), {"post": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Item.objects.exists()
    assert Tombstone.objects.filter(identifier=item.identifier).exists()


def test_identifier_is_read_only_once_published(editor_client):
    item = ItemFactory(identifier="kirkenes-1944-010", status="published")
    response = editor_client.get(change_url(item))
    assert "identifier" not in response.context["adminform"].form.fields
    data = form_data(response)
    data["identifier"] = "renamed"

    editor_client.post(change_url(item), data)

    item.refresh_from_db()
    assert item.identifier == "kirkenes-1944-010"


def test_identifier_of_a_never_published_draft_can_be_corrected(cataloguer_client):
    item = ItemFactory(identifier="kirknes-typo")
    data = form_data(cataloguer_client.get(change_url(item)))
    data["identifier"] = "kirkenes-1944-011"

    cataloguer_client.post(change_url(item), data)

    item.refresh_from_db()
    assert item.identifier == "kirkenes-1944-011"


# --- done when: the whole path of a new photograph -----------------------------------------------

def test_archivist_catalogues_a_photograph_and_an_editor_publishes_it(cataloguer, editor):
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff", agent_type="person")
    VariantFactory(authority=diakonoff, label="Igor Dyakonov")
    AuthorityFactory(preferred_label="Kirkenes harbour")
    archivist = Client()

    response = archivist.post(reverse("admin:login"), {"username": "cataloguer", "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND

    found = archivist.get(reverse("admin:autocomplete"), {
        "term": "Dyakonov", "app_label": "catalog", "model_name": "statement", "field_name": "authority",
    }).json()
    assert found["results"] == [{"id": str(diakonoff.pk), "text": "Igor Diakonoff"}]

    response = archivist.post(ADD, {
        "identifier": "kirkenes-1945-bridge", "dcmi_type": "StillImage",
        **management("statements", 3), **management("files", 1),
        "statements-0-position": "1", "statements-0-term": "title",
        "statements-0-value": "Soviet troops crossing the Jakobselv bridge", "statements-0-lang": "en",
        "statements-1-position": "2", "statements-1-term": "creator",
        "statements-1-authority": found["results"][0]["id"],
        "statements-2-position": "3", "statements-2-term": "created", "statements-2-value": "1945-09-25",
        "files-0-file": jpeg_upload("jakobselv.jpg"), "files-0-label": "print",
    })
    assert response.status_code == HTTPStatus.FOUND
    item = Item.objects.get(identifier="kirkenes-1945-bridge")
    assert item.statements.get(term="creator").authority == diakonoff
    assert item.files.get().sha256
    assert Client().get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND

    reviewer = Client()
    reviewer.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD})
    response = run_action(reviewer, "publish_items", [item])

    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.status == Item.PUBLISHED
    assert Client().get(item.get_absolute_url()).status_code == HTTPStatus.OK


def test_editing_the_title_and_publishing_in_one_save_keeps_the_new_title(editor_client):
    item = ItemFactory(title="Old title")
    StatementFactory(item=item, term="created", value="1944")
    data = form_data(editor_client.get(change_url(item)))
    data.update({"status": "published", "statements-0-value": "New title", "statements-1-value": "1945-09-25"})

    editor_client.post(change_url(item), data)

    item.refresh_from_db()
    assert (item.status, item.sort_title, str(item.date_earliest)) == ("published", "New title", "1945-09-25")


def test_editor_returns_a_published_item_to_draft_and_harvesters_are_told(editor_client):
    item = ItemFactory(status="published")
    data = form_data(editor_client.get(change_url(item)))
    data["status"] = "draft"

    response = editor_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.status == Item.DRAFT
    assert Tombstone.objects.filter(identifier=item.identifier).exists()
