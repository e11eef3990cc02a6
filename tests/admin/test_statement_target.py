"""The related item of a statement in the admin: found by the item autocomplete, accepted on a
relation term only, never the item itself, and offered by statement-target.js on relation terms."""
from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from catalog import relations
from catalog.models import Item, Statement
from tests.admin.conftest import management
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:catalog_item_add")


def new_item(term, target, **extra):
    return {
        "identifier": "barentsobserver-2015", "dcmi_type": "Text", "status": "draft",
        **management("statements", 2), **management("files", 0),
        "statements-0-position": "1", "statements-0-term": "title", "statements-0-value": "70 years since",
        "statements-1-position": "2", "statements-1-term": term, "statements-1-target": target.pk,
        **extra,
    }


@pytest.fixture
def note():
    return ItemFactory(identifier="finnmark-1945-note-0924", title="Note on the Soviet forces in Eastern Finnmark", dcmi_type="Text")


def test_the_item_autocomplete_finds_the_item_to_relate(staff_client, note):
    ItemFactory(identifier="other", title="Bridge over the Jakobselv")
    found = staff_client.get(reverse("admin:autocomplete"), {
        "term": "soviet forces", "app_label": "catalog", "model_name": "statement", "field_name": "target",
    }).json()
    assert found["results"] == [{"id": str(note.pk), "text": "finnmark-1945-note-0924: Note on the Soviet forces in Eastern Finnmark"}]


def test_a_relation_saved_in_the_admin_links_the_item_and_takes_its_title(staff_client, note):
    response = staff_client.post(ADD, new_item("references", note))
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["errors"]
    statement = Statement.objects.get(item__identifier="barentsobserver-2015", term="references")
    assert (statement.target, statement.value) == (note, "Note on the Soviet forces in Eastern Finnmark")


def test_a_related_item_on_a_term_that_relates_nothing_is_refused(staff_client, note):
    response = staff_client.post(ADD, new_item("description", note, **{"statements-1-value": "A note"}))
    assert response.status_code == HTTPStatus.OK
    assert "dc:description does not relate records: remove the linked item, or choose a relation term" in response.content.decode()
    assert not Item.objects.filter(identifier="barentsobserver-2015").exists()


def test_an_item_cannot_be_related_to_itself(staff_client, note):
    change = reverse("admin:catalog_item_change", args=[note.pk])
    response = staff_client.get(change)
    data = {
        "identifier": note.identifier, "dcmi_type": "Text", "status": "draft",
        **management("statements", 2, initial=1), **management("files", 0),
        "statements-0-id": note.statements.get().pk, "statements-0-item": note.pk,
        "statements-0-position": "1", "statements-0-term": "title", "statements-0-value": note.title,
        "statements-1-item": note.pk, "statements-1-position": "2", "statements-1-term": "relation",
        "statements-1-target": note.pk,
    }
    assert response.status_code == HTTPStatus.OK
    response = staff_client.post(change, data)
    assert response.status_code == HTTPStatus.OK
    assert "An item cannot be related to itself" in response.content.decode()
    assert not Statement.objects.filter(target=note).exists()


def test_the_form_tells_the_script_which_terms_relate_items(staff_client):
    page = staff_client.get(ADD).content.decode()
    assert 'data-relation-terms="' + " ".join(relations.RELATION_TERMS) + '"' in page
    assert "catalog/statement-target.js" in page
    assert finders.find("catalog/statement-target.js")
