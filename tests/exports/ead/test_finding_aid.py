"""The finding aid's download (catalog/site/finding_aid.py): streamed, the same document as the
export, for published units only."""
from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.exports.ead import validation
from catalog.models import Item

pytestmark = pytest.mark.django_db


def address(identifier, format_name):
    return reverse("catalog:finding_aid", kwargs={"identifier": identifier, "format": format_name})


@pytest.mark.parametrize("format_name, schema_file", [("ead3", "ead3.xsd"), ("apeead", "apeEAD.xsd")])
def test_a_published_fonds_is_downloaded_as_a_valid_finding_aid(client, fonds, format_name, schema_file):
    response = client.get(address("kf", format_name))
    assert response.status_code == HTTPStatus.OK
    assert response.streaming
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == f'attachment; filename="kf.{format_name}.xml"'
    assert validation.errors(b"".join(response.streaming_content), schema_file) == []


def test_the_download_links_to_the_site_it_came_from(client, fonds):
    body = b"".join(client.get(address("kf", "ead3")).streaming_content)
    assert b'instanceurl="http://testserver/items/kf/"' in body


def test_the_address_is_the_one_the_unit_page_offers(client, fonds):
    page = client.get(reverse("catalog:item", args=["kf"])).content.decode()
    assert address("kf", "ead3") in page and address("kf", "apeead") in page


@pytest.mark.parametrize("identifier", ["kf-b", "kf-b-1", "nowhere"])
def test_what_the_public_may_not_read_is_not_found(admin_client, fonds, identifier):
    # Staff too: a finding aid is what the public may read.
    assert admin_client.get(address(identifier, "ead3")).status_code == HTTPStatus.NOT_FOUND


def test_an_unknown_format_is_not_found(client, fonds):
    assert client.get(address("kf", "ead2002")).status_code == HTTPStatus.NOT_FOUND


def test_apeead_is_not_found_where_the_codes_do_not_fit_the_profile(client, fonds, settings):
    settings.ARKIV_REPOSITORY_CODE = "A REPOSITORY"
    assert client.get(address("kf", "apeead")).status_code == HTTPStatus.NOT_FOUND
    assert client.get(address("kf", "ead3")).status_code == HTTPStatus.OK


def test_the_download_reads_in_a_fixed_number_of_queries_per_batch(client, fonds, django_assert_max_num_queries):
    Item.objects.filter(identifier="kf-c").update(status=Item.DRAFT)
    with django_assert_max_num_queries(40):
        b"".join(client.get(address("kf", "ead3")).streaming_content)
