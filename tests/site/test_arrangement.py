"""The arrangement on the public site: a unit's page (path, level, reference code, context line,
neighbours, its contents as a tree that opens level by level with or without JavaScript), search
within a fonds, the level facet, the printable finding aid, and what a draft above hides."""
import json
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from catalog.models import Item, Level, Statement
from catalog.site import arrangement as site_arrangement
from catalog.site import printable
from catalog.site.filters import UNKNOWN_LEVEL, UNKNOWN_UNIT
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def unit(identifier, *, parent=None, level="item", status=Item.PUBLISHED, title=None, code="", position=None, **fields):
    made = ItemFactory(identifier=identifier, status=status, title=title or identifier.upper(), **fields)
    made.parent, made.level, made.local_code = parent, Level.objects.get(code=level), code
    if position is not None:
        made.position = position
    made.save()
    return made


def page(client, url, status=HTTPStatus.OK):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return html.fromstring(response.content)


def texts(tree, xpath):
    return [" ".join(element.text_content().split()) for element in tree.xpath(xpath)]


@pytest.fixture
def fonds():
    """Fonds KF > Series A (3 files; file 2 holds 4 items) and Series B."""
    top = unit("kf", level="fonds", title="Kirkenes Fonds", code="KF")
    series_a = unit("kf-a", parent=top, level="series", title="Series A", code="A", position=0)
    unit("kf-b", parent=top, level="series", title="Series B", code="B", position=1)
    for n in range(1, 4):
        file = unit(f"kf-a-{n}", parent=series_a, level="file", title=f"File {n}", code=str(n), position=n)
        if n == 2:
            for m in range(1, 5):
                unit(f"kf-a-2-{m}", parent=file, title=f"Letter {m}", code=str(m), position=m)
    return top


# --- the unit page ---------------------------------------------------------------------------------

def test_a_unit_page_shows_its_path_level_reference_code_and_context(client, fonds):
    tree = page(client, "/items/kf-a-2-3/")
    assert texts(tree, "//nav[@aria-label='Breadcrumb']//a") == ["Home", "Kirkenes Fonds", "Series A", "File 2", "Letter 3"]
    assert texts(tree, "//p[@class='eyebrow']")[0].startswith("Item · ")
    assert texts(tree, "//*[@class='unit__reference']") == ["Reference code NO ARKIV KF/A/2/3"]
    assert texts(tree, "//*[@class='unit__context']") == ["Item 3 of 4 in File File 2, Series Series A, Fonds Kirkenes Fonds"]
    assert tree.xpath("//*[@class='unit__context']/a/@href") == ["/items/kf-a-2/", "/items/kf-a/", "/items/kf/"]


def test_the_breadcrumb_comes_from_the_arrangement_not_a_thematic_collection(client, fonds):
    from tests.factories import CollectionFactory

    letter = Item.objects.get(identifier="kf-a-2-1")
    letter.collections.add(CollectionFactory(title="Liberation"))
    tree = page(client, letter.get_absolute_url())
    assert "Liberation" not in texts(tree, "//nav[@aria-label='Breadcrumb']")[0]
    assert texts(tree, "//nav[@aria-label='Breadcrumb']//a")[1] == "Kirkenes Fonds"


def test_neighbours_lead_to_the_previous_and_next_sibling(client, fonds):
    tree = page(client, "/items/kf-a-2/")
    assert tree.xpath("//a[@rel='prev']/@href") == ["/items/kf-a-1/"]
    assert tree.xpath("//a[@rel='next']/@href") == ["/items/kf-a-3/"]
    first = page(client, "/items/kf-a-1/")
    assert first.xpath("//nav[contains(@class, 'siblings')]//a[@rel='prev']") == []


def test_children_are_listed_in_arrangement_order_with_level_date_and_count(client, fonds):
    tree = page(client, "/items/kf-a/")
    nodes = tree.xpath("//section[@id='contents']/ul[@class='unit-tree']/li")
    assert [" ".join(node.xpath(".//a[@class='unit-tree__title']")[0].text_content().split()) for node in nodes] == ["File 1", "File 2", "File 3"]
    meta = [" ".join(node.xpath(".//*[@class='unit-tree__meta']")[0].text_content().split()) for node in nodes]
    assert meta == ["File", "File · , 4 units", "File"]
    assert texts(tree, "//*[contains(@class, 'contents__count')]") == ["3 units directly below"]


