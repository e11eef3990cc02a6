"""The admin's history pages: an item's change sets as readable diffs, paginated; restore;
the list of change sets and the undo of an import."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.admin.history import HISTORY_PER_PAGE
from catalog.history import recording, states
from catalog.history.models import ChangeSet
from catalog.imports.csv import Options, PlanStore, import_csv
from catalog.models import Authority, Item, Statement
from tests.admin.conftest import form_data
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db


def history_url(item_pk, page=None):
    url = reverse("admin:catalog_item_history", args=[item_pk])
    return f"{url}?p={page}" if page else url


def edit_title(client, item, title):
    change = reverse("admin:catalog_item_change", args=[item.pk])
    data = form_data(client.get(change))
    index = next(key.split("-")[1] for key, value in data.items() if key.endswith("-term") and value == "title")
    data[f"statements-{index}-value"] = title
    response = client.post(change, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors


def test_the_history_page_shows_who_changed_the_title_and_its_old_and_new_value(editor_client):
    item = ItemFactory(title="Soviet soldiers")
    edit_title(editor_client, item, "Soviet soldiers in Kirkenes")
    edit_title(editor_client, item, "Soviet soldiers at the bridge")

    page = editor_client.get(history_url(item.pk)).content.decode()

    assert "editor" in page and "Admin" in page
    assert "<del>Soviet soldiers in Kirkenes</del>" in page
    # the first edit of an item without history: its state before was recorded too
    assert "<del>Soviet soldiers</del>" in page
    assert "<ins>Soviet soldiers at the bridge</ins>" in page
    assert "dc:title@en" in page


def test_the_admin_log_is_shown_once_below_the_change_sets_not_in_the_breadcrumbs(editor_client):
    item = ItemFactory(title="Soviet soldiers")
    edit_title(editor_client, item, "Soviet soldiers in Kirkenes")

    page = editor_client.get(history_url(item.pk)).content.decode()

    assert page.count("<h2>Admin log</h2>") == 1
    assert page.index('id="content-main"') < page.index("<h2>Admin log</h2>")


def test_a_linked_value_shows_its_record(editor_client):
    record = AuthorityFactory(preferred_label="Igor Diakonoff")
    item = ItemFactory()
    with recording.changes(source=ChangeSet.ADMIN):
        StatementFactory(item=item, term="creator", value="I. Diakonov", authority=record)

    page = editor_client.get(history_url(item.pk)).content.decode()

    assert "I. Diakonov → record “Igor Diakonoff”" in page


def test_an_item_with_500_changes_loads_one_bounded_page_in_a_fixed_number_of_queries(editor_client):
    item = ItemFactory(title="Version 0")
    title = Statement.objects.get(item=item, term="title")
    for n in range(1, 501):
        with recording.changes(source=ChangeSet.ADMIN):
            title.value = f"Version {n}"
            title.save()
    assert states.versions_of(item.pk).count() == 501  # and the state before the first change

    with CaptureQueriesContext(connection) as first:
        response = editor_client.get(history_url(item.pk))
    with CaptureQueriesContext(connection) as last:
        oldest = editor_client.get(history_url(item.pk, page=21))

    assert len(response.context["entries"]) == HISTORY_PER_PAGE
    assert "<ins>Version 500</ins>" in response.content.decode()
    assert "<ins>Version 0</ins>" in oldest.content.decode() and len(oldest.context["entries"]) == 1
    assert len(first.captured_queries) == len(last.captured_queries) < 20


def test_restoring_a_version_from_the_history_page_puts_the_title_back(editor_client):
    item = ItemFactory(title="Soviet soldiers")
    edit_title(editor_client, item, "Soviet soldiers in Kirkenes")
    edit_title(editor_client, item, "Wrong title")
    wanted = states.versions_of(item.pk)[1]

    response = editor_client.post(reverse("admin:catalog_item_restore", args=[item.pk, wanted.pk]))

    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).title == "Soviet soldiers in Kirkenes"
    assert states.versions_of(item.pk).first().revision.change_set.source == ChangeSet.RESTORE


def test_restore_is_post_only(editor_client):
    item = ItemFactory()
    edit_title(editor_client, item, "Another")
    version = states.versions_of(item.pk).first()
    assert editor_client.get(reverse("admin:catalog_item_restore", args=[item.pk, version.pk])).status_code == 403


def test_visitors_see_no_history(client):
    item = ItemFactory(status=Item.PUBLISHED)
    with recording.changes(source=ChangeSet.ADMIN):
        item.save()
    response = client.get(history_url(item.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(reverse("admin:history_changeset_changelist")).status_code == 302


def test_the_history_of_a_deleted_item_is_still_shown(editor_client):
    item = ItemFactory(title="Soviet soldiers")
    edit_title(editor_client, item, "Soviet soldiers in Kirkenes")
    pk = item.pk
    Item.objects.filter(pk=pk).delete()

    response = editor_client.get(history_url(pk))

    assert response.status_code == 200
    assert "Soviet soldiers in Kirkenes" in response.content.decode()


def imported(tmp_path, text):
    store = PlanStore(tmp_path / "plan.sqlite3")
    try:
        assert import_csv(io.BytesIO(text.encode()), store=store, options=Options(), apply=True).applied
    finally:
        store.close()
    return ChangeSet.objects.get(source=ChangeSet.CSV_IMPORT)


def test_an_import_is_undone_from_its_change_set_page(tmp_path, editor_client):
    change_set = imported(tmp_path, "identifier,type,dc:title\nnote-1,Text,A note\nnote-2,Text,Another\n")
    undo_url = reverse("admin:history_changeset_undo", args=[change_set.pk])
    assert "Undo this change set" in editor_client.get(undo_url).content.decode()

    response = editor_client.post(undo_url)

    assert response.status_code == 302
    assert not Item.objects.filter(identifier__startswith="note-").exists()
    assert ChangeSet.objects.get(pk=change_set.pk).undone_by is not None


def test_the_undo_page_says_what_blocks_it(tmp_path, editor_client):
    change_set = imported(tmp_path, "identifier,type,dc:title\nnote-1,Text,A note\n")
    edit_title(editor_client, Item.objects.get(identifier="note-1"), "Edited since")
    undo_url = reverse("admin:history_changeset_undo", args=[change_set.pk])

    page = editor_client.get(undo_url).content.decode()
    editor_client.post(undo_url)

    assert "note-1 was changed since" in page and "Undo this change set" not in page
    assert Item.objects.filter(identifier="note-1").exists()


def test_the_change_sets_are_listed_for_staff(tmp_path, cataloguer_client):
    imported(tmp_path, "identifier,type,dc:title\nnote-1,Text,A note\n")
    page = cataloguer_client.get(reverse("admin:history_changeset_changelist")).content.decode()
    assert "CSV import" in page


def test_a_renamed_record_and_an_edited_collection_show_their_old_and_new_values(editor_client):
    from catalog.models import Agent, Collection
    from tests.factories import CollectionFactory

    record = AuthorityFactory(preferred_label="Igor Diakonov", kind=Authority.AGENT)
    collection = CollectionFactory(title="Finnmark")
    with recording.changes(source=ChangeSet.ADMIN):
        Agent.objects.get(pk=record.pk).save()
    with recording.changes(source=ChangeSet.ADMIN):
        agent = Agent.objects.get(pk=record.pk)
        agent.preferred_label = "Igor Diakonoff"
        agent.save()
        agent.variants.create(label="Igor Dyakonov")
    with recording.changes(source=ChangeSet.ADMIN):
        collection.title = "Eastern Finnmark"
        collection.save()

    page = editor_client.get(reverse("admin:catalog_agent_history", args=[record.pk])).content.decode()
    collection_page = editor_client.get(reverse("admin:catalog_collection_history", args=[collection.pk])).content.decode()

    assert "<del>Igor Diakonov</del>" in page and "<ins>Igor Diakonoff</ins>" in page
    assert "<ins>Igor Dyakonov</ins>" in page
    assert "<ins>Eastern Finnmark</ins>" in collection_page
    assert Collection.objects.count() == 1


def test_a_large_change_set_is_undone_by_a_task_and_its_page_says_how_it_went(tmp_path, editor_client, settings, monkeypatch):
    from catalog.history import undo_jobs
    from tests.task_worker import run_queued_tasks

    settings.ARKIV_IMPORT_DIR = tmp_path / "jobs"
    monkeypatch.setattr(undo_jobs, "BACKGROUND_ITEMS", 1)
    change_set = imported(tmp_path, "identifier,type,dc:title\nnote-1,Text,A note\nnote-2,Text,Another\n")
    undo_url = reverse("admin:history_changeset_undo", args=[change_set.pk])

    with django_capture_on_commit_callbacks_executed():
        assert editor_client.post(undo_url).status_code == 302

    waiting = editor_client.get(undo_url).content.decode()
    assert "Undoing this change set" in waiting and "Waiting for the task worker" in waiting
    assert Item.objects.filter(identifier__startswith="note-").count() == 2  # until a worker runs it

    [done] = run_queued_tasks()

    assert done.status == "SUCCESSFUL" and not Item.objects.filter(identifier__startswith="note-").exists()
    undone = ChangeSet.objects.get(pk=change_set.pk).undone_by_id
    assert done.return_value == undone
    shown = editor_client.get(undo_url, follow=True).content.decode()
    assert f"Change set #{change_set.pk} undone (as change set #{undone})" in shown
    assert f"Undone by change set #{undone}" in shown


def test_an_undo_task_blocked_by_a_later_edit_says_why_and_changes_nothing(tmp_path, editor_client, settings, monkeypatch):
    from catalog.history import undo_jobs
    from tests.task_worker import run_queued_tasks

    settings.ARKIV_IMPORT_DIR = tmp_path / "jobs"
    monkeypatch.setattr(undo_jobs, "BACKGROUND_ITEMS", 1)
    change_set = imported(tmp_path, "identifier,type,dc:title\nnote-1,Text,A note\nnote-2,Text,Another\n")
    undo_url = reverse("admin:history_changeset_undo", args=[change_set.pk])
    with django_capture_on_commit_callbacks_executed():
        editor_client.post(undo_url)
    edit_title(editor_client, Item.objects.get(identifier="note-1"), "Edited before the worker came")

    [done] = run_queued_tasks()

    assert done.return_value is None and Item.objects.filter(identifier__startswith="note-").count() == 2
    assert ChangeSet.objects.get(pk=change_set.pk).undone_by is None
    shown = editor_client.get(undo_url, follow=True).content.decode()
    assert "note-1 was changed since" in shown


def django_capture_on_commit_callbacks_executed():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
