from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from catalog.site.filters import TOO_MANY_VALUES, UNKNOWN_LANGUAGE, UNKNOWN_SUBJECT
from catalog.models import Authority, AuthorityLink, Item
from tests.factories import (
    AuthorityFactory, CollectionFactory, DigitalFileFactory, ItemFactory, StatementFactory, VariantFactory,
)

pytestmark = pytest.mark.django_db


def published(title="Untitled", dcmi_type="StillImage", **kwargs):
    return ItemFactory(title=title, dcmi_type=dcmi_type, status=Item.PUBLISHED, **kwargs)


def state(item, term, value="", authority=None, lang=""):
    StatementFactory(
        item=item, term=term, value=value or (authority.preferred_label if authority else ""),
        authority=authority, lang=lang,
    )
    return item


def page(client, url, status=HTTPStatus.OK):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return html.fromstring(response.content)


def texts(tree, xpath):
    return [" ".join(element.text_content().split()) for element in tree.xpath(xpath)]


# --- home ------------------------------------------------------------------------------------------

def test_home_invites_exploration(client):
    fonds = CollectionFactory(title="Liberation of Eastern Finnmark")
    photo = published("Bridge over the Jakobselv")
    photo.collections.add(fonds)
    published("Note of 24 September 1945", dcmi_type="Text")
    tree = page(client, reverse("catalog:home"))
    assert tree.xpath("//form[@role='search']//input[@name='q']")
    assert texts(tree, "//*[@id='home-collections']/following-sibling::ul//*[@class='tile__title']") == [
        "Liberation of Eastern Finnmark"
    ]
    assert "1 item" in texts(tree, "//*[@class='tile__count']")[0]
    assert sorted(texts(tree, "//*[@id='home-recent']/ancestor::section//h3")) == [
        "Bridge over the Jakobselv", "Note of 24 September 1945",
    ]
    assert "Browse all 2 items" in texts(tree, "//*[@class='hero__links']")[0]


# --- browse ----------------------------------------------------------------------------------------

def test_browse_lists_items_with_labelled_facet_groups(client):
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    state(published("Memorial in Kirkenes"), "spatial", authority=kirkenes)
    published("Note", dcmi_type="Text")
    tree = page(client, reverse("catalog:browse"))
    assert texts(tree, "//ol[@class='results']//h3") == ["Memorial in Kirkenes", "Note"]
    groups = {
        section.get("aria-labelledby"): texts(section, ".//a[contains(@class, 'facet__value')]")
        for section in tree.xpath("//section[contains(@class, 'facet')]")
    }
    assert groups["facet-place"] == ["Kirkenes 1 item"]
    assert groups["facet-type"] == ["Still image 1 item", "Text 1 item"]
    assert tree.xpath("//*[@id='facet-place']")[0].text == "Place"


def test_facet_links_add_and_remove_their_value(client):
    published("Photo"), published("Note", dcmi_type="Text")
    tree = page(client, reverse("catalog:browse") + "?type=Text&page=2")
    links = {a.text_content().split()[-3]: a.get("href") for a in tree.xpath("//section[@aria-labelledby='facet-type']//a")}
    assert links["Text"] == "?"  # chosen: following it removes it (and starts at page 1)
    assert links["image"] == "?type=Text&type=StillImage"


def test_chips_remove_one_filter_each(client):
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    state(published("Memorial"), "spatial", authority=kirkenes)
    tree = page(client, reverse("catalog:browse") + f"?place={kirkenes.slug}&type=StillImage&sort=date")
    chips = {texts(a, ".")[0]: a.get("href") for a in tree.xpath("//section[@aria-labelledby='chips-title']//a[@class='chip']")}
    assert chips == {
        "Remove filter Still image×": f"?place={kirkenes.slug}&sort=date",
        "Remove filter Kirkenes×": "?type=StillImage&sort=date",
    }
    assert tree.xpath("//a[@class='chips__clear']/@href") == ["?sort=date"]


