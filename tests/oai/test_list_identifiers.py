import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from catalog.models import Item, Tombstone
from catalog.oai import records, verbs
from tests.factories import CollectionFactory
from tests.oai.support import at, errors, harvest, identifiers, oai_id, request, xpath

pytestmark = pytest.mark.django_db


def listed(client, **params):
    root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
    return [] if errors(root) else identifiers(root)


def test_headers_carry_identifier_datestamp_and_sets(client, published):
    collection = CollectionFactory(identifier="kirkenes")
    item = published(datestamp=at("2024-05-31T12:34:56.789000Z"), dcmi_type="Text")
    item.collections.add(collection)
    Item.objects.filter(pk=item.pk).update(modified=at("2024-05-31T12:34:56.789000Z"))
    root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(root) == [oai_id(item.identifier)]
    assert xpath(root, "//oai:header/oai:datestamp/text()") == ["2024-05-31T12:34:56Z"]
    assert xpath(root, "//oai:header/oai:setSpec/text()") == ["kirkenes", "type:Text"]
    assert not xpath(root, "//oai:metadata")


def test_deleted_items_are_headers_with_status_deleted_their_datestamp_and_sets(client, withdrawn):
    collection = CollectionFactory(identifier="kirkenes")
    item = withdrawn(dcmi_type="StillImage")
    collection.items.add(item)  # after the withdrawal: a hidden item's sets do not change its tombstone
    root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    header = xpath(root, "//oai:header")[0]
    assert header.get("status") == "deleted"
    assert xpath(header, "oai:datestamp/text()") == [item.tombstone.datestamp.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert xpath(header, "oai:setSpec/text()") == ["type:StillImage"]


def test_records_come_in_datestamp_order_published_and_deleted_merged(client, published, withdrawn):
    old = published(datestamp=at("2020-01-01T00:00:00Z"))
    gone = withdrawn()
    gone.tombstone.datestamp = at("2021-01-01T00:00:00Z")
    gone.tombstone.save()
    new = published(datestamp=at("2022-01-01T00:00:00Z"))
    assert listed(client) == [oai_id(old.identifier), oai_id(gone.identifier), oai_id(new.identifier)]


@pytest.fixture
def around_midnight(published, withdrawn):
    """Records a microsecond either side of the day 2024-05-31 and of the second 12:00:00."""
    stamps = {
        "a": "2024-05-30T23:59:59.999999Z",
        "b": "2024-05-31T00:00:00.000000Z",
        "c": "2024-05-31T12:00:00.400000Z",
        "d": "2024-05-31T23:59:59.999999Z",
        "e": "2024-06-01T00:00:00.000000Z",
    }
    for name, stamp in stamps.items():
        published(identifier=f"live-{name}", datestamp=at(stamp))
        gone = withdrawn(identifier=f"gone-{name}")
        gone.tombstone.datestamp = at(stamp)
        gone.tombstone.save()


def names(found):
    return sorted({identifier.rsplit("-", 1)[1] for identifier in found})


@pytest.mark.parametrize("params, expected", [
    ({"from": "2024-05-31"}, "bcde"),
    ({"until": "2024-05-31"}, "abcd"),
    ({"from": "2024-05-31", "until": "2024-05-31"}, "bcd"),
    ({"from": "2024-05-31T12:00:00Z"}, "cde"),
    ({"until": "2024-05-31T12:00:00Z"}, "abc"),
    ({"from": "2024-05-31T12:00:00Z", "until": "2024-05-31T12:00:00Z"}, "c"),
    ({"from": "2024-05-31T00:00:00Z", "until": "2024-05-31T11:59:59Z"}, "b"),
    ({"until": "2024-05-30T23:59:58Z"}, ""),
])
def test_from_and_until_are_inclusive_at_day_and_seconds_granularity(client, around_midnight, params, expected):
    found = listed(client, **params)
    assert names(found) == list(expected)
    assert len(found) == 2 * len(expected)  # the published and the deleted record of each


def test_a_set_includes_the_items_of_the_collections_below_it(client, published, withdrawn):
    fonds = CollectionFactory(identifier="archive")
    series = CollectionFactory(identifier="series", parent=fonds)
    other = CollectionFactory(identifier="other")
    in_fonds, in_series, elsewhere = published(), published(), published()
    in_fonds.collections.add(fonds)
    in_series.collections.add(series)
    elsewhere.collections.add(other)
    gone = published()
    gone.collections.add(series)
    from catalog import services

    services.item_withdraw(item=gone)
    assert set(listed(client, set="archive")) == {oai_id(i.identifier) for i in (in_fonds, in_series, gone)}
    assert set(listed(client, set="archive:series")) == {oai_id(i.identifier) for i in (in_series, gone)}
    assert set(listed(client, set="other")) == {oai_id(elsewhere.identifier)}


def test_an_item_in_two_collections_of_one_set_is_listed_once(client, published):
    fonds = CollectionFactory(identifier="archive")
    series = CollectionFactory(identifier="series", parent=fonds)
    item = published()
    item.collections.add(fonds, series)
    assert listed(client, set="archive") == [oai_id(item.identifier)]


def test_type_sets(client, published, withdrawn):
    photo, letter = published(dcmi_type="StillImage"), published(dcmi_type="Text")
    gone = withdrawn(dcmi_type="Text")
    assert set(listed(client, set="type:Text")) == {oai_id(letter.identifier), oai_id(gone.identifier)}
    assert set(listed(client, set="type")) == {oai_id(i.identifier) for i in (photo, letter, gone)}


def test_the_sets_arguments_are_kept_across_pages(client, settings, published):
    settings.ARKIV_OAI_PAGE_SIZE = 2
    texts = {oai_id(published(dcmi_type="Text").identifier) for _ in range(5)}
    for _ in range(5):
        published(dcmi_type="StillImage")
    pages = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set="type:Text")
    assert {i for root in pages for i in identifiers(root)} == texts
    assert len(pages) == 3


