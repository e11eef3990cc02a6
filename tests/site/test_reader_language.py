"""Descriptions in the visitor's language (issue 10, item 3): every public page, in English and
in Norwegian Bokmål, heads an item with its title in the visitor's language and keeps the others
as parallel titles, names linked records by their variant in that language, and writes language
names and dates in its words. Nothing is hidden: every value stays on the page."""
import json
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from lxml import html

from catalog.models import Authority, Item, Statement
from tests.factories import AuthorityFactory, ItemFactory, VariantFactory

pytestmark = pytest.mark.django_db

LANGUAGE = {"en": {"HTTP_ACCEPT_LANGUAGE": "en"}, "nb": {"HTTP_ACCEPT_LANGUAGE": "nb-NO,nb;q=0.9"}}
EN_TITLE = "Note on the Soviet forces in Eastern Finnmark"
NB_TITLE = "Notat om de sovjetiske styrkene i Øst-Finnmark"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # facet counts are cached per catalogue state, and the tests share none


def describe(item, *statements):
    for position, (term, value, lang, authority) in enumerate(statements, start=1):
        Statement.objects.create(
            item=item, term=term, value=value or authority.preferred_label, lang=lang,
            authority=authority, position=position,
        )
    item.refresh_derived()
    return item


@pytest.fixture
def army():
    army = AuthorityFactory(kind=Authority.AGENT, preferred_label="Red Army", agent_type="organisation")
    VariantFactory(authority=army, label="Den røde armé", lang="nb")
    VariantFactory(authority=army, label="Красная армия", lang="ru")
    # Another English spelling: English readers, the catalogue's own, still see the preferred label.
    VariantFactory(authority=army, label="Soviet forces", lang="en")
    return army


@pytest.fixture
def bilingual(army):
    """A note titled in English and in Norwegian, described in both."""
    item = ItemFactory(identifier="note-1945", dcmi_type="Text", status=Item.PUBLISHED, title=EN_TITLE)
    return describe(
        item,
        ("title", NB_TITLE, "nb", None),
        ("creator", "", "", army),
        ("created", "1945-09-24", "", None),
        ("description", "Signed on the eve of the Soviet departure.", "en", None),
        ("description", "Underskrevet dagen før de sovjetiske styrkene dro.", "nb", None),
        ("language", "ru", "", None),
    )


@pytest.fixture
def monolingual():
    """A photograph with one title, in English."""
    item = ItemFactory(identifier="bridge-1945", status=Item.PUBLISHED, title="Bridge across the Jakobselv")
    return describe(item, ("created", "ca. 1945", "", None))


def page(client, url, language):
    response = client.get(url, **LANGUAGE[language])
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    assert response["Content-Language"] == language
    return html.fromstring(response.content)


def texts(tree, xpath):
    return [" ".join(element.text_content().split()) for element in tree.xpath(xpath)]


def rows(tree):
    """The item page's description as (label, [values]) pairs."""
    return [(texts(row, "dt")[0], texts(row, "dd")) for row in tree.xpath("//div[@class='description__row']")]


def jsonld(tree):
    return json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])


# --- the item page ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "language, heading, heading_lang, parallel_label, parallel",
    [
        ("en", EN_TITLE, "en", "Parallel title", NB_TITLE),
        ("nb", NB_TITLE, "nb", "Parallelltittel", EN_TITLE),
    ],
)
def test_the_item_page_is_headed_by_the_title_in_the_visitors_language(
    client, bilingual, language, heading, heading_lang, parallel_label, parallel,
):
    tree = page(client, bilingual.get_absolute_url(), language)
    assert texts(tree, "//h1") == [heading]
    assert tree.xpath("//h1/@lang") == [heading_lang]
    assert tree.findtext(".//title").startswith(f"{heading} · ")
    assert texts(tree, "//nav[@class='breadcrumbs']//li[last()]") == [heading]
    # The other title stays on the page, as a parallel title in its own language.
    assert (parallel_label, [parallel]) in rows(tree)
    assert tree.xpath(f"//dd[.='{parallel}']/@lang") == ["nb" if language == "en" else "en"]
    assert tree.xpath("//meta[@name='description']/@content") == [
        "Signed on the eve of the Soviet departure." if language == "en"
        else "Underskrevet dagen før de sovjetiske styrkene dro."
    ]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_an_item_with_one_title_is_headed_by_it_in_both_languages(client, monolingual, language):
    tree = page(client, monolingual.get_absolute_url(), language)
    assert texts(tree, "//h1") == ["Bridge across the Jakobselv"]
    assert tree.findtext(".//title").startswith("Bridge across the Jakobselv · ")
    assert not [label for label, _ in rows(tree) if label in ("Parallel title", "Parallelltittel")]