def test_browse_pages_mark_the_current_page(client, settings):
    settings.ARKIV_BROWSE_PAGE_SIZE = 2
    for n in range(5):
        published(f"Item {n}")
    tree = page(client, reverse("catalog:browse") + "?page=2")
    assert texts(tree, "//ol[@class='results']//h3") == ["Item 2", "Item 3"]
    assert tree.xpath("//ol[@class='results']/@start") == ["3"]
    current = tree.xpath("//nav[@aria-label='Pages of results']//a[@aria-current='page']")
    assert [texts(a, ".")[0] for a in current] == ["Page 2"]
    assert tree.xpath("//nav[@aria-label='Pages of results']//a[@rel='next']/@href") == ["?page=3"]


def test_browse_sorts_by_date_with_undated_last(client):
    state(published("Later"), "created", "1945")
    published("Undated")
    state(published("Earlier"), "created", "1944-10-25")
    tree = page(client, reverse("catalog:browse") + "?sort=date")
    assert texts(tree, "//ol[@class='results']//h3") == ["Earlier", "Later", "Undated"]
    assert tree.xpath("//select[@name='sort']/option[@selected]/@value") == ["date"]
    assert "relevance" not in tree.xpath("//select[@name='sort']/option/@value")  # nothing searched


def test_search_ranks_and_highlights(client):
    published("Bridge over the Jakobselv border river")
    state(published("Troops leaving Norway"), "description", "They crossed the bridge at Jakobselv.")
    published("Memorial in Kirkenes")
    tree = page(client, reverse("catalog:browse") + "?q=jakobselv")
    assert texts(tree, "//h1") == ["Results for “jakobselv”"]
    assert sorted(texts(tree, "//ol[@class='results']//h3")) == ["Bridge over the Jakobselv border river", "Troops leaving Norway"]
    assert tree.xpath("//select[@name='sort']/option[@selected]/@value") == ["relevance"]
    assert tree.xpath("//p[@class='card__snippet']/mark")


def test_empty_result_suggests_how_to_widen_it(client):
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    state(published("Memorial"), "spatial", authority=kirkenes)
    tree = page(client, reverse("catalog:browse") + f"?q=bjornevatn&place={kirkenes.slug}")
    empty = " ".join(texts(tree, "//div[@class='empty']"))
    assert "No items match “bjornevatn”" in empty
    assert "check the spelling" in empty
    assert tree.xpath("//div[@class='empty']//a[contains(., 'remove the filter “Kirkenes”')]/@href") == ["?q=bjornevatn"]


def test_bad_filter_values_are_explained_and_the_rest_still_works(client):
    published("Photo")
    tree = page(client, reverse("catalog:browse") + "?decade=1945&year_from=1950&year_to=1940")
    alert = " ".join(texts(tree, "//*[@role='alert']"))
    assert "“1945” is not a decade: give the first year of one, such as 1940." in alert
    assert "swap the two years" in alert
    assert tree.xpath("//input[@name='year_to']/@aria-invalid") == ["true"]


def test_browse_costs_the_same_queries_whatever_the_page_size(client, settings):
    def queries(page_size):
        settings.ARKIV_BROWSE_PAGE_SIZE = page_size
        cache.clear()  # count the facets each time, not only the first
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("catalog:browse") + f"?q=kirkenes&place={kirkenes.slug}&sort=date")
        return len(context)

    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    for n in range(12):
        item = state(published(f"Kirkenes {n}"), "spatial", authority=kirkenes)
        state(item, "creator", f"Photographer {n}")
        state(item, "created", f"194{n % 10}")
        DigitalFileFactory(item=item)
    queries(12)  # the first search of a process reads the facet index into memory (facets/bitmaps.py)
    assert queries(2) == queries(12), "the browse page grew with its page size"


def test_export_streams_the_current_result_as_csv(client):
    published("Photo"), published("Note", dcmi_type="Text")
    response = client.get(reverse("catalog:export-csv") + "?type=Text&page=3")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Note" in body and "Photo" not in body


