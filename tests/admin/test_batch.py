"""Batch edit in the admin: select → edit → preview → confirm → one change set; permissions."""
import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from catalog.admin.batch_forms import AMBIGUOUS_RECORD, NOT_CONTROLLED
from catalog.history.models import ChangeSet
from catalog.models import Authority, Item, Statement
from tests.factories import AuthorityFactory, ItemFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_item_changelist")


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"


def select(client, items):
    response = client.post(CHANGELIST, {
        "action": "batch_edit", "index": "0", "select_across": "0",
        helpers.ACTION_CHECKBOX_NAME: [item.pk for item in items],
    })
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def subjects(item):
    return list(Statement.objects.filter(item=item, term="subject").values_list("value", "authority__slug"))


def test_adding_a_subject_to_300_selected_items_after_seeing_the_preview(cataloguer_client, cataloguer):
    war = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War", slug="war")
    items = [ItemFactory(identifier=f"photo-{n:03d}") for n in range(300)]
    form_url = select(cataloguer_client, items)

    response = cataloguer_client.post(form_url, {"operation": "add_link", "term": "subject", "record": "war"})
    preview_url = response["Location"]
    preview = cataloguer_client.get(preview_url)

    assert "300 item(s) will change" in preview.content.decode()
    assert "War &lt;war&gt;" in preview.content.decode()
    assert not Statement.objects.filter(term="subject").exists()  # nothing saved by the preview

    done = cataloguer_client.post(preview_url, {"digest": preview.context["digest"]})

    assert done.status_code == 302
    assert all(subjects(item) == [("War", "war")] for item in items)
    change_set = ChangeSet.objects.get(source=ChangeSet.BATCH_EDIT)
    assert change_set.revision.user == cataloguer and change_set.items == 300
    assert done["Location"] == reverse("admin:history_changeset_undo", args=[change_set.pk])


def test_the_undo_page_undoes_the_batch_edit(editor_client):
    war = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War", slug="war")
    items = [ItemFactory() for _ in range(3)]
    preview_url = editor_client.post(select(editor_client, items), {"operation": "add_link", "term": "subject", "record": "War"})["Location"]
    undo_url = editor_client.post(preview_url, {"digest": editor_client.get(preview_url).context["digest"]})["Location"]

    editor_client.post(undo_url)

    assert not Statement.objects.filter(authority=war).exists()


def test_the_form_names_what_is_wrong(editor_client):
    AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War", slug="war-1")
    AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War", slug="war-2")
    form_url = select(editor_client, [ItemFactory()])

    ambiguous = editor_client.post(form_url, {"operation": "add_link", "term": "subject", "record": "War"})
    uncontrolled = editor_client.post(form_url, {"operation": "add_link", "term": "title", "record": "war-1"})
    bad_pattern = editor_client.post(form_url, {"operation": "replace", "term": "title", "find": "(", "use_regex": "on"})

    assert ambiguous.context["form"].errors["record"] == [AMBIGUOUS_RECORD % {"count": 2, "name": "War", "slugs": "war-1, war-2"}]
    assert uncontrolled.context["form"].errors["term"] == [NOT_CONTROLLED % {"term": "dc:title"}]
    assert "is not a regular expression" in bad_pattern.context["form"].errors["find"][0]


def test_a_changed_catalogue_is_shown_again_not_applied(editor_client):
    item = ItemFactory(title="photo of the bridge")
    preview_url = editor_client.post(select(editor_client, [item]), {"operation": "replace", "term": "title", "find": "photo", "replace": "Photo"})["Location"]
    digest = editor_client.get(preview_url).context["digest"]
    Statement.objects.filter(item=item, term="title").update(value="photo of the quay")

    response = editor_client.post(preview_url, {"digest": digest})

    assert response["Location"] == preview_url
    assert Item.objects.get(pk=item.pk).statements.get(term="title").value == "photo of the quay"


def test_a_batch_edit_is_seen_only_by_whoever_made_it(editor_client, cataloguer_client):
    form_url = select(editor_client, [ItemFactory()])
    assert cataloguer_client.get(form_url).status_code == 404


def test_the_action_needs_the_change_permission(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_item"))
    client.force_login(viewer)
    item = ItemFactory()
    response = client.post(CHANGELIST, {"action": "batch_edit", "index": "0", helpers.ACTION_CHECKBOX_NAME: [item.pk]})
    assert response.status_code in (200, 302)
    assert not response.get("Location", "").count("batch-edit")


def test_a_cataloguer_is_offered_no_edit_that_publishes(cataloguer_client):
    item = ItemFactory()
    form_url = select(cataloguer_client, [item])
    response = cataloguer_client.post(form_url, {"operation": "publish"})
    assert "operation" in response.context["form"].errors
    assert Item.objects.get(pk=item.pk).status == Item.DRAFT
