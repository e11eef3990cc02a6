"""Complete or failing: no public page shows a Norwegian visitor interface text in English.

Every public page is rendered in English and in Norwegian Bokmål against a catalogue whose data
can be told apart from the interface: every word the catalogue holds contains the marker "Zq".
What is left of a page's text once the data, numbers, addresses and punctuation are taken out is
its interface text. A piece of interface text that reads the same in both languages was never
translated (hard-coded in a template or view, marked but missing from the .po file, or computed
once in English and reused), unless the Norwegian translation deliberately says the same
("Type") or it is a name (OAI-PMH, BibTeX, the languages named in their own language). A second
check looks for the English source of any translated string in the Norwegian pages.

The failure lists each string found, with the page that shows it.
"""
import re
from http import HTTPStatus

import polib
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from lxml import html

from catalog import busy
from catalog.models import Authority, AuthorityLink, Item, Level, Statement
from tests.factories import (
    AuthorityFactory, CollectionFactory, DigitalFileFactory, ItemFactory, StatementFactory, VariantFactory,
)

pytestmark = pytest.mark.django_db

MARK = "zq"
LANGUAGE_HEADERS = {"en": "en-GB,en;q=0.9", "nb": "nb-NO,nb;q=0.9"}
# Names that every language writes the same way.
NAMES = re.compile(
    r"(?<!\w)(Arkiv|OAI-PMH|JSON-LD|BibTeX|RIS|Dublin Core|CSV|XML|oai_dc|schema\.org|WGS 84|"
    r"Wikidata|VIAF|GeoNames|UTF-8)(?!\w)"
)
WEB_ADDRESS = re.compile(r"^(https?://|/)\S*$")
MEDIA_TYPE = re.compile(r"\b(image|text|application|audio|video)/[\w.+-]+")
NOT_WORDS = re.compile(r"[\W\d_]+")
# Where a page says things in attributes rather than in text.
SAID_IN = ("alt", "title", "aria-label", "placeholder")


def zq(*words):
    """A catalogue value: every word marked."""
    return " ".join(f"Zq{word}" for word in words)


# --- the catalogue --------------------------------------------------------------------------------