def test_the_browse_page_links_to_the_export_of_its_result(client):
    published("Photo")
    tree = page(client, reverse("catalog:browse") + "?type=StillImage&page=1")
    assert tree.xpath("//a[@class='download']/@href") == [reverse("catalog:export-csv") + "?type=StillImage"]


# --- bounds: what a visitor asks for is capped, and only known values are named --------------------

def test_a_browse_beyond_the_facet_cap_uses_the_first_values_and_says_so(client, settings):
    settings.ARKIV_MAX_FACET_VALUES = 2
    published("Photo"), published("Note", dcmi_type="Text"), published("Song", dcmi_type="Sound")
    tree = page(client, reverse("catalog:browse") + "?type=StillImage&type=Text&type=Sound")
    assert TOO_MANY_VALUES % {"label": "Type", "count": 3, "limit": 2} in texts(tree, "//*[@role='alert']//li")
    assert sorted(texts(tree, "//ol[@class='results']//h3")) == ["Note", "Photo"]
    assert texts(tree, "//a[@class='chip']") == ["Remove filter Still image×", "Remove filter Text×"]
    assert tree.xpath("//a[@class='download']/@href") == [reverse("catalog:export-csv") + "?type=StillImage&type=Text"]


def test_unknown_facet_values_are_named_once_and_never_repeated_in_links(client):
    state(published("Note", dcmi_type="Text"), "language", "nb")
    made_up = [f"zz-{n:04d}" for n in range(1000)]
    query = "&".join(f"language={value}" for value in ["nb", *made_up])

    response = client.get(reverse("catalog:browse") + f"?{query}&type=Text")

    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert len(body) < 100_000  # 36 MB before the cap
    alert = texts(html.fromstring(body), "//*[@role='alert']//li")
    assert UNKNOWN_LANGUAGE % {"value": "zz-0000"} in alert
    assert body.count("zz-0000") == 1 and "zz-0999" not in body
    assert not [href for href in html.fromstring(body).xpath("//a/@href") if "zz-" in href]


def test_the_export_refuses_more_facet_values_than_the_cap_with_the_message(client, settings):
    settings.ARKIV_MAX_FACET_VALUES = 2
    published("Photo")
    response = client.get(reverse("catalog:export-csv") + "?type=StillImage&type=Text&type=Sound")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert TOO_MANY_VALUES % {"label": "Type", "count": 3, "limit": 2} in response.content.decode()


def test_a_subject_only_drafts_use_gives_the_same_page_as_a_made_up_one(client):
    secret = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Operation Nordlicht")
    state(ItemFactory(), "subject", authority=secret)  # a draft
    published("Photo")

    def shown(slug):
        response = client.get(reverse("catalog:browse") + f"?subject={slug}")
        tree = html.fromstring(response.content)
        return response.content.decode(), texts(tree, "//*[@role='alert']"), texts(tree, "//*[@class='chips']")

    body, alert, chips = shown(secret.slug)
    assert "Operation Nordlicht" not in body
    assert chips == [] and UNKNOWN_SUBJECT % {"value": secret.slug} in alert[0]
    _, made_up_alert, made_up_chips = shown("made-up")
    assert (made_up_alert, made_up_chips) == ([alert[0].replace(secret.slug, "made-up")], chips)


# --- item page -------------------------------------------------------------------------------------

def described_item():
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff", agent_type="person")
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    item = published("Note on the withdrawal of Soviet troops", dcmi_type="Text")
    state(item, "title", "Записка о выводе советских войск", lang="ru")
    state(item, "creator", "Igor Dyakonov", authority=diakonoff)
    state(item, "created", "1945-09-24")
    state(item, "spatial", authority=kirkenes)
    state(item, "language", "nb")
    state(item, "abstract", "The Soviet forces claimed no compensation.")
    state(item, "rightsHolder", "National Archives of Norway")
    state(item, "relation", "https://www.arkivverket.no/")
    state(item, "provenance", "Digitised in 2015")
    return item