def test_children_are_paged_and_a_deep_page_reads_only_its_units(client, settings):
    settings.ARKIV_BROWSE_PAGE_SIZE = 3
    series = unit("big", level="series")
    for n in range(10):
        unit(f"big-{n}", parent=series, position=n)
    tree = page(client, "/items/big/?page=4")
    assert texts(tree, "//section[@id='contents']//a[@class='unit-tree__title']") == ["BIG-9"]
    assert "page 4 of 4" in texts(tree, "//*[contains(@class, 'contents__count')]")[0]
    assert tree.xpath("//nav[@class='pagination']//a[@aria-current='page']/@href") == ["?page=4"]


def test_the_unit_page_costs_the_same_queries_with_5_or_50_children(client):
    def queries(identifier):
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/items/{identifier}/").status_code == HTTPStatus.OK
        return len(context)

    for size in (5, 50):
        series = unit(f"s{size}", level="series")
        for n in range(size):
            child = unit(f"s{size}-{n}", parent=series, level="file", position=n)
            unit(f"s{size}-{n}-x", parent=child)
    assert queries("s5") == queries("s50")
    assert queries("s5-2-x") == queries("s50-30-x"), "an item's page grew with its siblings"


def test_a_unit_without_parent_or_children_looks_as_items_always_did(client):
    lone = unit("lone")
    tree = page(client, lone.get_absolute_url())
    assert tree.xpath("//*[@id='contents']") == []
    assert tree.xpath("//*[@class='unit__context']") == []
    assert texts(tree, "//nav[@aria-label='Breadcrumb']//a") == ["Home", "Browse", "LONE"]


# --- visibility -------------------------------------------------------------------------------------

def test_a_published_item_under_a_draft_file_is_hidden_from_visitors_not_orphaned(client, admin_client, fonds):
    file = Item.objects.get(identifier="kf-a-2")
    file.status = Item.DRAFT
    file.save()
    letter = Item.objects.get(identifier="kf-a-2-1")
    assert letter.status == Item.PUBLISHED and not letter.is_public
    page(client, letter.get_absolute_url(), HTTPStatus.NOT_FOUND)
    page(client, file.get_absolute_url(), HTTPStatus.NOT_FOUND)
    series = page(client, "/items/kf-a/")
    assert texts(series, "//a[@class='unit-tree__title']") == ["File 1", "File 3"]
    assert page(client, "/items/kf-a-3/").xpath("//a[@rel='prev']/@href") == ["/items/kf-a-1/"]

    staff = page(admin_client, letter.get_absolute_url())
    assert texts(staff, "//nav[@aria-label='Breadcrumb']//a")[:4] == ["Home", "Kirkenes Fonds", "Series A", "File 2"]
    assert texts(page(admin_client, "/items/kf-a/"), "//a[@class='unit-tree__title']") == ["File 1", "File 2", "File 3"]


# --- the tree -------------------------------------------------------------------------------------

def test_a_node_opens_by_a_link_without_javascript(client, fonds):
    tree = page(client, "/items/kf/")
    toggle = tree.xpath("//li[@id='unit-kf-a']//a[@class='unit-tree__toggle']")[0]
    assert toggle.get("aria-expanded") == "false"
    assert toggle.get("href") == "/items/kf/?open=kf-a#unit-kf-a"
    assert tree.xpath("//li[@id='unit-kf-b']//a[@class='unit-tree__toggle']") == []  # nothing below it

    opened = page(client, toggle.get("href").split("#")[0])
    assert opened.xpath("//li[@id='unit-kf-a']/div//a[@class='unit-tree__toggle']/@aria-expanded") == ["true"]
    assert texts(opened, "//li[@id='unit-kf-a']/ul/li/div//a[@class='unit-tree__title']") == ["File 1", "File 2", "File 3"]
    file_toggle = opened.xpath("//li[@id='unit-kf-a-2']//a[@class='unit-tree__toggle']/@href")[0]
    assert file_toggle == "/items/kf/?open=kf-a&open=kf-a-2#unit-kf-a-2"

    deeper = page(client, file_toggle.split("#")[0])
    assert texts(deeper, "//li[@id='unit-kf-a-2']/ul//a[@class='unit-tree__title']") == ["Letter 1", "Letter 2", "Letter 3", "Letter 4"]
    # Closing a unit closes what was open below it.
    assert deeper.xpath("//li[@id='unit-kf-a']/div//a[@class='unit-tree__toggle']/@href") == ["/items/kf/#unit-kf-a"]


