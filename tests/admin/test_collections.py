from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.models import Collection
from tests.admin.conftest import form_data
from tests.factories import CollectionFactory, ItemFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_collection_changelist")


def test_changelist_shows_set_specs_and_item_counts(staff_client):
    fonds = CollectionFactory(identifier="eastern-finnmark", title="Eastern Finnmark 1944-1945")
    photographs = CollectionFactory(identifier="photographs", title="Photographs", parent=fonds)
    for _ in range(3):
        ItemFactory().collections.add(photographs)

    response = staff_client.get(CHANGELIST)

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "eastern-finnmark:photographs" in page
    assert f'href="/admin/catalog/item/?collections__id__exact={photographs.pk}">3 items</a>' in page
    assert f'href="/admin/catalog/item/?collections__id__exact={fonds.pk}">0 items</a>' in page


def test_search_by_title_or_identifier(staff_client):
    wanted = CollectionFactory(identifier="liberation", title="Liberation of Kirkenes")
    CollectionFactory(identifier="withdrawal", title="Withdrawal of 1945")

    for query in ("kirkenes", "liberation"):
        assert list(staff_client.get(CHANGELIST, {"q": query}).context["cl"].result_list) == [wanted]


def test_add_a_collection_inside_another(staff_client):
    fonds = CollectionFactory(identifier="eastern-finnmark")

    response = staff_client.post(reverse("admin:catalog_collection_add"), {
        "title": "Documents", "identifier": "documents", "parent": fonds.pk, "position": "0",
    })

    assert response.status_code == HTTPStatus.FOUND
    assert Collection.objects.get(identifier="documents").set_spec == "eastern-finnmark:documents"


def test_the_reserved_type_code_is_refused_with_the_fix(staff_client):
    response = staff_client.post(reverse("admin:catalog_collection_add"), {
        "title": "Types", "identifier": "type", "position": "0",
    })

    assert "names sets of OAI-PMH" in response.content.decode()


def test_moving_a_collection_renames_its_set_and_its_children(staff_client):
    fonds = CollectionFactory(identifier="fonds")
    series = CollectionFactory(identifier="series")
    child = CollectionFactory(identifier="child", parent=series)
    change = reverse("admin:catalog_collection_change", args=[series.pk])
    data = form_data(staff_client.get(change))
    data["parent"] = fonds.pk

    response = staff_client.post(change, data)

    assert response.status_code == HTTPStatus.FOUND
    child.refresh_from_db()
    assert child.set_spec == "fonds:series:child"