@pytest.mark.parametrize("size", [5, 50])
def test_a_page_costs_the_same_queries_whatever_its_size(client, settings, published, withdrawn, size):
    settings.ARKIV_OAI_PAGE_SIZE = size
    collection = CollectionFactory()
    for n in range(60):
        published().collections.add(collection)
    for n in range(5):
        withdrawn()
    first = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    following = xpath(first, "//oai:resumptionToken/text()")[0]
    # Its headers not stored yet (catalog/oai/cache/headers.py): the items, the tombstones, the
    # items' types and places, their collections, the units above them (their fonds sets), and
    # the savepoint, write and release that store the headers written.
    with CaptureQueriesContext(connection) as queries:
        cold = request(client, verb="ListIdentifiers", resumptionToken=following)
    assert len(queries) == 8, [query["sql"] for query in queries]
    # Stored: the items with their headers, and the tombstones.
    with CaptureQueriesContext(connection) as queries:
        warm = request(client, verb="ListIdentifiers", resumptionToken=following)
    assert len(queries) == 2, [query["sql"] for query in queries]
    assert etree.tostring(xpath(cold, "//oai:ListIdentifiers")[0]) == etree.tostring(xpath(warm, "//oai:ListIdentifiers")[0])


def test_records_sharing_one_datestamp_are_each_delivered_once_across_pages(client, settings, published, withdrawn):
    """Ties in datestamp, between the two tables, with identifiers that databases collate in
    different ways (case, punctuation): no record may be lost or repeated at a page boundary."""
    settings.ARKIV_OAI_PAGE_SIZE = 2
    moment = at("2024-05-31T12:00:00.000001Z")
    names = ["a-1", "A_2", "a.3", "B-4", "b_5", "c6", "C.7", "d-8"]
    expected = set()
    for n, name in enumerate(names):
        if n % 2:
            item = withdrawn(identifier=name)
            Tombstone.objects.filter(identifier=name).update(datestamp=moment)
        else:
            item = published(identifier=name, datestamp=moment)
        expected.add(oai_id(item.identifier))
    delivered = [i for root in harvest(client, "ListIdentifiers", metadataPrefix="oai_dc") for i in identifiers(root)]
    assert sorted(delivered) == sorted(expected)


