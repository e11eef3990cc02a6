"""Whole harvests over HTTP by two real third-party harvesters, Sickle and pyoai, against a live
server; what they take is compared with the database."""
from datetime import timedelta

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone
from lxml import etree
from oaipmh.client import Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader
from sickle import Sickle

from catalog import services
from catalog.models import Item, Statement, Tombstone
from catalog.oai.markup import datestamp
from tests.factories import CollectionFactory, ItemFactory
from tests.oai.support import errors, oai_id, token, validate

pytestmark = pytest.mark.django_db(transaction=True)


def expected():
    """What a complete harvest must bring: identifier -> (datestamp, deleted, first title)."""
    records = {
        oai_id(item.identifier): (datestamp(item.modified), False, item.values("title")[0].display_value)
        for item in Item.objects.published().with_description()
    }
    for tombstone in Tombstone.objects.all():
        records[oai_id(tombstone.identifier)] = (datestamp(tombstone.datestamp), True, None)
    return records


def sickle_harvest(url, **arguments):
    harvested = {}
    for record in Sickle(url).ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **arguments):
        header = record.header
        assert header.identifier not in harvested, f"{header.identifier} delivered twice"
        title = None if header.deleted else record.metadata["title"][0]
        harvested[header.identifier] = (header.datestamp, header.deleted, title)
    return harvested


def pyoai_harvest(url, **arguments):
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    client = Client(url, registry)
    harvested = {}
    for header, metadata, _ in client.listRecords(metadataPrefix="oai_dc", **arguments):
        assert header.identifier() not in harvested, f"{header.identifier()} delivered twice"
        title = None if header.isDeleted() else metadata.getField("title")[0]
        stamp = header.datestamp().strftime("%Y-%m-%dT%H:%M:%SZ")
        harvested[header.identifier()] = (stamp, header.isDeleted(), title)
    return harvested


def make_catalogue(count=30):
    collection = CollectionFactory(identifier="finnmark")
    items = []
    for n in range(count):
        item = ItemFactory(identifier=f"photo-{n:03d}", status=Item.PUBLISHED, title=f"Photograph {n} of Kirkenes")
        item.collections.add(collection)
        items.append(item)
    for item in items[:4]:
        services.item_withdraw(item=item)
    items[4].delete()
    ItemFactory(identifier="draft-001")  # never published: never harvested
    return items


@pytest.fixture
def endpoint(live_server, settings):
    settings.ARKIV_OAI_PAGE_SIZE = 7  # several pages, so the tokens are exercised
    return f"{live_server.url}/oai"


@pytest.mark.parametrize("harvest", [sickle_harvest, pyoai_harvest])
def test_a_full_harvest_takes_the_whole_catalogue(endpoint, harvest):
    make_catalogue()
    assert harvest(endpoint) == expected()


@pytest.mark.parametrize("harvest", [sickle_harvest, pyoai_harvest])
def test_the_demo_catalogue_harvests_completely(endpoint, harvest):
    call_command("load_demo", verbosity=0)
    records = expected()
    assert len(records) > 10
    assert harvest(endpoint) == records


@pytest.mark.parametrize("verb, prefix", [("ListRecords", "oai_dc"), ("ListRecords", "qdc"), ("ListIdentifiers", "oai_dc")])
def test_every_page_of_the_demo_catalogue_validates(endpoint, verb, prefix):
    call_command("load_demo", verbosity=0)
    params, pages = {"verb": verb, "metadataPrefix": prefix}, 0
    while params:
        root = validate(etree.fromstring(requests.get(endpoint, params=params).content))
        assert not errors(root)
        pages += 1
        sent = token(root)
        params = {"verb": verb, "resumptionToken": sent.text} if sent is not None and sent.text else None
    assert pages > 1


def test_sickle_takes_every_verb(endpoint):
    make_catalogue(8)
    sickle = Sickle(endpoint)
    assert sickle.Identify().baseURL == endpoint
    assert {f.metadataPrefix for f in sickle.ListMetadataFormats()} == {"oai_dc", "edm", "qdc"}
    assert "finnmark" in {s.setSpec for s in sickle.ListSets()}
    headers = list(sickle.ListIdentifiers(metadataPrefix="qdc", set="finnmark", ignore_deleted=False))
    assert len(headers) == 8  # withdrawn and deleted ones too: a tombstone keeps its sets
    assert sum(header.deleted for header in headers) == 5
    record = sickle.GetRecord(identifier=oai_id("photo-007"), metadataPrefix="oai_dc")
    assert record.metadata["title"] == ["Photograph 7 of Kirkenes"]


@pytest.mark.parametrize("harvest", [sickle_harvest, pyoai_harvest])
def test_an_incremental_harvest_sees_exactly_the_changes(endpoint, harvest):
    items = make_catalogue()
    # Everything so far happened an hour ago, so that the last harvest's moment separates it
    # from what changes next.
    hour_ago = timezone.now() - timedelta(hours=1)
    Item.objects.update(modified=hour_ago)
    Tombstone.objects.update(datestamp=hour_ago)
    harvest(endpoint)
    since = timezone.now().replace(microsecond=0)
    edited, withdrawn, purged = items[10], items[11], items[12]
    Statement.objects.create(item=edited, term="subject", value="Liberation of Kirkenes")
    services.item_withdraw(item=withdrawn)
    Item.objects.get(pk=purged.pk).delete()
    added = ItemFactory(identifier="photo-new", status=Item.PUBLISHED, title="New photograph")
    republished = Item.objects.get(identifier="photo-000")
    services.item_publish(item=republished)

    # pyoai takes naive UTC datetimes; Sickle passes the datestamp as it is.
    since_argument = {"from_": since.replace(tzinfo=None)} if harvest is pyoai_harvest else {"from": datestamp(since)}
    changes = harvest(endpoint, **since_argument)
    assert set(changes) == {oai_id(i.identifier) for i in (edited, withdrawn, purged, added, republished)}
    assert changes[oai_id(withdrawn.identifier)][1] is True
    assert changes[oai_id(purged.identifier)][1] is True
    assert changes[oai_id(republished.identifier)][1] is False
    assert changes[oai_id(added.identifier)][2] == "New photograph"
    complete = expected()
    assert {identifier: complete[identifier] for identifier in changes} == changes
