"""An item's description as <link> and <meta> elements for the <head> of its page.

Two vocabularies, for two kinds of reader:
- Dublin Core, as the DCMI Recommendation "Expressing Dublin Core metadata using HTML/XHTML meta
  and link elements" (DC-HTML, 2008-08-04) writes it: `<link rel="schema.DC">` and
  `<link rel="schema.DCTERMS">` declare the prefixes; each statement becomes one
  `<meta name="DC.title">` (the fifteen elements) or `<meta name="DCTERMS.created">` (every other
  DCMI term: DC-HTML names the property itself, and dumbing down is the reader's business);
  `lang` carries the value's language and `scheme` its encoding scheme (DCTERMS.W3CDTF,
  DCTERMS.DCMIType, DCTERMS.RFC5646, DCTERMS.IMT, DCTERMS.URI) where the value conforms to it.
- Open Graph (og:title, og:description, og:image, og:url, og:type), read by link previews.
- Highwire Press `citation_*` tags, read by Google Scholar and reference managers (Zotero,
  Mendeley), as Scholar's inclusion guidelines ask: citation_title, one citation_author per
  creator (a person inverted, "Surname, Given"), citation_publication_date and citation_date as
  Scholar reads dates ("1945/09/24" for a day stated plainly, else the year alone),
  citation_publisher, citation_language, citation_keywords, and citation_pdf_url (each PDF a
  visitor may download, by the file visibility rule the page itself uses: DigitalFile.downloadable)
  and citation_fulltext_html_url (the page itself, where it shows the item's full text). Only on
  the page of a public item: a staff preview of a draft must not be cited.
- `<link rel="alternate">` to the item's record in each machine format: its GetRecord at the
  OAI-PMH endpoint in every format the registry offers for it (catalog/oai/formats: oai_dc, qdc,
  and edm where the item meets its condition) and its JSON-LD. Only for a public item, as those
  outputs serve no other.

The reader's language comes first: Open Graph's title and description are the item's in the
language of the request (catalog/languages.py), and among the Dublin Core values of one term
those in that language come first (readers that take one DC.title take the first); every value
is still written, with its own `lang`.

API (pure: nothing is queried beyond what `Item.objects.with_description()` prefetched, except
one query for each format that serves only some items, in alternate_links):

    head_tags(item, *, base_url) -> list[Tag]          Dublin Core and Open Graph
    citation_tags(item, *, base_url) -> list[Tag]      Highwire citation_* ([] unless public)
    alternate_links(item, *, base_url) -> list[Tag]    the machine formats ([] unless public)

`base_url` is the site's absolute root, `settings.ARKIV_BASE_URL or request.build_absolute_uri("/")`.
Each Tag is a tag name and its attributes, in order; the template writes them with autoescape on,
so no value is ever pasted into HTML unescaped:

    {% for tag in head_tags %}<{{ tag.name }}{% for attr, value in tag.attrs %} {{ attr }}="{{ value }}"{% endfor %}>
    {% endfor %}
"""
import re
from typing import NamedTuple
from urllib.parse import urlencode, urljoin

import langcodes
from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from .. import dublincore, languages
# The site links the OAI endpoint by URL; it asks the format registry (as the exports do) only
# which formats exist, so that an alternate is never written for a format the endpoint refuses.
from ..oai import formats as oai_formats
from ..oai.identify import oai_identifier
from . import citations

SCHEMAS = (("schema.DC", dublincore.NS_DC), ("schema.DCTERMS", dublincore.NS_DCTERMS))

DATE_VALUED = frozenset(term for term, element in dublincore.ELEMENT_OF.items() if element == "date")
URI_VALUED = frozenset(
    term for term, element in dublincore.ELEMENT_OF.items()
    if element in {"identifier", "relation", "source"} or term in {"license", "conformsTo"}
)

