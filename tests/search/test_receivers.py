import io
import json

import pytest
from django.core.management import call_command

from catalog.models import Authority, Item, SearchEntry
from catalog.search import search_items
from catalog.services import authority_merge
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory, VariantFactory

pytestmark = pytest.mark.django_db


def finds(query):
    return sorted(search_items(Item.objects.all(), query + " ").values_list("identifier", flat=True))


@pytest.fixture
def linked():
    """An item whose statement is linked to the place Pechenga."""
    pechenga = AuthorityFactory(kind=Authority.PLACE, preferred_label="Pechenga")
    item = ItemFactory(identifier="march", title="Victory march")
    StatementFactory(item=item, term="spatial", value="", authority=pechenga)
    return pechenga


def test_a_new_item_is_found_at_once():
    ItemFactory(identifier="bridge", title="Bridge over the Jakobselv")
    assert finds("jakobselv") == ["bridge"]


def test_an_edited_statement_is_found_by_its_new_words_only():
    statement = StatementFactory(item=ItemFactory(identifier="photo"), value="Soldiers at Kirkenes")
    statement.value = "Soldiers at Vardø"
    statement.save()
    assert finds("vardø") == ["photo"]
    assert finds("kirkenes") == []


def test_a_deleted_statement_is_no_longer_found():
    statement = StatementFactory(item=ItemFactory(identifier="photo"), value="Kirkenes")
    statement.delete()
    assert finds("kirkenes") == []


def test_a_changed_full_text_is_found():
    item = ItemFactory(identifier="note")
    item.full_text = "No material compensation was claimed."
    item.save()
    assert finds("compensation") == ["note"]


def test_saving_named_fields_reindexes_only_if_the_full_text_is_one_of_them():
    item = ItemFactory(identifier="note")
    Item.objects.filter(pk=item.pk).update(full_text="compensation")  # no signal: not indexed
    item.refresh_from_db()
    item.save(update_fields=["status"])
    assert finds("compensation") == []
    item.save(update_fields=["full_text"])
    assert finds("compensation") == ["note"]


def test_a_renamed_record_is_found_by_its_new_name(linked):
    linked.preferred_label = "Petsamo"
    linked.save()
    assert finds("petsamo") == ["march"]
    assert finds("pechenga") == []


def test_an_added_variant_is_found_and_a_removed_one_is_not(linked):
    variant = VariantFactory(authority=linked, label="Petsamo")
    assert finds("petsamo") == ["march"]
    variant.delete()
    assert finds("petsamo") == []


def test_a_deleted_record_takes_its_names_out_of_the_index(linked):
    linked.delete()
    assert finds("pechenga") == []


def test_merged_records_are_found_by_either_name(linked):
    petsamo = AuthorityFactory(kind=Authority.PLACE, preferred_label="Petsamo")
    ItemFactory(identifier="offensive", title="Offensive").statements.create(
        term="spatial", value="", authority=petsamo
    )
    authority_merge(source=petsamo, target=linked)
    assert finds("petsamo") == ["march", "offensive"]
    assert finds("pechenga") == ["march", "offensive"]


def test_a_deleted_item_leaves_no_row():
    item = ItemFactory(identifier="gone", title="Kirkenes")
    StatementFactory(item=item, value="Kirkenes harbour")
    item.delete()
    assert not SearchEntry.objects.filter(pk=item.pk).exists()
    assert finds("kirkenes") == []


def test_fixture_loads_are_indexed_by_refresh_catalog(tmp_path):
    fixture = tmp_path / "catalogue.json"
    fixture.write_text(json.dumps([
        {"model": "catalog.item", "pk": 900, "fields": {
            "identifier": "loaded", "dcmi_type": "Text", "status": "published",
            "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z"}},
        {"model": "catalog.statement", "pk": 900, "fields": {
            "item": 900, "term": "title", "value": "Liberation of Kirkenes"}},
    ]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert finds("liberation") == []
    call_command("refresh_catalog", stdout=io.StringIO())
    assert finds("liberation") == ["loaded"]


def test_migrating_a_catalogue_without_an_index_builds_it():
    from django.core.management.sql import emit_post_migrate_signal

    ItemFactory(identifier="old", title="Kirkenes before the index")
    SearchEntry.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert finds("kirkenes") == ["old"]
