from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog import services
from catalog.models import Authority, Collection, Item, Statement, Tombstone
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory

pytestmark = pytest.mark.django_db


def age(item, seconds=3600):
    """Move an item's datestamp into the past, so a bump is visible."""
    past = timezone.now() - timedelta(seconds=seconds)
    Item.objects.filter(pk=item.pk).update(modified=past)
    return past


def datestamp(item):
    return Item.objects.get(pk=item.pk).modified


def test_adding_editing_and_removing_a_statement_bumps_the_datestamp():
    item = ItemFactory()
    past = age(item)
    statement = Statement.objects.create(item=item, term="subject", value="Liberation")
    assert datestamp(item) > past
    past = age(item)
    statement.value = "Liberation of Finnmark"
    statement.save()
    assert datestamp(item) > past
    past = age(item)
    statement.delete()
    assert datestamp(item) > past


def test_collection_membership_bumps_the_datestamp_both_ways():
    item, collection = ItemFactory(), CollectionFactory()
    past = age(item)
    item.collections.add(collection)
    assert datestamp(item) > past
    past = age(item)
    collection.items.remove(item)
    assert datestamp(item) > past
    item.collections.add(collection)
    past = age(item)
    collection.items.clear()
    assert datestamp(item) > past


def test_renaming_a_collection_bumps_its_items_and_renames_child_sets():
    parent = CollectionFactory(identifier="finnmark")
    child = CollectionFactory(identifier="photos", parent=parent)
    assert child.set_spec == "finnmark:photos"
    item = ItemFactory()
    item.collections.add(child)
    past = age(item)
    parent.identifier = "eastern-finnmark"
    parent.save()
    child.refresh_from_db()
    assert child.set_spec == "eastern-finnmark:photos"
    assert datestamp(item) > past


def test_status_change_bumps_the_datestamp():
    item = ItemFactory()
    past = age(item)
    services.item_publish(item=item)
    assert datestamp(item) > past


def test_renaming_a_linked_authority_bumps_its_items_only():
    person = AuthorityFactory(preferred_label="Igor Diakonov")
    linked, other = ItemFactory(), ItemFactory()
    Statement.objects.create(item=linked, term="creator", value="Dyakonov", authority=person)
    past_linked, past_other = age(linked), age(other)
    person.note = "A note is not something harvesters see."
    person.save()
    assert datestamp(linked) == past_linked
    person.preferred_label = "Igor Diakonoff"
    person.save()
    assert datestamp(linked) > past_linked
    assert datestamp(other) == past_other


def test_statements_derive_title_and_date_range():
    item = ItemFactory(title="Note of 24 September 1945")
    Statement.objects.create(item=item, term="created", value="24 Sept 1945", position=5)
    item.refresh_from_db()
    assert item.sort_title == "Note of 24 September 1945"
    assert (item.date_earliest.isoformat(), item.date_latest.isoformat()) == ("1945-09-24", "1945-09-24")
    assert not item.date_unparsed


def test_an_unreadable_date_is_kept_and_flagged():
    item = ItemFactory()
    Statement.objects.create(item=item, term="date", value="the winter after the war")
    item.refresh_from_db()
    assert item.date_text == "the winter after the war"
    assert item.date_unparsed and item.date_earliest is None
    assert Statement.objects.filter(item=item, value="the winter after the war").exists()


def test_withdrawing_a_published_item_leaves_a_tombstone_with_its_sets():
    collection = CollectionFactory(identifier="finnmark")
    item = ItemFactory(dcmi_type="Text")
    item.collections.add(collection)
    services.item_publish(item=item)
    assert not Tombstone.objects.exists()
    services.item_withdraw(item=item)
    tombstone = Tombstone.objects.get(identifier=item.identifier)
    assert tombstone.set_spec_list() == ["finnmark", "type:Text"]
    assert tombstone.datestamp >= item.modified - timedelta(seconds=1)


def test_editing_a_withdrawn_item_keeps_its_deletion_datestamp():
    item = ItemFactory()
    services.item_publish(item=item)
    services.item_withdraw(item=item)
    first = Tombstone.objects.get().datestamp
    Statement.objects.create(item=item, term="description", value="edited while withdrawn")
    item.save()
    assert Tombstone.objects.get().datestamp == first


def test_deleting_a_published_item_leaves_a_tombstone_that_outlives_it():
    item = ItemFactory()
    services.item_publish(item=item)
    identifier = item.identifier
    item.delete()
    tombstone = Tombstone.objects.get(identifier=identifier)
    assert tombstone.item is None
    assert tombstone.set_spec_list() == ["type:StillImage"]