# W3CDTF (the W3C profile of ISO 8601): a year, year-month, date, or date and time with a zone.
W3CDTF = re.compile(
    r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
    r"(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?)?)?$"
)
MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9!#$&^_.+-]*$", re.IGNORECASE)
URI = re.compile(r"^(https?|urn|doi|info|ark):\S+$", re.IGNORECASE)

PDF = "application/pdf"

# The machine formats' names, for the title of their <link rel="alternate">; a format the registry
# gains later is named by its prefix until it is given one here.
FORMAT_TITLES = {
    "oai_dc": "Dublin Core (oai_dc)",
    "qdc": "Qualified Dublin Core (qdc)",
    "edm": "Europeana Data Model (edm)",
}
OAI_MEDIA_TYPE = "text/xml"  # what the endpoint answers with
JSONLD_MEDIA_TYPE = "application/ld+json"

# Open Graph shows the start of the description in link previews; longer text is cut at a word.
OG_DESCRIPTION_CHARS = 300


class Entry(NamedTuple):
    term: str
    value: str
    lang: str = ""


class Tag(NamedTuple):
    name: str
    attrs: tuple  # (attribute, value) pairs, in the order they are written


def head_tags(item, *, base_url):
    """<link> and <meta> elements describing `item` in Dublin Core and Open Graph."""
    return [*dublin_core_tags(item, base_url=base_url), *open_graph_tags(item, base_url=base_url)]


def dublin_core_tags(item, *, base_url):
    entries = [
        Entry(s.term, s.display_value, s.lang) for s in item.statements.all() if s.display_value.strip()
    ]
    # The item's DCMI type and identifiers are fields, not statements, but belong to its description.
    if item.dcmi_type and ("type", item.dcmi_type) not in {(e.term, e.value) for e in entries}:
        entries.append(Entry("type", item.dcmi_type))
    entries.append(Entry("identifier", item.identifier))
    entries.append(Entry("identifier", _absolute(base_url, item.get_absolute_url())))
    language = get_language()
    return [
        *(_tag("link", rel=rel, href=href) for rel, href in SCHEMAS),
        *(
            _tag("meta", name=_property(e.term), content=e.value, lang=e.lang,
                 scheme=_scheme(e.term, e.value))
            for e in sorted(entries, key=lambda e: (*_in_dcmes_order(e), not languages.matches(e.lang, language)))
        ),
    ]


def open_graph_tags(item, *, base_url):
    language = get_language()
    title = languages.item_title(item, language).text
    tags = [
        _tag("meta", property="og:type", content="website"),
        _tag("meta", property="og:title", content=title),
        _tag("meta", property="og:url", content=_absolute(base_url, item.get_absolute_url())),
        _tag("meta", property="og:site_name", content=settings.ARKIV_REPOSITORY_NAME),
    ]
    description = languages.item_description(item, language)
    if description:
        summary = Truncator(" ".join(description.split())).chars(OG_DESCRIPTION_CHARS)
        tags.append(_tag("meta", property="og:description", content=summary))
    image = next((f.public_image_url for f in item.files.all() if f.public_image), None)
    if image:
        tags.append(_tag("meta", property="og:image", content=_absolute(base_url, image)))
        tags.append(_tag("meta", property="og:image:alt", content=title))
    return tags


def citation_tags(item, *, base_url):
    """Highwire Press citation_* tags for a public item (Google Scholar's inclusion guidelines)."""
    if not item.is_public:
        return []
    ref = citations.reference(item, base_url=base_url)
    page = _absolute(base_url, item.get_absolute_url())
    tags = [_tag("meta", name="citation_title", content=ref.title)]
    tags += [_tag("meta", name="citation_author", content=name.inverted()) for name in ref.creators]
    day = scholar_date(ref)
    if day:
        tags.append(_tag("meta", name="citation_publication_date", content=day))
        tags.append(_tag("meta", name="citation_date", content=day))
    tags += [_tag("meta", name="citation_publisher", content=name) for name in ref.publishers]
    tags += [_tag("meta", name="citation_language", content=code) for code in ref.languages]
    if ref.subjects:
        tags.append(_tag("meta", name="citation_keywords", content="; ".join(ref.subjects)))
    tags += [
        _tag("meta", name="citation_pdf_url", content=_absolute(base_url, f.url("original")))
        for f in item.files.all() if f.mime_type == PDF and f.downloadable
    ]
    if item.full_text.strip():
        tags.append(_tag("meta", name="citation_fulltext_html_url", content=page))
    return tags


