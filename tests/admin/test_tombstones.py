from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.models import Tombstone
from catalog.services import item_withdraw
from tests.factories import CollectionFactory, ItemFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_tombstone_changelist")


def withdrawn_and_deleted():
    withdrawn = ItemFactory(identifier="kirkenes-1944-001", status="published")
    withdrawn.collections.add(CollectionFactory(identifier="photographs"))
    item_withdraw(item=withdrawn)
    deleted = ItemFactory(identifier="kirkenes-1944-002", status="published")
    deleted.delete()
    return withdrawn


def test_list_shows_what_harvesters_are_told_was_deleted(staff_client):
    withdrawn = withdrawn_and_deleted()

    response = staff_client.get(CHANGELIST)

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "photographs" in page and "type:StillImage" in page
    assert f'href="/admin/catalog/item/{withdrawn.pk}/change/">kirkenes-1944-001 (withdrawn)</a>' in page
    assert "kirkenes-1944-002" in page and "deleted" in page


def test_search_by_identifier(staff_client):
    withdrawn_and_deleted()

    result = staff_client.get(CHANGELIST, {"q": "1944-002"}).context["cl"].result_list

    assert [tombstone.identifier for tombstone in result] == ["kirkenes-1944-002"]


def test_tombstones_are_read_only_for_everyone(staff_client, admin_client):
    withdrawn_and_deleted()
    tombstone = Tombstone.objects.get(identifier="kirkenes-1944-002")
    change = reverse("admin:catalog_tombstone_change", args=[tombstone.pk])

    for client in (staff_client, admin_client):
        assert client.get(reverse("admin:catalog_tombstone_add")).status_code == HTTPStatus.FORBIDDEN
        view = client.get(change)
        assert view.status_code == HTTPStatus.OK and 'name="_save"' not in view.content.decode()
        assert client.post(change, {"identifier": "changed"}).status_code == HTTPStatus.FORBIDDEN
        deleting = reverse("admin:catalog_tombstone_delete", args=[tombstone.pk])
        assert client.post(deleting, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Tombstone.objects.get(pk=tombstone.pk).identifier == "kirkenes-1944-002"