def test_a_never_published_draft_leaves_no_tombstone():
    item = ItemFactory()
    item.delete()
    assert not Tombstone.objects.exists()


def test_republishing_removes_the_tombstone():
    item = ItemFactory()
    services.item_publish(item=item)
    services.item_withdraw(item=item)
    services.item_publish(item=item)
    assert not Tombstone.objects.exists()


def test_returning_a_published_item_to_draft_counts_as_a_deletion():
    item = ItemFactory()
    services.item_publish(item=item)
    item.status = Item.DRAFT
    item.save()
    assert Tombstone.objects.filter(identifier=item.identifier).exists()


def test_tombstones_filter_by_set_including_descendants():
    Tombstone.objects.create(identifier="a", datestamp=timezone.now(), set_specs=Tombstone.pack_set_specs(["fin:photos"]))
    Tombstone.objects.create(identifier="b", datestamp=timezone.now(), set_specs=Tombstone.pack_set_specs(["finland"]))
    assert [t.identifier for t in Tombstone.objects.in_set("fin")] == ["a"]
    assert [t.identifier for t in Tombstone.objects.in_set("fin:photos")] == ["a"]


@pytest.mark.parametrize("identifier", ["has space", "slash/inside", "-leading", "", "ø-non-ascii", "x" * 101])
def test_identifiers_must_be_url_safe(identifier):
    item = Item(identifier=identifier, dcmi_type="Text")
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "identifier" in error.value.message_dict


def test_identifiers_are_unique():
    ItemFactory(identifier="kirkenes-001")
    with pytest.raises(ValidationError):
        Item(identifier="kirkenes-001", dcmi_type="Text").full_clean()


def test_language_tags_are_validated_and_normalised():
    item = ItemFactory()
    bad = Statement(item=item, term="title", value="x", lang="english")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "BCP 47" in str(error.value)
    good = Statement(item=item, term="title", value="x", lang="EN-gb")
    good.full_clean()
    assert good.lang == "en-GB"


def test_a_statement_links_only_a_fitting_kind_of_authority():
    item = ItemFactory()
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    with pytest.raises(ValidationError, match="takes agent records, and “Kirkenes” is a place: "):
        Statement(item=item, term="creator", authority=place).full_clean()
    with pytest.raises(ValidationError, match="not authority-controlled"):
        Statement(item=item, term="title", authority=place).full_clean()
    statement = Statement(item=item, term="spatial", authority=place)
    statement.full_clean()
    assert statement.display_value == "Kirkenes"


def test_publishing_needs_a_title():
    item = Item.objects.create(identifier="untitled", dcmi_type="Text")
    with pytest.raises(ValidationError, match="give it a dc:title"):
        services.item_publish(item=item)
    assert Item.objects.get(pk=item.pk).status == Item.DRAFT


def test_collection_cannot_contain_itself():
    parent = CollectionFactory()
    child = CollectionFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError, match="inside itself"):
        parent.full_clean()


def test_published_is_the_one_visibility_rule():
    published = ItemFactory(status=Item.PUBLISHED)
    ItemFactory(status=Item.DRAFT)
    ItemFactory(status=Item.WITHDRAWN)
    assert list(Item.objects.published()) == [published]
    assert Collection.objects.count() == 0


def test_saving_a_stale_instance_keeps_the_derived_title_and_date():
    item = ItemFactory(title="First title")
    stale = Item.objects.get(pk=item.pk)
    statement = Statement.objects.get(item=item, term="title")
    statement.value = "Corrected title"
    statement.save()
    Statement.objects.create(item=item, term="created", value="1945")
    services.item_publish(item=stale)
    item.refresh_from_db()
    assert item.sort_title == "Corrected title"
    assert item.date_text == "1945" and item.status == Item.PUBLISHED


def test_loading_a_fixture_keeps_its_datestamps(tmp_path):
    from django.core import serializers
    from django.core.management import call_command

    collection = CollectionFactory()
    item = ItemFactory()
    item.collections.add(collection)
    stamped = (timezone.now() - timedelta(days=400)).replace(microsecond=0)
    Item.objects.filter(pk=item.pk).update(modified=stamped)
    fixture = tmp_path / "catalogue.json"
    fixture.write_text(serializers.serialize("json", [collection, Item.objects.get(pk=item.pk)]))
    Item.objects.filter(pk=item.pk).update(modified=timezone.now())
    call_command("loaddata", str(fixture), verbosity=0)
    assert datestamp(item) == stamped
