"""A renamed authority record, or one given a variant or merged into, reindexes its linked items:
in the request when they are few (ARKIV_REINDEX_INLINE_ITEMS), by one task per record when they
are many, the request only enqueueing it once it commits."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalog.models import Authority, Item
from catalog.search import search_items
from catalog.search.linked import reindex_linked
from catalog.services import authority_merge
from django_tasks_db.models import DBTaskResult
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory, VariantFactory
from tests.oai.support import request, xpath
from tests.task_worker import run_queued_tasks
from catalog.oai.markup import datestamp

pytestmark = pytest.mark.django_db


def finds(query):
    return sorted(search_items(Item.objects.all(), query + " ").values_list("identifier", flat=True))


def place_with_items(name, count, prefix=None, **item):
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label=name)
    for number in range(count):
        identifier = f"{prefix or name.lower()}-{number}"
        StatementFactory(item=ItemFactory(identifier=identifier, **item), term="spatial", value="", authority=place)
    return place


def oai_dc(client, since=None):
    return request(client, verb="ListRecords", metadataPrefix="oai_dc", **({"from": datestamp(since)} if since else {}))


def labels(root):
    """{local identifier: its places} of the records of a ListRecords answer."""
    return {
        xpath(record, "string(oai:header/oai:identifier)").rsplit(":", 1)[-1]: xpath(record, ".//dc:coverage/text()")
        for record in xpath(root, "//oai:record")
    }


def reindex_tasks():
    return DBTaskResult.objects.filter(task_path="catalog.tasks.reindex_authority")


def test_a_record_with_few_items_is_reindexed_in_the_request(settings, django_capture_on_commit_callbacks):
    settings.ARKIV_REINDEX_INLINE_ITEMS = 3
    place = place_with_items("Petsamo", 3)
    with django_capture_on_commit_callbacks(execute=True):
        place.preferred_label = "Pechenga"
        place.save()
    assert finds("pechenga") == ["petsamo-0", "petsamo-1", "petsamo-2"]
    assert not reindex_tasks().exists()


def test_a_record_with_many_items_is_reindexed_by_one_task_after_the_commit(settings, django_capture_on_commit_callbacks):
    settings.ARKIV_REINDEX_INLINE_ITEMS = 3
    place = place_with_items("Petsamo", 4)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        place.preferred_label = "Pechenga"
        place.save()
        VariantFactory(authority=place, label="Petsjenga")  # the same record again: one task
    assert finds("pechenga") == [] and not reindex_tasks().exists()  # nothing until the commit

    for callback in callbacks:
        callback()
    [queued] = reindex_tasks()
    # It also bumps their datestamps: the label is in their harvested records.
    assert queued.args_kwargs == {"args": [place.pk], "kwargs": {"reindex": True, "touch": True}}
    assert finds("pechenga") == []  # the request did not reindex them

    [done] = run_queued_tasks()

    assert done.status == "SUCCESSFUL" and done.return_value == 4
    assert finds("pechenga") == finds("petsjenga") == ["petsamo-0", "petsamo-1", "petsamo-2", "petsamo-3"]


def test_a_merge_into_a_record_with_many_items_reindexes_them_by_a_task(settings, django_capture_on_commit_callbacks):
    settings.ARKIV_REINDEX_INLINE_ITEMS = 2
    kept, merged = place_with_items("Pechenga", 2), place_with_items("Petsamo", 2)
    with django_capture_on_commit_callbacks(execute=True):
        authority_merge(source=merged, target=kept)
    assert reindex_tasks().count() == 1

    run_queued_tasks()

    # The merged record's name is a variant of the kept one now: it finds all four.
    assert finds("petsamo") == finds("pechenga") == ["pechenga-0", "pechenga-1", "petsamo-0", "petsamo-1"]


def test_reindexing_the_linked_items_goes_in_batches_and_reports_progress(monkeypatch):
    place = place_with_items("Vardø", 5)
    monkeypatch.setattr("catalog.search.linked.BATCH_SIZE", 2)
    seen = []
    assert reindex_linked(place.pk, progress=seen.append) == 5
    assert seen == [2, 4, 5]


def test_reindexing_the_linked_items_refreshes_the_planner_statistics_once_not_per_batch(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    place = place_with_items("Vadsø", 5)
    monkeypatch.setattr("catalog.search.linked.BATCH_SIZE", 2)
    monkeypatch.setattr("catalog.search.linked.STATISTICS_AFTER", 2)
    monkeypatch.setattr("catalog.search.index.STATISTICS_AFTER", 2)  # what each batch would refresh after
    with CaptureQueriesContext(connection) as queries:
        assert reindex_linked(place.pk) == 5
    assert len([q for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]) == 1
    assert finds("vadsø") == [f"vadsø-{number}" for number in range(5)]


def test_the_items_of_a_deleted_record_with_many_are_reindexed_by_tasks(settings, django_capture_on_commit_callbacks, monkeypatch):
    settings.ARKIV_REINDEX_INLINE_ITEMS = 2
    monkeypatch.setattr("catalog.search.linked.TASK_ITEMS", 2)
    place = place_with_items("Petsamo", 3, prefix="march")
    assert finds("petsamo") == ["march-0", "march-1", "march-2"]
    with django_capture_on_commit_callbacks(execute=True):
        place.delete()
    assert finds("petsamo") == ["march-0", "march-1", "march-2"]  # until the tasks run

    done = run_queued_tasks()

    assert sorted(task.return_value for task in done) == [1, 2] and finds("petsamo") == []


def test_the_items_of_a_deleted_record_with_few_are_reindexed_at_once(settings):
    settings.ARKIV_REINDEX_INLINE_ITEMS = 3
    place_with_items("Petsamo", 3, prefix="march").delete()
    assert finds("petsamo") == [] and not DBTaskResult.objects.exists()


def test_a_renamed_record_with_many_items_reaches_harvesters_and_visitors_once_its_task_ran(settings, client, django_capture_on_commit_callbacks):
    """The request only moves the catalogue version (pages and facets show the new label at
    once); the task bumps the linked items' datestamps, so an incremental harvest from before the
    rename lists them, with the new label, and the site search finds them by it."""
    settings.ARKIV_REINDEX_INLINE_ITEMS = 2
    place = place_with_items("Petsamo", 3, status=Item.PUBLISHED)
    Item.objects.update(modified=timezone.now() - timedelta(days=30))
    oai_dc(client)  # a full harvest: every record's fragment is stored, built with the old label
    assert "Petsamo" in client.get(reverse("catalog:browse")).content.decode()  # the facet, cached
    since = timezone.now().replace(microsecond=0) - timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        place.preferred_label = "Pechenga"
        place.save()
        VariantFactory(authority=place, label="Petsamo")  # the old label kept, as the admin does

    # The request did not touch the items: harvesters see no change yet, visitors' pages do.
    assert Item.objects.filter(modified__gte=since).count() == 0
    assert labels(oai_dc(client, since)) == {}
    browse = client.get(reverse("catalog:browse")).content.decode()
    assert "Pechenga" in browse and "Petsamo</" not in browse

    [done] = run_queued_tasks()

    assert done.status == "SUCCESSFUL" and done.return_value == 3
    assert labels(oai_dc(client, since)) == {f"petsamo-{number}": ["Pechenga"] for number in range(3)}
    assert finds("pechenga") == ["petsamo-0", "petsamo-1", "petsamo-2"]


def test_a_rename_rolled_back_enqueues_nothing_and_leaves_the_next_rename_its_task(settings, django_capture_on_commit_callbacks):
    settings.ARKIV_REINDEX_INLINE_ITEMS = 2
    place = place_with_items("Petsamo", 3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            place.preferred_label = "Pechenga"
            place.save()
            raise RuntimeError("the request failed")
    assert callbacks == [] and not reindex_tasks().exists()

    place.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        place.preferred_label = "Pechenga"
        place.save()

    [queued] = reindex_tasks()
    assert queued.args_kwargs == {"args": [place.pk], "kwargs": {"reindex": True, "touch": True}}
