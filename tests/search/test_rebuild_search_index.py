"""manage.py rebuild_search_index (catalog/management/commands/), kept with the search tests."""
import io

import pytest
from django.core.management import call_command

from catalog.models import Item, SearchEntry
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_the_command_rebuilds_every_row_and_says_how_many():
    ItemFactory.create_batch(3)
    SearchEntry.objects.all().delete()
    Item.objects.bulk_create([Item(identifier="bulk", dcmi_type="Text")])
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output)
    assert output.getvalue().startswith("Search index: 4 items in ")
    assert SearchEntry.objects.count() == 4