def test_item_page_groups_every_value_under_plain_labels(client):
    item = described_item()
    tree = page(client, item.get_absolute_url())
    assert texts(tree, "//h1") == ["Note on the withdrawal of Soviet troops"]
    groups = {
        section.get("aria-labelledby"): [
            (texts(row, "dt")[0], texts(row, "dd")) for row in section.xpath(".//div[@class='description__row']")
        ]
        for section in tree.xpath("//section[@class='description']")
    }
    assert groups == {
        "group-what": [
            ("Parallel title", ["Записка о выводе советских войск"]),  # the heading is English
            ("Summary", ["The Soviet forces claimed no compensation."]),
            ("Type", ["Text"]),
            ("Language", ["Norwegian Bokmål"]),
        ],
        "group-who": [("Creator", ["Igor Diakonoff"])],
        "group-when": [("Created", ["24 September 1945"])],  # in the words of the page's language
        "group-where": [("Place", ["Kirkenes"])],
        "group-rights": [("Rights holder", ["National Archives of Norway"])],
        "group-context": [("Related", ["https://www.arkivverket.no/"]), ("Provenance", ["Digitised in 2015"])],
    }
    assert tree.xpath("//dd[@lang='ru']/text()") == ["Записка о выводе советских войск"]


def test_item_values_link_to_authority_pages_and_facets(client):
    item = described_item()
    tree = page(client, item.get_absolute_url())

    def link(text):
        return tree.xpath(f"//dd/a[.='{text}']/@href")

    diakonoff = Authority.objects.get(preferred_label="Igor Diakonoff")
    assert link("Igor Diakonoff") == [diakonoff.get_absolute_url()]
    assert link("Norwegian Bokmål") == [reverse("catalog:browse") + "?language=nb"]
    assert link("Text") == [reverse("catalog:browse") + "?type=Text"]
    assert link("24 September 1945") == [reverse("catalog:browse") + "?decade=1940"]
    assert link("https://www.arkivverket.no/") == ["https://www.arkivverket.no/"]


@pytest.mark.parametrize(
    "written, shown, decade", [("1944/..", "1944–", 1940), ("../1945", "–1945", None), ("udatert", "undated", None)]
)
def test_a_date_links_to_the_decade_it_begins_in_if_that_is_known(client, written, shown, decade):
    item = state(published(), "created", written)
    tree = page(client, item.get_absolute_url())
    assert texts(tree, f"//dd[normalize-space(.)='{shown}']") == [shown]  # in the page's words
    assert tree.xpath(f"//dd/a[.='{shown}']/@href") == (
        [reverse("catalog:browse") + f"?decade={decade}"] if decade else []
    )


def test_item_page_offers_permalink_citation_and_downloads(client, settings):
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.org"
    item = described_item()
    tree = page(client, item.get_absolute_url())
    permalink = f"http://testserver{item.get_absolute_url()}"
    assert tree.xpath("//a[@class='permalink']/@href") == [permalink]
    assert tree.xpath("//link[@rel='canonical']/@href") == [permalink]
    assert "Note on the withdrawal of Soviet troops" in texts(tree, "//p[@class='citation']")[0]
    downloads = tree.xpath("//ul[@class='downloads']//a/@href")
    assert downloads[0] == (
        "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai%3Aarkiv.example.org%3A" + item.identifier
    )
    assert downloads[1:] == [
        reverse(name, kwargs={"identifier": item.identifier})
        for name in ("catalog:item-jsonld", "catalog:item-ris", "catalog:item-bibtex")
    ]
    assert tree.xpath("//meta[@name='DC.title']/@content")
    assert tree.xpath("//script[@type='application/ld+json']")


def test_item_downloads_are_citations_and_json_ld(client):
    item = described_item()
    ris = client.get(reverse("catalog:item-ris", kwargs={"identifier": item.identifier}))
    assert ris["Content-Disposition"] == f'attachment; filename="{item.identifier}.ris"'
    assert ris.content.decode().startswith("TY  - ")
    bib = client.get(reverse("catalog:item-bibtex", kwargs={"identifier": item.identifier}))
    assert bib.content.decode().startswith("@misc{")
    document = client.get(reverse("catalog:item-jsonld", kwargs={"identifier": item.identifier})).json()
    assert {"@value": "Note on the withdrawal of Soviet troops", "@language": "en"} in document["name"]