def test_an_open_level_shows_a_page_and_links_to_the_rest(client, settings, fonds):
    settings.ARKIV_BROWSE_PAGE_SIZE = 2
    tree = page(client, "/items/kf/?open=kf-a")
    level = tree.xpath("//li[@id='unit-kf-a']/ul")[0]
    assert texts(level, "./li/div//a[@class='unit-tree__title']") == ["File 1", "File 2"]
    more = level.xpath("./li[@class='unit-tree__more']/a")[0]
    assert more.get("href") == "/items/kf-a/?page=2#contents"
    assert more.get("data-tree") == "/items/kf-a/tree/?page=2"
    assert " ".join(more.text_content().split()) == "Show more of Series A (2 of 3 shown)"


def test_what_open_names_is_bounded_and_outside_units_are_ignored(client, fonds):
    unit("elsewhere", parent=unit("other-fonds", level="fonds"))
    many = "&".join(f"open=nothing-{n}" for n in range(site_arrangement.OPEN_LIMIT)) + "&open=kf-a"
    tree = page(client, f"/items/kf/?{many}")
    assert tree.xpath("//li[@id='unit-kf-a']/ul") == []  # past the limit
    tree = page(client, "/items/kf/?open=other-fonds&open=kf-a")
    assert len(tree.xpath("//li[@id='unit-kf-a']/ul")) == 1


def test_the_tree_fragment_is_one_level_paged_for_the_script(client, settings, fonds):
    settings.ARKIV_BROWSE_PAGE_SIZE = 2
    response = client.get("/items/kf-a/tree/")
    assert response.status_code == HTTPStatus.OK
    assert response["X-Robots-Tag"] == "noindex"
    fragment = html.fragment_fromstring(response.content.decode())
    assert fragment.tag == "ul" and fragment.get("id") == f"below-{Item.objects.get(identifier='kf-a').pk}"
    assert texts(fragment, "./li/div//a[@class='unit-tree__title']") == ["File 1", "File 2"]
    assert fragment.xpath("./li[@class='unit-tree__more']/a/@data-tree") == ["/items/kf-a/tree/?page=2"]
    second = html.fragment_fromstring(client.get("/items/kf-a/tree/?page=2").content.decode())
    assert texts(second, "./li/div//a[@class='unit-tree__title']") == ["File 3"]
    assert second.xpath("./li[@class='unit-tree__more']") == []
    assert client.get("/items/kf-a-1/tree/").status_code == HTTPStatus.NOT_FOUND  # nothing below


def test_the_tree_fragment_of_a_hidden_unit_is_not_found(client, admin_client, fonds):
    series = Item.objects.get(identifier="kf-a")
    series.status = Item.DRAFT
    series.save()
    assert client.get("/items/kf-a-2/tree/").status_code == HTTPStatus.NOT_FOUND
    assert admin_client.get("/items/kf-a-2/tree/").status_code == HTTPStatus.OK


# --- search within and the level facet -------------------------------------------------------------

def test_search_within_a_fonds_reaches_only_the_units_below_it(client, fonds):
    other = unit("other", level="fonds")
    unit("other-letter", parent=other, title="Letter from elsewhere")
    top = page(client, "/items/kf/")
    form = top.xpath("//form[contains(@class, 'within')]")[0]
    assert form.get("action") == reverse("catalog:browse")
    assert form.xpath(".//input[@name='within']/@value") == ["kf"]

    results = page(client, reverse("catalog:browse") + "?within=kf&q=letter")
    assert sorted(texts(results, "//h3[@class='card__title']")) == ["Letter 1", "Letter 2", "Letter 3", "Letter 4"]
    assert "Remove filter Within Kirkenes Fonds×" in texts(results, "//a[@class='chip']")