@pytest.mark.parametrize("language, title", [("en", EN_TITLE), ("nb", NB_TITLE)])
def test_browse_cards_show_the_title_in_the_visitors_language(client, bilingual, monolingual, language, title):
    tree = page(client, reverse("catalog:browse"), language)
    assert sorted(texts(tree, "//*[@class='card__title']")) == sorted([title, "Bridge across the Jakobselv"])
    assert tree.xpath(f"//*[@class='card__title']/a[.='{title}']/@lang") == [language]


@pytest.mark.parametrize(
    "language, title, date, creator",
    [("en", EN_TITLE, "September 24, 1945", "Red Army"), ("nb", NB_TITLE, "24. september 1945", "Den røde armé")],
)
def test_the_citation_cites_the_title_date_and_names_in_the_visitors_language(
    client, bilingual, language, title, date, creator,
):
    tree = page(client, bilingual.get_absolute_url(), language)
    citation = texts(tree, "//p[@class='citation']")[0]
    quoted = f"«{title}»." if language == "nb" else f"“{title}.”"  # Norwegian quotes with « »
    assert citation.startswith(f"{creator}. {quoted} {date}. note-1945.")
    ris = client.get(reverse("catalog:item-ris", args=["note-1945"]), **LANGUAGE[language]).content.decode()
    assert f"TI  - {title}\r\n" in ris and f"AU  - {creator}\r\n" in ris
    bibtex = client.get(reverse("catalog:item-bibtex", args=["note-1945"]), **LANGUAGE[language]).content.decode()
    assert f"title = {{{{{title}}}}}" in bibtex


@pytest.mark.parametrize("language, first, second", [("en", ("en", EN_TITLE), ("nb", NB_TITLE)), ("nb", ("nb", NB_TITLE), ("en", EN_TITLE))])
def test_json_ld_names_the_item_in_the_visitors_language_first(client, bilingual, language, first, second):
    document = jsonld(page(client, bilingual.get_absolute_url(), language))
    assert document["name"] == [
        {"@value": first[1], "@language": first[0]}, {"@value": second[1], "@language": second[0]},
    ]
    assert "alternateName" not in document
    assert document["description"][0]["@language"] == language


def test_json_ld_of_an_item_with_one_title_names_it_with_its_language(client, monolingual):
    for language in ("en", "nb"):
        document = jsonld(page(client, monolingual.get_absolute_url(), language))
        assert document["name"] == {"@value": "Bridge across the Jakobselv", "@language": "en"}


@pytest.mark.parametrize("language, title", [("en", EN_TITLE), ("nb", NB_TITLE)])
def test_link_previews_and_dublin_core_put_the_visitors_language_first(client, bilingual, language, title):
    tree = page(client, bilingual.get_absolute_url(), language)
    assert tree.xpath("//meta[@property='og:title']/@content") == [title]
    titles = tree.xpath("//meta[@name='DC.title']")
    assert [(t.get("content"), t.get("lang")) for t in titles][0] == (title, language)
    assert len(titles) == 2  # both titles, each with its language


# --- authority records -----------------------------------------------------------------------------

def test_a_record_is_named_by_its_norwegian_variant_for_a_norwegian_visitor(client, bilingual, army):
    record = army.get_absolute_url()
    norwegian = page(client, record, "nb")
    assert texts(norwegian, "//h1") == ["Den røde armé"] and norwegian.xpath("//h1/@lang") == ["nb"]
    assert norwegian.findtext(".//title").startswith("Den røde armé · ")
    # The preferred label is not hidden: it leads the other names, which all stay.
    assert texts(norwegian, "//section[@aria-labelledby='variants-title']//li") == ["Red Army", "Soviet forces", "Красная армия"]
    english = page(client, record, "en")
    assert texts(english, "//h1") == ["Red Army"] and not english.xpath("//h1/@lang")
    assert texts(english, "//section[@aria-labelledby='variants-title']//li") == ["Den røde armé", "Soviet forces", "Красная армия"]

    item = page(client, bilingual.get_absolute_url(), "nb")
    assert item.xpath(f"//dd/a[@href='{record}']/text()") == ["Den røde armé"]
    assert item.xpath(f"//dd[a/@href='{record}']/@lang") == ["nb"]
    assert page(client, bilingual.get_absolute_url(), "en").xpath(f"//dd/a[@href='{record}']/text()") == ["Red Army"]