def test_item_page_shows_the_display_image_and_offers_originals_only_when_public(client):
    item = published("Bridge over the Jakobselv")
    hidden = DigitalFileFactory(item=item, label="recto", position=1)
    hidden.display.save("display/recto.jpg", ContentFile(b"jpeg"), save=True)
    public = DigitalFileFactory(item=item, label="verso", position=2, original_public=True)
    public.display.save("display/verso.jpg", ContentFile(b"jpeg"), save=True)
    tree = page(client, item.get_absolute_url())
    images = tree.xpath("//figure[@class='item__figure']/img")
    assert [image.get("src") for image in images] == [hidden.url("display"), public.url("display")]
    assert [image.get("alt") for image in images] == ["Bridge over the Jakobselv: recto", "Bridge over the Jakobselv: verso"]
    assert tree.xpath("//figure//a[@download]/@href") == [public.url("original")]


def test_item_page_costs_the_same_queries_however_many_statements(client):
    def queries(item):
        with CaptureQueriesContext(connection) as context:
            assert client.get(item.get_absolute_url()).status_code == HTTPStatus.OK
        return len(context)

    agents = [AuthorityFactory(preferred_label=f"Photographer {n}") for n in range(10)]
    short, long = described_item(), described_item()
    for agent in agents:
        VariantFactory(authority=agent)
        state(long, "contributor", authority=agent)
        state(long, "subject", f"Subject of {agent}")
    assert queries(short) == queries(long)


def test_staff_preview_a_draft_with_a_banner(admin_client, client):
    draft = ItemFactory(title="Unfinished note")
    tree = page(admin_client, draft.get_absolute_url())
    assert "Preview: this item is draft." in texts(tree, "//*[@class='preview-banner']")[0]
    assert tree.xpath("//meta[@name='robots']/@content") == ["noindex, nofollow"]
    assert tree.xpath("//ul[@class='downloads']") == []  # outputs carry published items only
    page(client, draft.get_absolute_url(), HTTPStatus.NOT_FOUND)


# --- collections and authorities -----------------------------------------------------------------

def test_collection_page_shows_its_parts_and_the_items_below_it(client):
    fonds = CollectionFactory(identifier="finnmark", title="Eastern Finnmark", description="Liberation and withdrawal.")
    series = CollectionFactory(identifier="photos", title="Photographs", parent=fonds)
    in_fonds, in_series = published("Note"), published("Bridge")
    in_fonds.collections.add(fonds)
    in_series.collections.add(series)
    tree = page(client, fonds.get_absolute_url())
    assert texts(tree, "//h1") == ["Eastern Finnmark"]
    assert "Liberation and withdrawal." in texts(tree, "//*[@class='lede']")[0]
    assert texts(tree, "//*[@id='children-title']/following-sibling::ul//a") == ["Photographs 1 item"]
    assert texts(tree, "//ol[@class='results']//h3") == ["Bridge", "Note"]
    assert tree.xpath("//a[contains(., 'Search and refine')]/@href") == [reverse("catalog:browse") + "?collection=finnmark"]
    series_tree = page(client, series.get_absolute_url())
    assert texts(series_tree, "//nav[@aria-label='Breadcrumb']//a") == ["Collections", "Eastern Finnmark", "Photographs"]


def test_collection_index_lists_every_collection_with_its_count(client):
    fonds = CollectionFactory(title="Eastern Finnmark")
    CollectionFactory(title="Photographs", parent=fonds)
    published().collections.add(fonds)
    tree = page(client, reverse("catalog:collections"))
    assert texts(tree, "//ul[@class='tree']/li") == ["Eastern Finnmark 1 item", "Photographs 0 items"]


