"""completeListSize (catalog/oai/counts.py): counted once per state of the catalogue, and
counted again after every change to what the list holds, whatever the datestamps say."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import services
from catalog.models import Item
from tests.factories import ItemFactory
from tests.oai.support import request, token

pytestmark = pytest.mark.django_db


def announced(client, verb="ListIdentifiers", **params):
    return int(token(request(client, verb=verb, metadataPrefix="oai_dc", **params)).get("completeListSize"))


@pytest.fixture
def catalogue(settings, published):
    settings.ARKIV_OAI_PAGE_SIZE = 2
    return [published() for _ in range(5)]


def test_the_count_follows_publication_and_withdrawal(client, catalogue):
    assert announced(client) == 5
    assert announced(client, "ListRecords") == 5
    services.item_publish(item=ItemFactory())
    assert announced(client) == 6
    services.item_withdraw(item=catalogue[0])
    assert announced(client) == 6  # five published, one deleted record
    Item.objects.filter(pk=catalogue[1].pk).delete()
    assert announced(client) == 6  # the same, a tombstone for the published one


def test_the_count_follows_an_edit_when_datestamps_lie_ahead_of_the_clock(client, catalogue):
    # Generated and imported datestamps may be in the future: an edit made now is earlier.
    Item.objects.update(modified=timezone.now() + timedelta(days=30))
    assert announced(client) == 5
    services.item_publish(item=ItemFactory())
    assert announced(client) == 6


def test_a_count_is_per_selection(client, catalogue):
    Item.objects.filter(pk=catalogue[0].pk).update(modified=timezone.now() - timedelta(days=400))
    since = (timezone.now() - timedelta(days=10)).strftime("%Y-%m-%d")
    assert announced(client, **{"from": since}) == 4
    assert announced(client) == 5


def test_a_whole_list_is_counted_from_the_facet_counts_not_the_items(client, catalogue, settings):
    """The first page of a whole list (no from, until or set) asks no COUNT of the items or of
    Europeana's rules: those take seconds at a million items after every edit."""
    for item in catalogue[:3]:
        item.rights_uri = "http://creativecommons.org/publicdomain/zero/1.0/"
        item.save()
    for prefix, expected in (("oai_dc", 5), ("edm", 3)):
        with CaptureQueriesContext(connection) as queries:
            size = int(token(request(client, verb="ListIdentifiers", metadataPrefix=prefix)).get("completeListSize"))
        assert size == expected
        counted = [
            q["sql"] for q in queries.captured_queries
            if "COUNT(" in q["sql"].upper() and Item._meta.db_table in q["sql"]
        ]
        # What edm logs as left out is counted over the page's own range of keys (verbs._log_left_out).
        assert all('"modified" <=' in sql for sql in counted), counted
    # Narrowed by a set, the list is still counted (and right).
    assert announced(client, set="type:StillImage") == 5