@pytest.mark.parametrize("language, name", [("en", "Red Army"), ("nb", "Den røde armé")])
def test_facets_and_chips_name_a_record_in_the_visitors_language_and_count_the_record(
    client, bilingual, army, language, name,
):
    other = ItemFactory(status=Item.PUBLISHED, title="Soldiers in Kirkenes")
    describe(other, ("creator", "Красная армия", "ru", army))  # another spelling, the same record
    tree = page(client, reverse("catalog:browse"), language)
    agents = tree.xpath("//section[@aria-labelledby='facet-agent']//a")
    assert [(texts(a, ".//*[@class='facet__label']"), texts(a, ".//*[@class='facet__count']")[0].split()[0]) for a in agents] == [([name], "2")]
    chosen = page(client, reverse("catalog:browse") + f"?agent={army.slug}", language)
    assert [" ".join(c.xpath("text()")).strip() for c in chosen.xpath("//a[@class='chip']")] == [name]


# --- language names and dates ---------------------------------------------------------------------

@pytest.mark.parametrize("language, name", [("en", "Russian"), ("nb", "russisk")])
def test_languages_are_named_in_the_visitors_language(client, bilingual, language, name):
    item = page(client, bilingual.get_absolute_url(), language)
    assert item.xpath("//dd/a[contains(@href, 'language=ru')]/text()") == [name]
    browse = page(client, reverse("catalog:browse"), language)
    assert texts(browse, "//section[@aria-labelledby='facet-language']//*[@class='facet__label']") == [name]


@pytest.mark.parametrize(
    "language, day, circa, decade",
    [("en", "24 September 1945", "circa 1945", "1940s"), ("nb", "24. september 1945", "ca. 1945", "1940-tallet")],
)
def test_dates_are_written_in_the_visitors_words(client, bilingual, monolingual, language, day, circa, decade):
    item = page(client, bilingual.get_absolute_url(), language)
    assert texts(item, "//p[@class='eyebrow']")[0].endswith(f"· {day}")
    assert item.xpath("//dd/a[contains(@href, 'decade=1940')]/text()") == [day]
    browse = page(client, reverse("catalog:browse"), language)
    # Each card's meta: the type, a separator (shown, or a comma for screen readers), the date.
    assert sorted(meta.split("·")[-1].strip(" ,") for meta in texts(browse, "//*[@class='card__meta']")) == sorted([day, circa])
    assert texts(browse, "//section[@aria-labelledby='facet-decade']//*[@class='facet__label']") == [decade]
    chosen = page(client, reverse("catalog:browse") + "?decade=1940", language)
    assert [" ".join(c.xpath("text()")).strip() for c in chosen.xpath("//a[@class='chip']")] == [decade]


@pytest.mark.parametrize(
    "written, english, norwegian",
    [("1944/..", "1944–", "1944–"), ("../1945-05", "–May 1945", "–mai 1945"), ("udatert", "undated", "udatert")],
)
def test_open_and_undated_dates_are_written_in_the_visitors_words(client, written, english, norwegian):
    item = describe(ItemFactory(status=Item.PUBLISHED), ("created", written, "", None))
    for language, shown in (("en", english), ("nb", norwegian)):
        tree = page(client, item.get_absolute_url(), language)
        assert texts(tree, "//p[@class='eyebrow']")[0].endswith(f"· {shown}")
        assert texts(tree, "//section[@aria-labelledby='group-when']//dd") == [shown]


# --- the demo catalogue ----------------------------------------------------------------------------

def test_a_norwegian_visitor_finds_the_note_headed_in_norwegian(client):
    call_command("load_demo", verbosity=0, stdout=StringIO())
    note = reverse("catalog:item", args=["finnmark-1945-note-0924"])
    norwegian = page(client, note, "nb")
    assert texts(norwegian, "//h1") == [NB_TITLE]
    assert texts(norwegian, "//p[@class='eyebrow']")[0].endswith("· 24. september 1945")
    assert ("Parallelltittel", [EN_TITLE]) in rows(norwegian)
    english = page(client, note, "en")
    assert texts(english, "//h1") == [EN_TITLE]
    assert ("Parallel title", [NB_TITLE]) in rows(english)
