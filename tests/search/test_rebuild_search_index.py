"""manage.py rebuild_search_index (catalog/management/commands/), kept with the search tests."""
import io

import pytest
from django.core.management import call_command

from catalog.models import Item, SearchEntry
from tests.factories import ItemFactory
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db


def test_the_command_rebuilds_every_row_and_says_how_many():
    ItemFactory.create_batch(3)
    SearchEntry.objects.all().delete()
    Item.objects.bulk_create([Item(identifier="bulk", dcmi_type="Text")])
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output)
    assert output.getvalue().startswith("Search index: 4 items in ")
    assert SearchEntry.objects.count() == 4


def test_in_the_background_the_rebuild_is_left_to_the_task_worker():
    ItemFactory.create_batch(2)
    SearchEntry.objects.all().delete()
    output = io.StringIO()

    call_command("rebuild_search_index", "--background", stdout=output)

    assert output.getvalue().startswith("Search index: the rebuild is queued for the task worker (task ")
    assert not SearchEntry.objects.exists()
    [done] = run_queued_tasks()
    assert (done.status, done.return_value) == ("SUCCESSFUL", 2) and SearchEntry.objects.count() == 2