@pytest.fixture
def catalogue(settings):
    """Every kind of page the public site has, each with everything it can show."""
    settings.ARKIV_REPOSITORY_NAME = zq("county", "archive")
    settings.ARKIV_BROWSE_PAGE_SIZE = 3  # pagination on browse, collection and authority pages
    settings.ARKIV_MAX_FACET_VALUES = 2  # the notice of values left out
    fonds = CollectionFactory(identifier="zq-fonds", title=zq("eastern", "finnmark"), description=zq("liberation", "and", "withdrawal"))
    series = CollectionFactory(identifier="zq-series", title=zq("photographs"), parent=fonds, description=zq("prints"))
    CollectionFactory(identifier="zq-empty", title=zq("empty"), parent=fonds)
    person = AuthorityFactory(preferred_label=zq("igor", "diakonoff"), agent_type="person", dates="1915-1999", note=zq("orientalist"))
    VariantFactory(authority=person, label=zq("igor", "dyakonov"), lang="ru")
    AuthorityLink.objects.create(authority=person, source="wikidata", uri="https://www.wikidata.org/wiki/Q1")
    organisation = AuthorityFactory(preferred_label=zq("national", "archives"), agent_type="organisation")
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label=zq("kirkenes"), latitude="69.727100", longitude="30.045000")
    AuthorityLink.objects.create(authority=place, source="geonames", uri="https://www.geonames.org/779683")
    concepts = [AuthorityFactory(kind=Authority.CONCEPT, preferred_label=zq("subject", f"n{n}")) for n in range(10)]

    items = []
    for n, dcmi_type in enumerate(["Text", "StillImage", "Sound", "MovingImage", "Dataset", "Text", "StillImage"]):
        item = ItemFactory(identifier=f"zq-item-{n}", title=zq("note", f"n{n}"), dcmi_type=dcmi_type, status=Item.PUBLISHED)
        statements = [
            ("alternative", zq("notat", f"n{n}"), "nb", None),
            ("creator", "", "", person),
            ("contributor", zq("captain", "karlsen"), "", None),
            ("publisher", "", "", organisation),
            ("created", f"1945-09-{n + 10}", "", None),
            ("type", zq("note"), "en", None),
            ("description", zq("signed", "statement", "about", "the", "forces"), "en", None),
            ("abstract", zq("summary"), "en", None),
            ("format", zq("paper"), "", None),
            ("extent", zq("two", "pages"), "", None),
            ("language", "nb", "", None),
            ("spatial", "", "", place),
            ("rights", zq("public", "domain"), "", None),
            ("rightsHolder", "", "", organisation),
            ("identifier", f"zq-ref-{n}", "", None),
            ("source", zq("letter", "book"), "", None),
            ("relation", "https://example.org/zq-related", "", None),
            ("provenance", zq("digitised", "in", "2015"), "en", None),
            *[("subject", "", "", concept) for concept in concepts],
        ]
        for position, (term, value, lang, authority) in enumerate(statements, start=2):
            Statement.objects.create(
                item=item, term=term, value=value or authority.preferred_label, lang=lang,
                authority=authority, position=position,
            )
        item.collections.add(series if n % 2 else fonds)
        items.append(item)
    Item.objects.filter(pk=items[0].pk).update(full_text=zq("the", "whole", "text"))
    image = DigitalFileFactory(item=items[1], label=zq("recto"), original_public=True)
    image.display.save("display/zq-recto.jpg", ContentFile(b"jpeg"), save=True)
    DigitalFileFactory(
        item=items[2], label=zq("recording"), original_public=True, mime_type="audio/mpeg",
        file=ContentFile(b"ID3", name="zq.mp3"),
        width=None, height=None,
    )
    draft = ItemFactory(identifier="zq-draft", title=zq("unfinished"), dcmi_type="Text")
    StatementFactory(item=draft, term="created", value="1944/..")
    arranged(settings)
    return {
        "item": items[0], "image": items[1], "sound": items[2], "draft": draft,
        "fonds": fonds, "series": series, "empty": "/collections/zq-empty/",
        "person": person, "place": place, "concept": concepts[0],
    }


def pages(c):
    browse = "/items/"
    return [
        "/",
        browse,
        browse + "?page=2",
        browse + "?q=zqnote",
        browse + "?q=zqnothing",
        browse + f"?type=Text&decade=1940&has_file=false&year_from=1900&year_to=2000&place={c['place'].slug}"
                 f"&agent={c['person'].slug}&subject={c['concept'].slug}&language=nb&collection=zq-fonds&q=zqnote",
        browse + "?type=Photo&year_from=19x&decade=1945&subject=gone&sort=bogus&type=Text&type=Sound&type=Dataset&sort=date",
        browse + "?year_from=2000&year_to=1900&has_file=true&language=zz",
        browse + "?sort=date",
        c["item"].get_absolute_url(),
        c["image"].get_absolute_url(),
        c["sound"].get_absolute_url(),
        "/collections/",
        c["fonds"].get_absolute_url(),
        c["fonds"].get_absolute_url() + "?page=2",
        c["series"].get_absolute_url(),
        c["empty"],
        c["person"].get_absolute_url(),
        c["place"].get_absolute_url(),
        c["concept"].get_absolute_url(),
        "/items/zq-no-such-item/",
        "/collections/zq-nowhere/",
        *ARRANGED_PAGES,
    ]