def test_authority_page_shows_names_links_and_items(client):
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff", dates="1915-1999")
    VariantFactory(authority=diakonoff, label="Igor Dyakonov")
    AuthorityLink.objects.create(authority=diakonoff, source="wikidata", uri="https://www.wikidata.org/wiki/Q123")
    state(published("Note"), "creator", authority=diakonoff)
    state(published("Memoir review"), "subject", authority=diakonoff)
    tree = page(client, diakonoff.get_absolute_url())
    assert texts(tree, "//h1") == ["Igor Diakonoff"]
    assert texts(tree, "//*[@id='variants-title']/following-sibling::ul/li") == ["Igor Dyakonov"]
    assert tree.xpath("//*[@id='links-title']/following-sibling::ul//a/@href") == ["https://www.wikidata.org/wiki/Q123"]
    assert texts(tree, "//ol[@class='results']//h3") == ["Memoir review", "Note"]
    assert tree.xpath("//a[starts-with(., 'Browse as')]/@href") == [
        reverse("catalog:browse") + f"?subject={diakonoff.slug}",
        reverse("catalog:browse") + f"?agent={diakonoff.slug}",
    ]


def test_authority_page_is_counted_once_for_the_public_and_live_for_staff(client, admin_client):
    cache.clear()
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    state(published("Harbour"), "spatial", authority=kirkenes)
    assert texts(page(client, kirkenes.get_absolute_url()), "//ol[@class='results']//h3") == ["Harbour"]
    with CaptureQueriesContext(connection) as again:
        page(client, kirkenes.get_absolute_url())
    # The record, its variants and links, the catalogue state and cache reads, the page's items
    # by id and what they show; no count of the record's items, no facet query.
    assert not [q for q in again.captured_queries if "COUNT(" in q["sql"] or "DISTINCT" in q["sql"]]
    draft = state(ItemFactory(title="Bridge"), "spatial", authority=kirkenes)
    assert texts(page(admin_client, kirkenes.get_absolute_url()), "//ol[@class='results']//h3") == ["Bridge", "Harbour"]
    assert texts(page(client, kirkenes.get_absolute_url()), "//ol[@class='results']//h3") == ["Harbour"]
    draft.status = Item.PUBLISHED
    draft.save()
    assert texts(page(client, kirkenes.get_absolute_url()), "//ol[@class='results']//h3") == ["Bridge", "Harbour"]


def test_unknown_kinds_and_slugs_are_not_found(client):
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    state(published(), "spatial", authority=kirkenes)
    page(client, reverse("catalog:authority", kwargs={"kind": "agent", "slug": kirkenes.slug}), HTTPStatus.NOT_FOUND)
    page(client, reverse("catalog:collection", kwargs={"identifier": "nowhere"}), HTTPStatus.NOT_FOUND)


# --- robots, errors, escaping -----------------------------------------------------------------------

def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /items/?" in lines


def test_not_found_page_is_friendly(client):
    tree = page(client, "/items/no-such-item/", HTTPStatus.NOT_FOUND)
    assert texts(tree, "//h1") == ["We could not find that page"]
    assert tree.xpath("//form[@role='search']")


def test_server_error_page_needs_no_database_or_context(rf, django_assert_num_queries):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong on our side" in response.content.decode()


def test_values_are_escaped_everywhere(client):
    attack = "<script>alert(1)</script>"
    agent = AuthorityFactory(preferred_label=attack)
    collection = CollectionFactory(identifier="attack", title=attack, description=attack)
    item = state(state(published(attack), "creator", authority=agent), "language", attack)
    state(item, "description", f'"><img src=x onerror=alert(1)> {attack}')
    item.collections.add(collection)
    urls = [
        reverse("catalog:home"),
        reverse("catalog:browse") + f"?agent={agent.slug}&q=alert",
        reverse("catalog:browse") + f"?q={attack}",
        item.get_absolute_url(),
        collection.get_absolute_url(),
        agent.get_absolute_url(),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "<script>alert(1)" not in body, url
        assert "<img src=x" not in body, url
        tree = html.fromstring(body)
        assert not tree.xpath("//script[contains(., 'alert(1)') and not(@type='application/ld+json')]"), url
    assert attack in texts(html.fromstring(client.get(item.get_absolute_url()).content), "//h1")
