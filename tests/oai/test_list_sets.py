import pytest

from catalog import dublincore
from tests.factories import CollectionFactory
from tests.oai.support import errors, harvest, request, token, xpath

pytestmark = pytest.mark.django_db

TYPE_SPECS = ["type", *(f"type:{name}" for name in dublincore.DCMI_TYPES)]
FIXED_SPECS = [*TYPE_SPECS, "fonds"]  # the branch of the arrangements is listed even while empty


def specs(*pages):
    return [spec for root in pages for spec in xpath(root, "//oai:set/oai:setSpec/text()")]


def test_one_set_per_collection_nested_ones_as_parent_child(client):
    fonds = CollectionFactory(identifier="finnmark-1944", title="Finnmark 1944")
    CollectionFactory(identifier="photographs", title="Photographs", parent=fonds)
    root = request(client, verb="ListSets")
    assert specs(root) == ["finnmark-1944", "finnmark-1944:photographs", *FIXED_SPECS]
    assert xpath(root, "//oai:set[oai:setSpec='finnmark-1944:photographs']/oai:setName/text()") == ["Photographs"]


def test_every_dcmi_type_is_a_set_under_type(client):
    root = request(client, verb="ListSets")
    assert specs(root) == FIXED_SPECS
    assert xpath(root, "//oai:set[oai:setSpec='type:StillImage']/oai:setName/text()") == ["DCMI type: StillImage"]


def test_a_collection_description_is_an_oai_dc_set_description(client):
    CollectionFactory(identifier="kirkenes", description="Photographs of Kirkenes after the liberation.")
    root = request(client, verb="ListSets")
    assert xpath(root, "//oai:set[oai:setSpec='kirkenes']/oai:setDescription/oai_dc:dc/dc:description/text()") == [
        "Photographs of Kirkenes after the liberation."
    ]


def test_list_sets_paginates_when_large(client, settings):
    settings.ARKIV_OAI_PAGE_SIZE = 4
    for n in range(10):
        CollectionFactory(identifier=f"series-{n:02d}")
    pages = harvest(client, verb="ListSets")
    assert specs(*pages) == [f"series-{n:02d}" for n in range(10)] + FIXED_SPECS
    assert len(pages) == 6  # 24 sets, 4 a page
    sizes = {token(root).get("completeListSize") for root in pages}
    assert sizes == {"24"}
    assert [token(root).get("cursor") for root in pages] == ["0", "4", "8", "12", "16", "20"]
    assert token(pages[-1]).text is None


def test_a_list_of_sets_that_fits_one_page_has_no_token(client):
    assert token(request(client, verb="ListSets")) is None


def test_list_sets_token_is_checked(client):
    assert errors(request(client, verb="ListSets", resumptionToken="forged")) == ["badResumptionToken"]
