"""completeListSize (catalog/oai/counts.py): counted once per state of the catalogue, and
counted again after every change to what the list holds, whatever the datestamps say."""
from datetime import timedelta

import pytest
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