def arranged(settings):
    """A fonds > series (four files: two pages) > file > items, with a system of arrangement, and
    reference codes made of marked country and repository codes (they are data)."""
    settings.ARKIV_COUNTRY_CODE, settings.ARKIV_REPOSITORY_CODE = "ZQNO", "ZQARKIV"
    settings.ARKIV_PRINTABLE_UNITS = 4  # the note that the printable finding aid stops

    def unit(identifier, parent, level, *words):
        made = ItemFactory(identifier=identifier, title=zq(*words), dcmi_type="Text", status=Item.PUBLISHED)
        made.parent, made.level = parent, Level.objects.get(code=level)
        made.save()
        StatementFactory(item=made, term="created", value="1945")
        return made

    top = unit("zq-unit-fonds", None, "fonds", "society", "archive")
    Item.objects.filter(pk=top.pk).update(arrangement=zq("chronological"))
    series = unit("zq-unit-series", top, "series", "letters")
    for n in range(4):
        file = unit(f"zq-unit-file-{n}", series, "file", "file", f"n{n}")
    for n in range(2):
        unit(f"zq-unit-item-{n}", file, "item", "letter", f"n{n}")


ARRANGED_PAGES = [
    "/items/zq-unit-fonds/",
    "/items/zq-unit-fonds/?open=zq-unit-series&open=zq-unit-file-3",
    "/items/zq-unit-series/?page=2",
    "/items/zq-unit-item-1/",
    "/items/zq-unit-fonds/finding-aid/",
    "/items/?within=zq-unit-fonds&level=file",
    "/items/?within=zq-unknown-unit&level=zqshelf",
]


# --- reading a page -------------------------------------------------------------------------------

def said(body):
    """Every piece of text a visitor (or a screen reader, or a search result) meets on the page."""
    tree = html.fromstring(body)
    pieces = [tree.findtext(".//head/title") or ""]
    pieces += tree.xpath("//head/meta[@name='description']/@content")
    for element in tree.xpath("//body//*"):
        if element.tag in ("script", "style") or not isinstance(element.tag, str):
            pieces.append(element.tail or "")
            continue
        pieces += [element.text or "", element.tail or ""]
        pieces += [element.get(name) for name in SAID_IN if element.get(name)]
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            pieces.append(element.get("value") or "")
    return [" ".join(piece.split()) for piece in pieces if piece and piece.strip()]


def interface(piece):
    """What is left of a piece of text without the catalogue's data, names, numbers and addresses."""
    words = [word for word in piece.split() if MARK not in word.lower() and not WEB_ADDRESS.match(word)]
    text = MEDIA_TYPE.sub(" ", NAMES.sub(" ", " ".join(words)))
    for _code, name in settings.LANGUAGES:  # the switcher names each language in its own language
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
    return " ".join(NOT_WORDS.sub(" ", text).split())


def the_same_on_purpose():
    """Interface text whose Norwegian translation is the English word itself ("Type")."""
    po = polib.pofile(str(settings.LOCALE_PATHS[0] / "nb" / "LC_MESSAGES" / "django.po"))
    same = set()
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation_ in translations:
            if interface(translation_) and interface(translation_) in (interface(entry.msgid), interface(entry.msgid_plural or "")):
                same.add(interface(translation_))
    return same


def english_sources():
    """The English source of every string whose Norwegian translation differs, as a visitor
    would read it: only whole strings of two words or more without placeholders, which no
    Norwegian sentence contains by chance."""
    po = polib.pofile(str(settings.LOCALE_PATHS[0] / "nb" / "LC_MESSAGES" / "django.po"))
    sources = set()
    for entry in po.translated_entries():
        if entry.msgid_plural or re.search(r"%|\{", entry.msgid) or entry.msgstr == entry.msgid:
            continue
        text = " ".join(entry.msgid.split())
        # Counted as the page is read (interface()): "CSV import" is the one word "import"
        # there, which Norwegian shares.
        if len(re.findall(r"[A-Za-z]+", interface(text))) >= 2:
            sources.add(text)
    return sources


def render(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=LANGUAGE_HEADERS[language])
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND), (url, response.status_code)
    assert response["Content-Language"] == language, url
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def error_pages(language, rf):
    """The pages Django renders when a view fails (500) and the database is busy (503)."""
    from django.views.defaults import server_error

    with translation.override(language):
        return {
            "500": server_error(rf.get("/")).content.decode(),
            "503": busy.busy_response(rf.get("/items/")).content.decode(),
        }


