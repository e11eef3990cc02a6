"""Units of description as OAI records: their level, their place (the parent they are part of,
their reference code), the sets of arrangements, and what a harvester sees of a move."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from sickle import Sickle

from catalog import arrangement
from catalog.models import Item, Level, Tombstone
from catalog.oai import verbs
from catalog.oai.markup import datestamp
from tests.factories import ItemFactory
from tests.oai.support import NAMESPACES, errors, harvest, identifiers, oai_id, request, token, xpath

pytestmark = pytest.mark.django_db

XSI_TYPE = f"{{{NAMESPACES['xsi']}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def unit(identifier, *, parent=None, level="item", code="", status=Item.PUBLISHED, dcmi_type="Collection", title=None):
    made = ItemFactory(identifier=identifier, status=status, dcmi_type=dcmi_type, title=title)
    made.parent, made.level, made.local_code = parent, Level.objects.get(code=level), code
    made.save()
    return made


def fresh(item):
    return Item.objects.get(pk=item.pk)


@pytest.fixture(autouse=True)
def _codes(settings):
    settings.ARKIV_COUNTRY_CODE, settings.ARKIV_REPOSITORY_CODE = "NO", "ARKIV"


@pytest.fixture
def tree():
    """Fonds KF with series A (file 1 holding a note) and series B; another fonds with one
    series; and an item in no arrangement."""
    fonds = unit("kf", level="fonds", code="KF", title="Kirkenes Forum papers")
    series_a = unit("kf-a", parent=fonds, level="series", code="A")
    series_b = unit("kf-b", parent=fonds, level="series", code="B")
    file_1 = unit("kf-a-1", parent=series_a, level="file", code="1")
    note = unit("note-0924", parent=file_1, code="7", dcmi_type="Text", title="Note of 24 September 1945")
    other = unit("press", level="collection", code="PR", title="Press cuttings")
    clippings = unit("press-1945", parent=other, level="series", code="1945")
    loose = unit("loose-photo", dcmi_type="StillImage")
    return {
        "fonds": fonds, "a": series_a, "b": series_b, "file": file_1, "note": note,
        "other": other, "clippings": clippings, "loose": loose,
    }


def ids(*units):
    return {oai_id(item.identifier) for item in units}


def listed(client, **params):
    pages = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", **params)
    return [identifier for root in pages for identifier in identifiers(root)]


def page_url(identifier):
    return "http://testserver" + reverse("catalog:item", kwargs={"identifier": identifier})


def get(client, item, prefix):
    root = request(client, verb="GetRecord", metadataPrefix=prefix, identifier=oai_id(item.identifier))
    return xpath(root, "//oai:metadata/*")[0], root


def test_qdc_gives_the_level_the_parent_and_the_reference_code(client, tree):
    record, _root = get(client, tree["note"], "qdc")  # request() validated it against DCMI's schemas
    types = [(element.text, element.get(XSI_TYPE), element.get(XML_LANG)) for element in xpath(record, "dc:type")]
    assert types == [("Text", "dcterms:DCMIType", None), ("Item", None, "en")]
    part_of = [(element.text, element.get(XSI_TYPE)) for element in xpath(record, "dcterms:isPartOf")]
    assert part_of == [(oai_id("kf-a-1"), "dcterms:URI"), (page_url("kf-a-1"), "dcterms:URI")]
    assert xpath(record, "dc:identifier/text()") == [page_url("note-0924"), "note-0924", "NO ARKIV KF/A/1/7"]
    assert fresh(tree["note"]).reference_code == "NO ARKIV KF/A/1/7"  # the model composes the same


def test_a_unit_at_the_top_is_part_of_nothing_and_gives_its_level(client, tree):
    record, root = get(client, tree["fonds"], "qdc")
    assert xpath(record, "dc:type[@xml:lang='en']/text()") == ["Fonds"]
    assert xpath(record, "dcterms:isPartOf") == []
    assert "NO ARKIV KF" in xpath(record, "dc:identifier/text()")
    assert xpath(root, "//oai:header/oai:setSpec/text()") == ["fonds:kf", "type:Collection"]


def test_oai_dc_names_the_parent_as_relations_and_gives_the_reference_code(client, tree):
    record, root = get(client, tree["file"], "oai_dc")  # valid against oai_dc.xsd
    assert xpath(record, "dc:relation/text()") == [oai_id("kf-a"), page_url("kf-a")]
    assert "NO ARKIV KF/A/1" in xpath(record, "dc:identifier/text()")
    assert xpath(record, "dc:type/text()") == ["Collection"]  # the level is qdc's alone
    assert xpath(root, "//oai:header/oai:setSpec/text()") == ["fonds:kf", "type:Collection"]


def test_the_cataloguers_own_part_of_follows_the_arrangements(client, tree):
    from catalog.models import Statement

    Statement.objects.create(item=tree["note"], term="isPartOf", value="Sør-Varanger Museum papers")
    Statement.objects.create(item=tree["note"], term="isPartOf", value=oai_id("kf-a-1"))  # said twice: written once
    record, _root = get(client, tree["note"], "qdc")
    assert xpath(record, "dcterms:isPartOf/text()") == [oai_id("kf-a-1"), page_url("kf-a-1"), "Sør-Varanger Museum papers"]


def test_an_item_in_no_arrangement_is_in_no_fonds_set_and_part_of_nothing(client, tree):
    record, root = get(client, tree["loose"], "qdc")
    assert xpath(root, "//oai:header/oai:setSpec/text()") == ["type:StillImage"]
    assert xpath(record, "dcterms:isPartOf") == []
    assert "NO ARKIV loose-photo" in xpath(record, "dc:identifier/text()")


def test_list_sets_gives_each_arrangement_under_fonds(client, tree):
    unit("lone-fonds", level="fonds")  # nothing below it: no arrangement yet
    hidden = unit("hidden", level="fonds", status=Item.DRAFT)
    unit("hidden-1", parent=hidden)
    root = request(client, verb="ListSets")
    found = xpath(root, "//oai:set/oai:setSpec/text()")
    assert found[-3:] == ["fonds", "fonds:kf", "fonds:press"]
    assert xpath(root, "//oai:set[oai:setSpec='fonds:kf']/oai:setName/text()") == ["Kirkenes Forum papers"]
    assert xpath(root, "//oai:set[oai:setSpec='fonds:press']/oai:setDescription//dc:description/text()") == [
        "NO ARKIV PR: the collection and every unit arranged below it."
    ]


def test_list_sets_pages_through_the_arrangements(client, settings):
    settings.ARKIV_OAI_PAGE_SIZE = 5
    for n in range(7):
        unit(f"fonds-{n}-item", parent=unit(f"fonds-{n}", level="fonds"))
    pages = harvest(client, verb="ListSets")
    found = [spec for root in pages for spec in xpath(root, "//oai:set/oai:setSpec/text()")]
    assert found[13:] == ["fonds", *(f"fonds:fonds-{n}" for n in range(7))]
    assert len(found) == len(set(found)) == 21
    assert {token(root).get("completeListSize") for root in pages} == {"21"}


def test_a_fonds_set_is_the_top_unit_and_everything_below_it(client, tree):
    assert sorted(listed(client, set="fonds:kf")) == sorted(ids(tree["fonds"], tree["a"], tree["b"], tree["file"], tree["note"]))
    assert sorted(listed(client, set="fonds:press")) == sorted(ids(tree["other"], tree["clippings"]))
    everything = set(listed(client, set="fonds"))
    assert everything == ids(*(item for key, item in tree.items() if key != "loose"))


@pytest.mark.parametrize("spec", ["fonds:nothing", "fonds:kf-a", "fonds:KF", "fonds:lone-fonds"])
def test_a_fonds_set_that_is_not_listed_matches_nothing(client, tree, spec):
    unit("lone-fonds", level="fonds")
    for verb in ("ListIdentifiers", "ListRecords"):
        root = request(client, verb=verb, metadataPrefix="oai_dc", set=spec)
        assert errors(root) == ["noRecordsMatch"]
        assert xpath(root, "//oai:error/text()") == [str(verbs.UNKNOWN_SET % {"set": spec})]


def test_a_draft_unit_leaves_its_once_published_subtree_deleted_in_the_set(client, tree):
    never = unit("kf-a-draft", parent=tree["a"], status=Item.DRAFT)
    series = fresh(tree["a"])
    series.status = Item.DRAFT
    series.save()
    root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="fonds:kf")
    deleted = set(xpath(root, "//oai:header[@status='deleted']/oai:identifier/text()"))
    live = set(xpath(root, "//oai:header[not(@status)]/oai:identifier/text()"))
    assert deleted == ids(tree["a"], tree["file"], tree["note"])
    assert live == ids(tree["fonds"], tree["b"])
    assert oai_id(never.identifier) not in identifiers(root)
    assert set(xpath(root, "//oai:header[@status='deleted']/oai:setSpec[starts-with(., 'fonds')]/text()")) == {"fonds:kf"}
    assert ids(tree["a"], tree["file"], tree["note"]) <= set(listed(client, set="fonds"))


def test_a_withdrawn_fonds_leaves_its_whole_set_deleted(client, tree):
    fonds = fresh(tree["fonds"])
    fonds.status = Item.WITHDRAWN
    fonds.save()
    assert Tombstone.objects.filter(identifier="kf").exists()
    root = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="fonds:kf")
    assert set(xpath(root, "//oai:header[@status='deleted']/oai:identifier/text()")) == ids(
        tree["fonds"], tree["a"], tree["b"], tree["file"], tree["note"]
    )
    assert "fonds:kf" not in xpath(request(client, verb="ListSets"), "//oai:setSpec/text()")


def test_a_move_changes_exactly_the_moved_records(client, tree):
    hour_ago = timezone.now() - timedelta(hours=1)
    Item.objects.update(modified=hour_ago)
    since = timezone.now().replace(microsecond=0)

    arrangement.move(fresh(tree["file"]), parent=fresh(tree["b"]))

    changed = request(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": datestamp(since)})
    assert set(identifiers(changed)) == ids(tree["file"], tree["note"])
    file_record = xpath(changed, f"//oai:record[oai:header/oai:identifier='{oai_id('kf-a-1')}']/oai:metadata/*")[0]
    assert xpath(file_record, "dc:relation/text()") == [oai_id("kf-b"), page_url("kf-b")]
    assert "NO ARKIV KF/B/1" in xpath(file_record, "dc:identifier/text()")


def test_a_move_to_another_fonds_carries_the_subtree_into_its_set(client, tree):
    arrangement.move(fresh(tree["a"]), parent=fresh(tree["other"]))
    assert set(listed(client, set="fonds:press")) == ids(tree["other"], tree["clippings"], tree["a"], tree["file"], tree["note"])
    assert set(listed(client, set="fonds:kf")) == ids(tree["fonds"], tree["b"])
    root = request(client, verb="GetRecord", metadataPrefix="qdc", identifier=oai_id("note-0924"))
    assert "NO ARKIV PR/A/1/7" in xpath(root, "//dc:identifier/text()")


def deep_tree(units):
    """A fonds with series of files of items, `units` units in all, every one published."""
    fonds = unit("deep", level="fonds")
    made = 1
    series = file_ = None
    while made < units:
        if made % 12 == 1:
            series = unit(f"deep-s{made}", parent=fonds, level="series")
            file_ = None
        elif made % 4 == 2 or file_ is None:
            file_ = unit(f"deep-f{made}", parent=series, level="file")
        else:
            unit(f"deep-i{made}", parent=file_)
        made += 1


@pytest.mark.parametrize("size", [10, 50])
def test_a_page_of_units_costs_the_same_queries_whatever_its_size(client, settings, size):
    settings.ARKIV_OAI_PAGE_SIZE = size
    deep_tree(2 * size + 5)
    unit("gone", parent=Item.objects.get(identifier="deep"), status=Item.PUBLISHED)
    gone = Item.objects.get(identifier="gone")
    gone.status = Item.WITHDRAWN
    gone.save()
    # The items with their stored headers (catalog/oai/cache/) and the tombstones; where no
    # header is stored yet, the items' types and places, their collections, the units above
    # them, and the savepoint, write and release that store the headers written. For
    # ListRecords, the records' stored metadata, and where none is stored yet, the rest of their
    # rows (reference, level, rights), the units above them again (their parents), their
    # statements, and the savepoint, write and release that store what was built.
    # ListIdentifiers then finds the headers ListRecords stored.
    for verb, cold, warm in (("ListRecords", 15, 3), ("ListIdentifiers", 2, 2)):
        first = request(client, verb=verb, metadataPrefix="qdc")
        for expected in (cold, warm):
            with CaptureQueriesContext(connection) as queries:
                second = request(client, verb=verb, resumptionToken=token(first).text)
            assert len(identifiers(second)) == size
            assert len(queries) == expected, [query["sql"] for query in queries]


@pytest.mark.django_db(transaction=True)
def test_an_incremental_harvest_after_a_move_sees_exactly_the_moved_subtree(live_server, settings, tree):
    """Sickle, a real harvester, over HTTP: after a move it takes the moved records, with their
    new place, and nothing else."""
    settings.ARKIV_OAI_PAGE_SIZE = 2  # several pages: the tokens carry the from
    endpoint = f"{live_server.url}/oai"
    extra = [unit(f"kf-a-1-{n}", parent=tree["file"]) for n in range(3)]
    hour_ago = timezone.now() - timedelta(hours=1)
    Item.objects.update(modified=hour_ago)
    Tombstone.objects.update(datestamp=hour_ago)
    since = timezone.now().replace(microsecond=0)

    arrangement.move(fresh(tree["file"]), parent=fresh(tree["clippings"]))

    harvested = {}
    for record in Sickle(endpoint).ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": datestamp(since)}):
        assert record.header.identifier not in harvested, "delivered twice"
        harvested[record.header.identifier] = record
    assert set(harvested) == ids(tree["file"], tree["note"], *extra)
    moved = harvested[oai_id("kf-a-1")]
    assert moved.metadata["relation"] == [oai_id("press-1945"), live_server.url + reverse("catalog:item", kwargs={"identifier": "press-1945"})]
    assert "NO ARKIV PR/1945/1" in moved.metadata["identifier"]
    assert "fonds:press" in moved.header.setSpecs
    assert not any(record.header.deleted for record in harvested.values())
    # The same from a set's harvester: the moved records arrive in their new fonds.
    in_set = {header.identifier for header in Sickle(endpoint).ListIdentifiers(metadataPrefix="oai_dc", set="fonds:press", **{"from": datestamp(since)})}
    assert in_set == set(harvested)
