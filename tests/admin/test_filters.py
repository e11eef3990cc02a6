from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.admin.conftest import form_data, jpeg_upload, management
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_item_changelist")


def listed(client, query):
    return [item.identifier for item in client.get(CHANGELIST, query).context["cl"].result_list]


def test_decade_filter_offers_the_decades_present(staff_client):
    StatementFactory(item=ItemFactory(), term="created", value="1944-10-25")
    StatementFactory(item=ItemFactory(), term="created", value="1905")

    page = staff_client.get(CHANGELIST).content.decode()

    assert "1900s" in page and "1940s" in page
    assert "1910s" not in page


def test_decade_filter_uses_the_earliest_date_of_a_range(staff_client):
    StatementFactory(item=ItemFactory(identifier="span"), term="created", value="1939/1941")
    StatementFactory(item=ItemFactory(identifier="forties"), term="created", value="1944")

    assert listed(staff_client, {"decade": "1930"}) == ["span"]
    assert listed(staff_client, {"decade": "1940"}) == ["forties"]


def test_decade_filter_collects_undated_and_unreadable_dates(staff_client):
    ItemFactory(identifier="undated")
    StatementFactory(item=ItemFactory(identifier="unreadable"), term="created", value="the day the bridge opened")
    StatementFactory(item=ItemFactory(identifier="dated"), term="created", value="1945")

    assert sorted(listed(staff_client, {"decade": "none"})) == ["undated", "unreadable"]  # newest first


def test_has_file_filter(staff_client):
    with_file = ItemFactory(identifier="with-file")
    ItemFactory(identifier="without-file")
    change = reverse("admin:catalog_item_change", args=[with_file.pk])
    staff_client.post(change, {**form_data(staff_client.get(change)), **management("files", 1), "files-0-file": jpeg_upload()})

    assert listed(staff_client, {"has_file": "yes"}) == ["with-file"]
    assert listed(staff_client, {"has_file": "no"}) == ["without-file"]


def test_collection_filter(staff_client):
    collection = CollectionFactory()
    ItemFactory(identifier="in-collection").collections.add(collection)
    ItemFactory(identifier="elsewhere")

    assert listed(staff_client, {"collections__id__exact": collection.pk}) == ["in-collection"]


def test_authority_filter_lists_each_linked_item_once_and_names_the_record(staff_client):
    authority = AuthorityFactory(preferred_label="Igor Diakonoff")
    linked = ItemFactory(identifier="linked")
    StatementFactory(item=linked, term="creator", value="x", authority=authority)
    StatementFactory(item=linked, term="contributor", value="y", authority=authority)
    ItemFactory(identifier="unlinked")

    response = staff_client.get(CHANGELIST, {"authority": authority.pk})

    assert [item.identifier for item in response.context["cl"].result_list] == ["linked"]
    assert "Igor Diakonoff" in response.content.decode()


def test_authority_filter_is_not_offered_unless_applied(staff_client):
    AuthorityFactory(preferred_label="Igor Diakonoff")

    assert "Igor Diakonoff" not in staff_client.get(CHANGELIST).content.decode()


@pytest.mark.parametrize("query", [{"decade": "forties"}, {"authority": "diakonoff"}])
def test_a_malformed_filter_value_does_not_break_the_list(staff_client, query):
    response = staff_client.get(CHANGELIST, query)

    assert response.status_code == HTTPStatus.FOUND
    assert "e=1" in response["Location"]


def test_authority_filter_for_a_record_that_no_longer_exists_lists_nothing(staff_client):
    ItemFactory()

    response = staff_client.get(CHANGELIST, {"authority": 999999})

    assert list(response.context["cl"].result_list) == []
    assert "record 999999 (not found)" in response.content.decode()


def test_decades_before_the_year_1000_are_read_right(staff_client):
    StatementFactory(item=ItemFactory(identifier="saga"), term="created", value="0945")
    StatementFactory(item=ItemFactory(identifier="modern"), term="created", value="1945")

    page = staff_client.get(CHANGELIST).content.decode()

    assert "940s" in page and "1940s" in page
    assert listed(staff_client, {"decade": "940"}) == ["saga"]
