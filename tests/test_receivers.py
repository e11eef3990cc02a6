"""Datestamps of records whose relations name an item that appears to harvesters or leaves them
(catalog/receivers.py): the other record's address comes into their output or goes from it."""
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services
from catalog.models import Item, Statement
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def aged(item):
    past = timezone.now() - timedelta(days=30)
    Item.objects.filter(pk=item.pk).update(modified=past)
    return past


@pytest.fixture
def pair():
    note = ItemFactory(identifier="note", title="Note", status=Item.PUBLISHED)
    article = ItemFactory(identifier="article", title="Article", status=Item.PUBLISHED)
    Statement.objects.create(item=article, term="references", value="The note", target=note)
    return note, article


def test_withdrawing_a_cited_item_moves_the_citing_records_datestamp(pair):
    note, article = pair
    past = aged(article)
    services.item_withdraw(item=note)
    assert Item.objects.get(pk=article.pk).modified > past


def test_publishing_a_cited_draft_moves_it_too(pair):
    note, article = pair
    services.item_withdraw(item=note)
    past = aged(article)
    services.item_publish(item=Item.objects.get(pk=note.pk))
    assert Item.objects.get(pk=article.pk).modified > past


def test_an_edit_that_leaves_it_public_does_not(pair):
    note, article = pair
    past = aged(article)
    note.refresh_from_db()
    note.full_text = "Transcription"
    note.save()
    assert Item.objects.get(pk=article.pk).modified == past


def test_deleting_a_public_cited_item_moves_the_citing_records_datestamp(pair):
    note, article = pair
    past = aged(article)
    Item.objects.get(pk=note.pk).delete()
    assert Item.objects.get(pk=article.pk).modified > past


def test_a_draft_unit_above_a_cited_item_moves_the_citing_records_datestamp(pair):
    from catalog.models import Level

    note, article = pair
    series = ItemFactory(identifier="series", title="Series", status=Item.PUBLISHED, level=Level.objects.get(code="series"))
    note.refresh_from_db()
    note.parent = series
    note.save()
    past = aged(article)
    series.refresh_from_db()
    series.status = Item.DRAFT
    series.save()
    assert Item.objects.get(pk=article.pk).modified > past


def test_a_csv_import_that_withdraws_a_cited_item_moves_the_citing_records_datestamp(pair, tmp_path, settings):
    import io

    from catalog.imports.csv import PlanStore, import_csv

    settings.ARKIV_IMPORT_DIR = tmp_path
    note, article = pair
    past = aged(article)
    store = PlanStore(tmp_path / "plan.sqlite3")
    result = import_csv(io.BytesIO(b"identifier,status\nnote,withdrawn\n"), store=store, apply=True)
    store.close()
    assert result.applied
    assert Item.objects.get(pk=article.pk).modified > past
