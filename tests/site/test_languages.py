"""The public site in English and Norwegian Bokmål: every page in the visitor's language, a
switcher on every page, the same permalink whatever the language, and the alternates that tell
search engines about the other languages."""
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from lxml import html

from catalog.models import Authority, Item
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db

NORWEGIAN = {"HTTP_ACCEPT_LANGUAGE": "nb-NO,nb;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


@pytest.fixture
def catalogue():
    fonds = CollectionFactory(identifier="finnmark", title="Eastern Finnmark")
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    item = ItemFactory(identifier="note-1945", title="Note on the Soviet forces", dcmi_type="Text", status=Item.PUBLISHED)
    StatementFactory(item=item, term="spatial", value="Kirkenes", authority=kirkenes)
    item.collections.add(fonds)
    return {"item": item, "collection": fonds, "place": kirkenes}


def get(client, url, headers=ENGLISH, status=HTTPStatus.OK):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    return html.fromstring(response.content)


def text(tree):
    return " ".join(tree.text_content().split())


# (page, what its English says, what its Norwegian says)
PAGES = {
    "home": (lambda c: reverse("catalog:home"), "Recently added", "Nylig lagt til"),
    "browse": (lambda c: reverse("catalog:browse"), "Browse the catalogue", "Bla i katalogen"),
    "item": (lambda c: c["item"].get_absolute_url(), "Cite this item", "Siter dette objektet"),
    "collections": (lambda c: reverse("catalog:collections"), "arranged in collections", "ordnet i samlinger"),
    "collection": (lambda c: c["collection"].get_absolute_url(), "Search and refine these items", "Søk og avgrens blant disse objektene"),
    "authority": (lambda c: c["place"].get_absolute_url(), "Browse as place", "Utforsk som sted"),
    "not found": (lambda c: "/items/no-such-item/", "We could not find that page", "Vi fant ikke den siden"),
}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_answers_a_norwegian_browser_in_norwegian_and_an_english_one_in_english(client, catalogue, name):
    url, english, norwegian = PAGES[name]
    status = HTTPStatus.NOT_FOUND if name == "not found" else HTTPStatus.OK
    in_norwegian = get(client, url(catalogue), NORWEGIAN, status)
    assert in_norwegian.xpath("/html/@lang") == ["nb"]
    assert norwegian in text(in_norwegian) and english not in text(in_norwegian)
    assert "Søk" in in_norwegian.xpath("//button[@type='submit']/text()") or name in ("home", "browse")
    in_english = get(client, url(catalogue), ENGLISH, status)
    assert in_english.xpath("/html/@lang") == ["en"]
    assert english in text(in_english) and norwegian not in text(in_english)


def test_the_facets_and_their_values_are_named_in_norwegian(client, catalogue):
    tree = get(client, reverse("catalog:browse"), NORWEGIAN)
    assert tree.xpath("//*[@id='facet-place']/text()") == ["Sted"]
    assert tree.xpath("//*[@id='facet-has_file']/text()") == ["Digital fil"]
    assert "Uten digitale filer" in tree.xpath("//section[@aria-labelledby='facet-has_file']//*[@class='facet__label']/text()")
    assert "1 objekt" in text(tree.xpath("//*[@id='results-title']")[0])
    assert [o.text for o in tree.xpath("//select[@name='sort']/option")] == ["Dato, eldste først", "Tittel, A til Å", "Nylig lagt til"]


def test_messages_about_the_browse_choices_are_in_norwegian(client, catalogue):
    tree = get(client, reverse("catalog:browse") + "?year_from=19x&type=Photo&subject=gone", NORWEGIAN)
    alert = text(tree.xpath("//*[@role='alert']")[0])
    assert "Noen av valgene dine kunne ikke brukes" in alert
    assert "Oppgi et år med fire sifre, for eksempel 1944." in alert
    assert "«Photo» er ikke en type objekt" in alert
    assert "Det finnes ikke lenger noe emne som heter «gone»" in alert


# --- the switcher -------------------------------------------------------------------------------

def switcher(tree):
    forms = tree.xpath("//form[@action=$action]", action=reverse("set_language"))
    assert len(forms) == 1, "one language switcher on the page"
    return forms[0]


@pytest.mark.parametrize("name", [n for n in PAGES if n != "not found"] + ["not found"])
def test_every_page_offers_every_language_named_in_its_own_language(client, catalogue, name):
    url, _, _ = PAGES[name]
    status = HTTPStatus.NOT_FOUND if name == "not found" else HTTPStatus.OK
    form = switcher(get(client, url(catalogue), NORWEGIAN, status))
    assert form.get("method") == "post"
    assert form.xpath(".//input[@name='csrfmiddlewaretoken']/@value")
    buttons = form.xpath(".//button[@name='language']")
    assert [(b.get("value"), b.text_content().strip(), b.get("lang")) for b in buttons] == [
        (code, name, code) for code, name in settings.LANGUAGES
    ]
    assert [b.get("value") for b in buttons if b.get("aria-current") == "true"] == ["nb"]


def test_the_switcher_comes_back_to_the_same_page_and_query_without_a_language_in_it(client, catalogue):
    form = switcher(get(client, reverse("catalog:browse") + "?q=note&lang=nb&type=Text"))
    assert form.xpath(".//input[@name='next']/@value") == [reverse("catalog:browse") + "?q=note&type=Text"]
    assert [b.get("value") for b in form.xpath(".//button[@aria-current='true']")] == ["nb"]


def test_choosing_a_language_shows_the_next_page_in_it_at_the_same_permalink(catalogue):
    browser = Client(enforce_csrf_checks=True)
    item = catalogue["item"]
    tree = get(browser, item.get_absolute_url(), ENGLISH)
    form = switcher(tree)
    data = {field.get("name"): field.get("value") for field in form.xpath(".//input")}
    answer = browser.post(form.get("action"), {**data, "language": "nb"}, follow=True, **ENGLISH)
    assert answer.status_code == HTTPStatus.OK
    assert answer.redirect_chain == [(item.get_absolute_url(), HTTPStatus.FOUND)]
    assert answer.request["PATH_INFO"] == item.get_absolute_url() and not answer.request.get("QUERY_STRING")
    again = html.fromstring(answer.content)
    assert again.xpath("/html/@lang") == ["nb"] and "Siter dette objektet" in text(again)
    # Remembered: the English browser is answered in Norwegian on every page from now on.
    assert get(browser, reverse("catalog:home"), ENGLISH).xpath("/html/@lang") == ["nb"]
    english = {**data, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value, "language": "en"}
    browser.post(form.get("action"), english, **ENGLISH)
    assert get(browser, item.get_absolute_url(), NORWEGIAN).xpath("/html/@lang") == ["en"]


# --- alternates ---------------------------------------------------------------------------------

def links(tree, rel):
    return {(link.get("hreflang"), link.get("href")) for link in tree.xpath("//head/link[@rel=$rel]", rel=rel)}


def test_the_item_page_names_its_permalink_as_canonical_and_each_language_as_an_alternate(client, catalogue):
    permalink = "http://testserver/items/note-1945/"
    tree = get(client, catalogue["item"].get_absolute_url() + "?lang=nb", ENGLISH)
    assert links(tree, "canonical") == {(None, permalink)}
    # The language alternates; the others (no hreflang) are the record in machine formats.
    assert {(lang, href) for lang, href in links(tree, "alternate") if lang} == {
        ("en", permalink + "?lang=en"), ("nb", permalink + "?lang=nb"), ("x-default", permalink),
    }
    assert tree.xpath("//a[@class='permalink']/@href") == [permalink]


@pytest.mark.parametrize("name", ["home", "browse", "collections", "collection", "authority"])
def test_every_page_names_its_plain_address_as_canonical_and_each_language_as_an_alternate(client, catalogue, name):
    url, _, _ = PAGES[name]
    plain = "http://testserver" + url(catalogue)
    tree = get(client, url(catalogue), NORWEGIAN)
    assert links(tree, "canonical") == {(None, plain)}
    assert links(tree, "alternate") == {(code, f"{plain}?lang={code}") for code, _ in settings.LANGUAGES} | {("x-default", plain)}


def test_a_browse_keeps_its_query_in_its_alternates(client, catalogue):
    tree = get(client, reverse("catalog:browse") + "?lang=en&type=Text&q=note", NORWEGIAN)
    plain = "http://testserver/items/?q=note&type=Text"
    assert links(tree, "canonical") == {(None, plain)}
    assert ("nb", plain + "&lang=nb") in links(tree, "alternate")


def test_each_alternate_answers_in_its_own_language(client, catalogue):
    tree = get(client, catalogue["item"].get_absolute_url(), ENGLISH)
    for language, href in links(tree, "alternate"):
        if language is None:
            continue  # the record in a machine format (htmlmeta.alternate_links), not a language
        # A new visitor for each: a ?lang= link is remembered (archive/language.py), so the
        # plain address after it would answer in the language remembered, not the default.
        answer = get(Client(), href, ENGLISH)
        expected = settings.LANGUAGE_CODE if language == "x-default" else language
        assert answer.xpath("/html/@lang") == [expected], href
        assert urlsplit(href).path == catalogue["item"].get_absolute_url()


def test_the_alternates_use_the_configured_base_url(client, catalogue, settings):
    settings.ARKIV_BASE_URL = "https://arkiv.example.org/"
    tree = get(client, catalogue["item"].get_absolute_url(), NORWEGIAN)
    assert ("nb", "https://arkiv.example.org/items/note-1945/?lang=nb") in links(tree, "alternate")
    assert links(tree, "canonical") == {(None, "https://arkiv.example.org/items/note-1945/")}