@pytest.fixture
def fonds_with_a_deletion(published, withdrawn):
    """A fonds, a series in it and a fonds whose name differs only in case, each with an
    item, and an item of the series deleted: (expected identifiers of set "fonds-01")."""
    fonds = CollectionFactory(identifier="fonds-01")
    series = CollectionFactory(identifier="series-a", parent=fonds)
    shouting = CollectionFactory(identifier="FONDS-01")
    shouting_series = CollectionFactory(identifier="series-b", parent=shouting)
    in_fonds, in_series = published(), published()
    in_fonds.collections.add(fonds)
    in_series.collections.add(series)
    gone = withdrawn()
    gone.collections.add(series)
    Tombstone.objects.filter(identifier=gone.identifier).update(set_specs=Tombstone.pack_set_specs(["fonds-01:series-a"]))
    published().collections.add(shouting)
    published().collections.add(shouting_series)
    return {oai_id(i.identifier) for i in (in_fonds, in_series, gone)}


def test_a_set_name_matches_exactly_with_its_descendants_and_deletions(client, fonds_with_a_deletion):
    pages = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set="fonds-01")
    assert sorted(i for root in pages for i in identifiers(root)) == sorted(fonds_with_a_deletion)


@pytest.mark.parametrize("wrong", ["Fonds-01", "fonds-01:SERIES-A", "FONDS-01:series-a", "fonds-01:Series-A", "fonds-0"])
def test_a_set_name_in_the_wrong_case_matches_nothing(client, fonds_with_a_deletion, wrong):
    for verb in ("ListIdentifiers", "ListRecords"):
        root = request(client, verb=verb, metadataPrefix="oai_dc", set=wrong)
        assert errors(root) == ["noRecordsMatch"], (verb, wrong, identifiers(root))
        assert xpath(root, "//oai:error/text()") == [str(verbs.UNKNOWN_SET % {"set": wrong})]


def test_type_set_names_match_exactly(client, published, withdrawn):
    letter, gone = published(dcmi_type="Text"), withdrawn(dcmi_type="Text")
    assert sorted(listed(client, set="type:Text")) == sorted(oai_id(i.identifier) for i in (letter, gone))
    for wrong in ("type:text", "TYPE:Text", "Type", "type:TEXT"):
        root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=wrong)
        assert errors(root) == ["noRecordsMatch"], (wrong, identifiers(root))


def test_a_known_set_without_records_says_so_rather_than_that_it_is_unknown(client, published):
    CollectionFactory(identifier="empty")
    published(dcmi_type="Text")
    for spec in ("empty", "type:Sound"):
        root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        assert errors(root) == ["noRecordsMatch"]
        assert xpath(root, "//oai:error/text()") == [str(verbs.NO_RECORDS)]


def test_a_deleted_collections_set_still_reports_its_deletions(client, withdrawn):
    """A harvester of a set that is gone must still learn that its records were deleted."""
    gone = withdrawn()
    Tombstone.objects.filter(identifier=gone.identifier).update(set_specs=Tombstone.pack_set_specs(["old:part"]))
    assert listed(client, set="old") == [oai_id(gone.identifier)]
    assert listed(client, set="Old") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's LIKE ignores case; PostgreSQL's uses its _like index")
def test_descendant_sets_are_found_through_the_set_spec_index_on_sqlite():
    query = records.collections_in_set("fonds-01").values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING" in plan and "INDEX" in plan and "SCAN" not in plan, plan
