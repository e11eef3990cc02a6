from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from catalog import services
from catalog.models import Item, Statement, Tombstone
from tests.factories import ItemFactory
from tests.oai.support import at, errors, harvest, identifiers, oai_id, request, token, xpath

pytestmark = pytest.mark.django_db


def records(root):
    return xpath(root, "//oai:ListRecords/oai:record")


def test_records_carry_their_metadata_and_deleted_ones_only_a_header(client, published, withdrawn):
    live = published(title="Soviet troops leaving Norway")
    gone = withdrawn()
    root = request(client, verb="ListRecords", metadataPrefix="oai_dc")
    record = xpath(root, f"//oai:record[oai:header/oai:identifier='{oai_id(live.identifier)}']")[0]
    assert xpath(record, "oai:metadata/oai_dc:dc/dc:title/text()") == ["Soviet troops leaving Norway"]
    deleted = xpath(root, f"//oai:record[oai:header/oai:identifier='{oai_id(gone.identifier)}']")[0]
    assert xpath(deleted, "oai:header/@status") == ["deleted"]
    assert not xpath(deleted, "oai:metadata")


def test_list_records_resumes_where_it_stopped(client, settings, published, withdrawn):
    settings.ARKIV_OAI_PAGE_SIZE = 3
    expected = {oai_id(published().identifier) for _ in range(8)} | {oai_id(withdrawn().identifier) for _ in range(2)}
    pages = harvest(client, "ListRecords", metadataPrefix="oai_dc")
    delivered = [identifier for root in pages for identifier in identifiers(root)]
    assert sorted(delivered) == sorted(expected)
    assert [len(records(root)) for root in pages] == [3, 3, 3, 1]
    assert [token(root).get("cursor") for root in pages] == ["0", "3", "6", "9"]
    assert {token(root).get("completeListSize") for root in pages} == {"10"}
    assert token(pages[-1]).text is None and token(pages[-1]).get("expirationDate") is None


def test_a_token_lives_for_days(client, settings, published):
    settings.ARKIV_OAI_PAGE_SIZE = 1
    published(), published()
    element = token(request(client, verb="ListRecords", metadataPrefix="oai_dc"))
    expires = at(element.get("expirationDate"))
    assert expires > timezone.now() + timedelta(days=6)


def test_a_list_that_fits_one_page_has_no_token(client, published):
    published()
    assert token(request(client, verb="ListRecords", metadataPrefix="oai_dc")) is None


def test_sending_a_token_again_returns_the_same_page(client, settings, published, withdrawn):
    settings.ARKIV_OAI_PAGE_SIZE = 3
    for n in range(7):
        published()
    withdrawn()
    first = request(client, verb="ListRecords", metadataPrefix="oai_dc")
    sent = token(first).text
    once = request(client, verb="ListRecords", resumptionToken=sent)
    again = request(client, verb="ListRecords", resumptionToken=sent)
    for root in (once, again):  # the answers differ only in when they were made
        for moving in xpath(root, "//oai:responseDate | //oai:resumptionToken"):
            moving.getparent().remove(moving)
    from lxml import etree

    assert etree.tostring(once) == etree.tostring(again)
    assert len(records(once)) == 3


def test_an_unchanged_record_is_delivered_exactly_once_while_others_change(client, settings, published, withdrawn):
    """Harvest a page at a time while, between pages, records are edited, added, withdrawn,
    deleted and republished: every record that was not touched arrives exactly once, and every
    change made during the harvest is seen by its end."""
    settings.ARKIV_OAI_PAGE_SIZE = 4
    items = [published(identifier=f"photo-{n:02d}") for n in range(24)]
    gone = withdrawn(identifier="gone-00")
    touched, added, deleted = set(), [], set()
    root = request(client, verb="ListRecords", metadataPrefix="oai_dc")
    delivered = list(identifiers(root))
    step = 0
    while token(root) is not None and token(root).text:
        step += 1
        # Edit records on both sides of the cursor: those delivered come again later, those
        # ahead move to the end of the list; either way the harvester sees the new version.
        behind, ahead = items[step % 12], items[-(step % 6) - 1]
        for item in (behind, ahead):
            Statement.objects.create(item=item, term="subject", value=f"edit {step}")
            touched.add(item.identifier)
        new = published(identifier=f"new-{step:02d}")
        added.append(new.identifier)
        victim = items[12 + step % 6]
        if victim.identifier not in deleted:
            if step % 2:
                services.item_withdraw(item=victim)
            else:
                Item.objects.get(pk=victim.pk).delete()
            deleted.add(victim.identifier)
        if step == 3:
            services.item_publish(item=gone)  # republished: its tombstone goes
            touched.add(gone.identifier)
        root = request(client, verb="ListRecords", resumptionToken=token(root).text)
        delivered += identifiers(root)
    unchanged = {item.identifier for item in items} - touched - deleted
    for identifier in unchanged:
        assert delivered.count(oai_id(identifier)) == 1, identifier
    for identifier in touched | set(added) | deleted:
        assert oai_id(identifier) in delivered, identifier
    assert step >= 6


def test_withdrawn_items_are_reported_deleted_forever(client, published):
    item = published()
    services.item_withdraw(item=item)
    Statement.objects.create(item=Item.objects.get(pk=item.pk), term="subject", value="edited while hidden")
    root = request(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert xpath(root, "//oai:header/@status") == ["deleted"]


def test_unpublishing_counts_as_a_deletion(client, published):
    item = published()
    item.status = Item.DRAFT
    item.save()
    root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert xpath(root, "//oai:header/@status") == ["deleted"]
    assert identifiers(root) == [oai_id(item.identifier)]


def test_a_republished_item_is_no_longer_deleted(client, withdrawn):
    item = withdrawn()
    services.item_publish(item=Item.objects.get(pk=item.pk))
    root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(root) == [oai_id(item.identifier)]
    assert xpath(root, "//oai:header/@status") == []


def test_a_tombstone_stays_visible_after_its_item_is_purged_from_the_admin(client, published):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    item = published(identifier="kirkenes-1945-003")
    admin = type(client)()
    admin.force_login(editor)
    response = admin.post(reverse("admin:catalog_item_delete", args=[item.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Item.objects.filter(pk=item.pk).exists()
    assert Tombstone.objects.filter(identifier="kirkenes-1945-003").exists()
    root = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id("kirkenes-1945-003"))
    assert xpath(root, "//oai:header/@status") == ["deleted"]
    listed = request(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert identifiers(listed) == [oai_id("kirkenes-1945-003")]


def test_drafts_never_appear(client):
    ItemFactory()
    assert errors(request(client, verb="ListRecords", metadataPrefix="oai_dc")) == ["noRecordsMatch"]


def test_a_deep_page_costs_the_same_queries_as_an_early_one(client, settings, django_assert_num_queries, published, withdrawn):
    settings.ARKIV_OAI_PAGE_SIZE = 5
    for n in range(40):
        published()
    for n in range(5):
        withdrawn()
    pages = harvest(client, "ListRecords", metadataPrefix="oai_dc")
    assert len(pages) == 9
    for root in (pages[0], pages[6]):  # leading to the second page and to the seventh
        # The items with their stored headers, the tombstones, the records' stored metadata
        # (catalog/oai/cache/: the harvest stored both).
        with django_assert_num_queries(3):
            request(client, verb="ListRecords", resumptionToken=token(root).text)
