"""Rights statements in the admin: a select of the controlled list on the item and on each
digital file, and the item list filtered by it."""
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from catalog import rights
from catalog.models import Item
from tests.admin.conftest import form_data, jpeg_upload, management
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_item_changelist")
CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
BY = "http://creativecommons.org/licenses/by/4.0/"


def change_url(item):
    return reverse("admin:catalog_item_change", args=[item.pk])


def test_the_item_form_offers_the_list_as_a_select(staff_client):
    response = staff_client.get(change_url(ItemFactory()))
    field = response.context["adminform"].form.fields["rights_uri"]
    assert field.widget.input_type == "select"
    choices = [(value, str(label)) for value, label in field.choices]
    # "---------" (none yet), then the twenty statements in the list's order
    assert [value for value, _label in choices] == ["", *[statement.uri for statement in rights.STATEMENTS]]
    assert (BY, "Creative Commons Attribution 4.0 International") in choices


def test_the_item_form_stores_the_uri_chosen(staff_client):
    item = ItemFactory()
    data = form_data(staff_client.get(change_url(item)))
    data["rights_uri"] = CNE

    response = staff_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.rights_uri == CNE


def test_a_uri_outside_the_list_is_refused_and_nothing_changes(staff_client):
    item = ItemFactory(rights_uri=CNE)
    data = form_data(staff_client.get(change_url(item)))
    data["rights_uri"] = "http://example.org/my-own-licence/"

    response = staff_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.OK
    assert "rights_uri" in response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.rights_uri == CNE


def test_a_file_takes_its_own_rights_on_upload_and_later(staff_client):
    item = ItemFactory(rights_uri=CNE)
    data = form_data(staff_client.get(change_url(item)))
    data.update(management("files", 1, 0))
    data["files-0-file"] = jpeg_upload("scan.jpg")
    data["files-0-rights_uri"] = BY

    assert staff_client.post(change_url(item), data).status_code == HTTPStatus.FOUND
    digital_file = item.files.get()
    assert (digital_file.rights_uri, digital_file.effective_rights_uri) == (BY, BY)

    data = form_data(staff_client.get(change_url(item)))
    data["files-0-rights_uri"] = ""
    assert staff_client.post(change_url(item), data).status_code == HTTPStatus.FOUND
    digital_file.refresh_from_db()
    assert (digital_file.rights_uri, digital_file.effective_rights_uri) == ("", CNE)


def test_the_list_filters_by_statement_and_by_none(staff_client):
    ItemFactory(identifier="note", rights_uri=CNE)
    ItemFactory(identifier="photo", rights_uri=BY)
    ItemFactory(identifier="unsorted")

    def listed(query):
        response = staff_client.get(CHANGELIST, query)
        return sorted(item.identifier for item in response.context["cl"].result_list)

    assert listed({"rights": CNE}) == ["note"]
    assert listed({"rights": "none"}) == ["unsorted"]
    assert listed({}) == ["note", "photo", "unsorted"]
    # an address made up by hand lists nothing rather than failing
    assert staff_client.get(CHANGELIST, {"rights": "http://example.org/"}).status_code == HTTPStatus.FOUND


def test_the_field_is_named_and_explained_in_norwegian(db):
    with translation.override("nb"):
        field = Item._meta.get_field("rights_uri")
        assert str(field.verbose_name) == "rettighetserklæring"
        assert "Creative Commons" in str(field.help_text) and "adressen" in str(field.help_text)
        assert str(dict(field.choices)[CNE]) == "Opphavsrett ikke vurdert"