def test_search_within_an_unknown_or_hidden_unit_says_so(client, fonds):
    Item.objects.filter(identifier="kf-b").update(status=Item.DRAFT)
    for identifier in ("nowhere", "kf-b"):
        tree = page(client, reverse("catalog:browse") + f"?within={identifier}")
        assert UNKNOWN_UNIT % {"value": identifier} in texts(tree, "//*[@role='alert']")[0]


def test_the_level_facet_counts_units_per_level(client, fonds):
    tree = page(client, reverse("catalog:browse"))
    facet = tree.xpath("//section[@aria-labelledby='facet-level']")[0]
    values = [" ".join(a.text_content().split()) for a in facet.xpath(".//a")]
    assert values == ["Fonds 1 item", "Series 2 items", "File 3 items", "Item 4 items"]
    files = page(client, reverse("catalog:browse") + "?level=file")
    assert sorted(texts(files, "//h3[@class='card__title']")) == ["File 1", "File 2", "File 3"]
    assert UNKNOWN_LEVEL % {"value": "shelf"} in texts(page(client, reverse("catalog:browse") + "?level=shelf"), "//*[@role='alert']")[0]


def test_the_level_facet_is_left_out_where_every_unit_is_an_item(client):
    unit("one"), unit("two")
    tree = page(client, reverse("catalog:browse"))
    assert tree.xpath("//section[@aria-labelledby='facet-level']") == []


def test_browse_cards_name_the_level_and_reference_code_of_arranged_units(client, fonds):
    tree = page(client, reverse("catalog:browse") + "?level=file&sort=title")
    assert texts(tree, "//p[@class='card__reference']") == ["NO ARKIV KF/A/1", "NO ARKIV KF/A/2", "NO ARKIV KF/A/3"]
    assert texts(tree, "//p[@class='card__meta']")[0].startswith("File · , Still image")


# --- the printable finding aid --------------------------------------------------------------------

def test_the_printable_finding_aid_lays_out_the_published_tree_in_order(client, fonds):
    Statement.objects.create(item=Item.objects.get(identifier="kf-a-2-2"), term="description", value="About the bridge.", lang="en")
    Item.objects.filter(identifier="kf-a-3").update(status=Item.DRAFT)
    response = client.get(reverse("catalog:printable-finding-aid", args=["kf"]))
    assert response.streaming
    tree = html.fromstring(b"".join(response.streaming_content))
    titles = texts(tree, "//*[contains(@class, 'finding-aid__title')]")
    assert texts(tree, "//h1") == ["Kirkenes Fonds"]  # the top unit heads the page, its description first
    assert titles == ["Series A", "File 1", "File 2", "Letter 1", "Letter 2", "Letter 3", "Letter 4", "Series B"]
    assert texts(tree, "//h2[@class='finding-aid__title']") == ["Series A", "Series B"]
    assert texts(tree, "//h4[@class='finding-aid__title']") == ["Letter 1", "Letter 2", "Letter 3", "Letter 4"]
    assert "About the bridge." in texts(tree, "//section[@id='unit-kf-a-2-2']//dd")
    assert texts(tree, "//section[@id='unit-kf-a-2-2']//*[@class='unit__code']") == ["NO ARKIV KF/A/2/2"]


def test_the_printable_finding_aid_stops_at_its_limit_and_says_where_the_rest_is(client, settings, fonds):
    settings.ARKIV_PRINTABLE_UNITS = 3
    tree = html.fromstring(b"".join(client.get("/items/kf/finding-aid/").streaming_content))
    assert len(tree.xpath("//section[contains(@class, 'finding-aid__unit')]")) == 3
    assert "stops after 3 units" in texts(tree, "//*[contains(@class, 'finding-aid__stop')]")[0]


def test_the_printable_finding_aid_walks_with_memory_of_one_batch_per_level(fonds, monkeypatch):
    monkeypatch.setattr(printable, "BATCH", 2)
    entries = [(depth, unit.identifier) for depth, unit in printable.units(Item.objects.get(identifier="kf"), limit=100)]
    assert entries == [
        (0, "kf"), (1, "kf-a"), (2, "kf-a-1"), (2, "kf-a-2"), (3, "kf-a-2-1"), (3, "kf-a-2-2"), (3, "kf-a-2-3"),
        (3, "kf-a-2-4"), (2, "kf-a-3"), (1, "kf-b"),
    ]