def untranslated(renders):
    """(page, text) of interface text that reads the same in English and Norwegian."""
    allowed = the_same_on_purpose()
    found = []
    for page, (english, norwegian) in renders.items():
        in_english = {interface(piece) for piece in said(english)}
        for piece in said(norwegian):
            text = interface(piece)
            if text and text in in_english and text not in allowed:
                found.append((page, text, piece))
    return found


def english_in(renders):
    """(page, English source) of translated strings that a Norwegian page shows in English."""
    sources = english_sources()
    found = []
    for page, (_english, norwegian) in renders.items():
        text = " ".join(interface(piece) for piece in said(norwegian))
        found += [(page, source) for source in sources if re.search(rf"(?<!\w){re.escape(interface(source))}(?!\w)", text)]
    return found


def report(found):
    """One line a string: the text, the piece of the page it was in, and where it was seen."""
    seen = {}
    for page, text, piece in found:
        entry = seen.setdefault(text, {"piece": piece, "pages": []})
        if page not in entry["pages"]:
            entry["pages"].append(page)
    lines = []
    for text, entry in seen.items():
        more = len(entry["pages"]) - 1
        where = entry["pages"][0] + (f" and {more} more page{'s' if more > 1 else ''}" if more else "")
        inside = f" (in {entry['piece']!r})" if entry["piece"] != text else ""
        lines.append(f"  {text!r}{inside} on {where}")
    return "\n".join(lines)


# --- the checks ---------------------------------------------------------------------------------

@pytest.fixture
def renders(client, admin_client, catalogue, rf):
    pairs = {url: (render(client, url, "en"), render(client, url, "nb")) for url in pages(catalogue)}
    # A signed-in archivist's preview of a draft, with its banner.
    staff = catalogue["draft"].get_absolute_url() + " (staff preview)"
    pairs[staff] = tuple(render(admin_client, catalogue["draft"].get_absolute_url(), language) for language in ("en", "nb"))
    english, norwegian = error_pages("en", rf), error_pages("nb", rf)
    pairs |= {name: (english[name], norwegian[name]) for name in english}
    return pairs


def test_no_public_page_shows_a_norwegian_visitor_english_interface_text(renders):
    found = untranslated(renders)
    assert not found, (
        f"{len({text for _, text, _ in found})} pieces of interface text read the same in English and Norwegian: mark them for "
        f"translation ({{% translate %}}, gettext) and translate them in the nb .po file:\n{report(found)}"
    )


def test_no_public_page_shows_a_norwegian_visitor_the_english_source_of_a_translated_string(renders):
    found = english_in(renders)
    assert not found, "Norwegian pages show English source strings:\n" + "\n".join(f"  {p}: {s!r}" for p, s in found)


def test_an_empty_catalogue_is_explained_in_norwegian(client, settings, rf):
    settings.ARKIV_REPOSITORY_NAME = zq("county", "archive")
    renders = {url: (render(client, url, "en"), render(client, url, "nb")) for url in ("/", "/items/", "/collections/")}
    found = untranslated(renders) + [(p, s, s) for p, s in english_in(renders)]
    assert not found, f"Untranslated on the pages of an empty catalogue:\n{report(found)}"


def test_the_check_finds_interface_text_left_in_english(catalogue, client):
    """The check itself: a page with one hard-coded English sentence fails it."""
    page = catalogue["item"].get_absolute_url()
    english, norwegian = render(client, page, "en"), render(client, page, "nb")
    planted = norwegian.replace("</main>", "<p>Ask the archivist</p></main>")
    assert ("p", "Ask the archivist", "Ask the archivist") in untranslated({"p": (english.replace("</main>", "<p>Ask the archivist</p></main>"), planted)})
    assert interface("Zqnote Zqn0 · 1945-09-10 · image/png, 48 bytes https://x.org/zq") == "bytes"


def test_every_page_of_the_check_is_answered(client, catalogue):
    for url in pages(catalogue):
        status = client.get(url).status_code
        expected = HTTPStatus.NOT_FOUND if "nowhere" in url or "no-such" in url else HTTPStatus.OK
        assert status == expected, url