def scholar_date(ref):
    """The date as Google Scholar reads it: "1945/09/24" for a day stated plainly, else the year
    (the earliest of a range or an approximate date: Scholar takes no ranges); None if undated."""
    exact = ref.exact_date
    if exact and exact.count("-") == 2:
        return exact.replace("-", "/")
    return f"{ref.date_range.earliest.year:04d}" if ref.date_range else None


def alternate_links(item, *, base_url):
    """<link rel="alternate"> to the item's record in each machine format, for a public item."""
    if not item.is_public:
        return []
    endpoint = _absolute(base_url, reverse("oai"))
    identifier = oai_identifier(item.identifier)
    links = [
        _tag(
            "link", rel="alternate", type=OAI_MEDIA_TYPE,
            title=FORMAT_TITLES.get(f.prefix, f.prefix),
            href=f"{endpoint}?{urlencode({'verb': 'GetRecord', 'metadataPrefix': f.prefix, 'identifier': identifier})}",
        )
        for f in sorted(oai_formats.all_formats(), key=_format_order) if _serves(f, item)
    ]
    links.append(_tag(
        "link", rel="alternate", type=JSONLD_MEDIA_TYPE, title=gettext("JSON-LD (schema.org)"),
        href=_absolute(base_url, reverse("catalog:item-jsonld", kwargs={"identifier": item.identifier})),
    ))
    return links


def _serves(metadata_format, item):
    """Whether the endpoint gives this item's record in the format: a format that describes only
    some items (EDM leaves out what Europeana would reject) says which by a condition on Item,
    asked here in one query; the others serve every public item."""
    condition = metadata_format.condition() if getattr(metadata_format, "admits", None) else None
    if condition is None:
        return True
    return type(item).objects.filter(pk=item.pk).filter(condition).exists()


def _format_order(metadata_format):
    """oai_dc (which every harvester takes) first, then the others as FORMAT_TITLES names them."""
    known = list(FORMAT_TITLES)
    prefix = metadata_format.prefix
    return (known.index(prefix) if prefix in known else len(known), prefix)


def _in_dcmes_order(entry):
    """Sort key: the fifteen elements in DCMES order, each followed by its refinements; terms
    refining none come last. The sort is stable, so each group keeps the catalogue's order."""
    element = dublincore.element_of(entry.term)
    rank = dublincore.ELEMENTS.index(element) if element else len(dublincore.ELEMENTS)
    return rank, not dublincore.is_element(entry.term)


def _property(term):
    return f"DC.{term}" if dublincore.is_element(term) else f"DCTERMS.{term}"


def _scheme(term, value):
    """The syntax encoding scheme `value` conforms to, if the term admits one; never guessed
    from a value that does not conform (a "circa 1945" is not W3CDTF)."""
    value = value.strip()
    if term in DATE_VALUED and W3CDTF.match(value):
        return "DCTERMS.W3CDTF"
    if term == "type" and value in dublincore.DCMI_TYPES:
        return "DCTERMS.DCMIType"
    if term == "language" and langcodes.tag_is_valid(value):
        return "DCTERMS.RFC5646"
    if term in {"format", "medium"} and MEDIA_TYPE.match(value):
        return "DCTERMS.IMT"
    if term in URI_VALUED and URI.match(value):
        return "DCTERMS.URI"
    return ""


def _tag(element, **attrs):
    # Empty attributes are left out: an absent lang means "not stated", not "no language".
    return Tag(element, tuple((attr, value) for attr, value in attrs.items() if value))


def _absolute(base_url, path):
    return urljoin(base_url, path)