def test_the_printable_finding_aid_is_for_published_units_only(client, admin_client, fonds):
    Item.objects.filter(identifier="kf").update(status=Item.DRAFT)
    assert admin_client.get("/items/kf/finding-aid/").status_code == HTTPStatus.NOT_FOUND


def test_the_top_units_page_links_the_printable_finding_aid(client, fonds):
    tree = page(client, "/items/kf/")
    assert "/items/kf/finding-aid/" in tree.xpath("//section[@aria-labelledby='finding-aid-title']//a/@href")


# --- metadata and citations -------------------------------------------------------------------------

def test_json_ld_says_which_unit_the_unit_is_part_of(client, fonds):
    document = json.loads(client.get("/items/kf-a-2-1/item.jsonld").content)
    part_of = document["isPartOf"]
    assert part_of["@type"] == "ArchiveComponent"
    assert part_of["@id"].endswith("/items/kf-a-2/") and part_of["name"] == "File 2"


def test_the_citation_gives_the_reference_code_and_the_units_above(client, fonds):
    tree = page(client, "/items/kf-a-2-1/")
    citation = texts(tree, "//p[@class='citation']")[0]
    assert "NO ARKIV KF/A/2/1." in citation
    assert "File 2, Series A, Kirkenes Fonds." in citation
    ris = client.get("/items/kf-a-2-1/citation.ris").content.decode()
    assert "CN  - NO ARKIV KF/A/2/1\r\n" in ris
    assert "N1  - Part of: File 2, Series A, Kirkenes Fonds\r\n" in ris


def test_the_home_page_lists_the_fonds(client, fonds):
    unit("lone")
    tree = page(client, "/")
    section = tree.xpath("//section[@aria-labelledby='home-arrangements']")[0]
    assert [" ".join(a.text_content().split()) for a in section.xpath(".//a")] == ["Fonds Kirkenes Fonds 2 units directly below"]


def test_the_context_line_follows_a_reorder_which_moves_no_datestamp(client, fonds):
    from catalog import arrangement

    assert "Item 3 of 4" in texts(page(client, "/items/kf-a-2-3/"), "//*[@class='unit__context']")[0]
    file = Item.objects.get(identifier="kf-a-2")
    arrangement.reorder(file, [Item.objects.get(identifier="kf-a-2-3")])
    assert "Item 1 of 4" in texts(page(client, "/items/kf-a-2-3/"), "//*[@class='unit__context']")[0]
    assert page(client, "/items/kf-a-2-3/").xpath("//a[@rel='next']/@href") == ["/items/kf-a-2-1/"]


def test_the_top_units_page_offers_its_ead_finding_aids_and_the_print_points_to_them(client, settings, fonds):
    links = page(client, "/items/kf/").xpath("//section[@aria-labelledby='finding-aid-title']//a")
    assert [(" ".join(a.text_content().split()), a.get("href")) for a in links] == [
        ("Printable finding aid", "/items/kf/finding-aid/"),
        ("EAD3 finding aid", reverse("catalog:finding_aid", kwargs={"identifier": "kf", "format": "ead3"})),
        ("apeEAD finding aid (Archives Portal Europe)", reverse("catalog:finding_aid", kwargs={"identifier": "kf", "format": "apeead"})),
    ]
    assert client.get(links[1].get("href")).status_code == HTTPStatus.OK
    # A series is no whole finding aid: it prints, and its fonds has the EAD.
    assert page(client, "/items/kf-a/").xpath("//section[@aria-labelledby='finding-aid-title']//a/@href") == ["/items/kf-a/finding-aid/"]
    settings.ARKIV_PRINTABLE_UNITS = 2
    stop = html.fromstring(b"".join(client.get("/items/kf/finding-aid/").streaming_content))
    assert stop.xpath("//*[contains(@class, 'finding-aid__stop')]//a/@href") == [links[1].get("href"), links[2].get("href")]
