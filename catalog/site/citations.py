"""How to cite an item: a plain-text citation, and RIS and BibTeX records for reference managers.

The plain-text citation follows the Chicago Manual of Style (17th edition), bibliography form for
an archival item: creators (the first inverted), “Title.”, the kind of document, the date, the
item's reference code (its identifier where it has none of its own), the units above it in
its arrangement and its collections, the repository, the permalink. A date the archivist wrote as
a plain day, month or year in ISO 8601 is spelled out (“September 24, 1945”, in Norwegian
“24. september 1945”); a qualified or approximate date (“circa 1945”, “1940s”, “[1945?]”) keeps
its qualifier, in the reader's words where dates.display reads it exactly (“ca. 1945”), and an
undated item is “n.d.”. Only person records are inverted (“Diakonoff, Igor”); organisations and
values that are not linked to a record are written as they stand, since nothing says where a
surname starts. Every format cites the item by its title in the reader's language, its
description in that language for the abstract, and linked records by their names in it
(catalog/languages.py), as the item's page heads it.

RIS: one record, CRLF line ends, `TAG  - value` lines, TY first and ER last; values are kept on
one line. BibTeX: one @misc entry (BibTeX has no type for archival material, and @misc is the
one every style accepts) keyed by the identifier; LaTeX's special characters are escaped, braces
stay balanced, titles are braced against case changes, and non-ASCII is kept as UTF-8 (for
biber, bibtexu or any reference manager).

API (pure: nothing is queried beyond what `Item.objects.with_description()` prefetched):

    citation(item, *, base_url, above=()) -> str     the plain-text citation
    ris(item, *, base_url, above=()) -> str          served as RIS_CONTENT_TYPE, file name <identifier>.ris
    bibtex(item, *, base_url, above=()) -> str       served as BIBTEX_CONTENT_TYPE, file name <identifier>.bib

`base_url` is the site's absolute root, `settings.ARKIV_BASE_URL or request.build_absolute_uri("/")`.
`above` is the units above the item in its arrangement, outermost first (arrangement.path):
they are cited innermost first, as the item is part of them (“File 3, Series B, Fonds X”).
"""
import re
from datetime import date
from typing import NamedTuple
from urllib.parse import quote, urljoin

from django.conf import settings
from django.utils import dateformat
from django.utils.translation import get_language, gettext, pgettext_lazy

from .. import dates, languages
from ..dates import DateRange
from ..models import Collection

RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"

# A day as Chicago writes it in English ("September 24, 1945"); other languages write their own
# order ("24. september 1945"). In the syntax of Django's date filter.
CHICAGO_DAY = pgettext_lazy("format of a day in a citation, in the syntax of Django's date filter", "F j, Y")
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# A title in a citation, quoted as the reader's language quotes: ending a sentence, or ending
# with its own punctuation.
QUOTED_TITLE_SENTENCE = pgettext_lazy("a title quoted in a citation, ending a sentence", "“%(title)s.”")
QUOTED_TITLE = pgettext_lazy("a title quoted in a citation, ending with its own punctuation", "“%(title)s”")

# Chicago 14.76: more than ten authors are cited as the first seven and "et al."
CHICAGO_MAX_AUTHORS, CHICAGO_LISTED_AUTHORS = 10, 7

# RIS reference types for DCMI types; a text with a publisher is published matter, not a manuscript.
RIS_TYPES = {
    "Dataset": "DATA", "Image": "ART", "MovingImage": "MPCT", "Software": "COMP",
    "Sound": "SOUND", "StillImage": "ART",
}

# Marks of an approximate or qualified date, which a citation must not silently sharpen.
QUALIFIED_DATE = re.compile(r"[?~%\[\]]|\b(circa|ca|c|approx|about|before|after)\b", re.IGNORECASE)

BIBTEX_ESCAPES = str.maketrans({
    "\\": r"\textbackslash{}",
    # BibTeX counts braces without regard to backslashes, so \{ would unbalance the field.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}",
})
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class Name(NamedTuple):
    label: str
    is_person: bool

    def inverted(self):
        """“Surname, Given names” for a person; anything else as it stands."""
        if not self.is_person or "," in self.label or " " not in self.label:
            return self.label
        given, surname = self.label.rsplit(" ", 1)
        return f"{surname}, {given}"


class Reference(NamedTuple):
    """What every citation format reads from an item, whitespace tidied."""

    identifier: str
    reference_code: str  # "" for an item that has none of its own (its reference is its identifier)
    title: str
    creators: list
    kind: str
    date_text: str
    date_range: DateRange | None
    publishers: list
    subjects: list
    languages: list
    abstract: str
    collections: list
    repository: str
    url: str

    @property
    def exact_date(self):
        """The date as year, year-month or day when the archivist stated it that plainly."""
        if not self.date_range or QUALIFIED_DATE.search(self.date_text):
            return None
        iso = self.date_range.iso8601()
        return None if "/" in iso else iso


def reference(item, *, base_url, above=()):
    # Titles, descriptions and linked records in the reader's language where the catalogue has
    # them (catalog/languages.py).
    language = get_language()

    def shown(statement):
        if statement.authority_id:
            return _clean(languages.authority_label(statement.authority, language).text)
        return _clean(statement.value)

    def values(term):
        return [shown(s) for s in item.statements.all() if s.term == term and s.display_value.strip()]

    creators = [
        Name(shown(s), bool(s.authority_id and s.authority.agent_type == "person"))
        for s in item.statements.all() if s.term == "creator" and s.display_value.strip()
    ]
    has_range = item.date_earliest is not None and item.date_latest is not None
    return Reference(
        identifier=item.identifier,
        reference_code=item.reference_code if item.reference and item.reference != item.identifier else "",
        title=_clean(languages.item_title(item, language).text) or item.identifier,
        creators=creators,
        kind=(values("type") or [""])[0],
        date_text=_clean(item.date_text),
        date_range=DateRange(item.date_earliest, item.date_latest) if has_range else None,
        publishers=values("publisher"),
        subjects=values("subject"),
        languages=values("language"),
        abstract=_clean(languages.item_description(item, language)),
        collections=[
            *([", ".join(_clean(languages.item_title(unit, language).text) for unit in reversed(above))] if above else []),
            *_collection_paths(item.collections.all()),
        ],
        repository=_clean(settings.ARKIV_REPOSITORY_NAME),
        url=urljoin(base_url, item.get_absolute_url()),
    )


def _collection_paths(collections):
    """“Series, Fonds” for each collection, through the parents loaded with it; a collection
    that is only the parent of another of the item's collections is not repeated."""
    paths = []
    for collection in collections:
        chain = [collection]
        while chain[-1].parent_id and Collection.parent.is_cached(chain[-1]):
            chain.append(chain[-1].parent)
        paths.append(chain)
    ancestors = {c.pk for chain in paths for c in chain[1:]}
    return [", ".join(_clean(c.title) for c in chain) for chain in paths if chain[0].pk not in ancestors]


# --- Plain text (Chicago) -------------------------------------------------------------------

def citation(item, *, base_url, above=()):
    """The Chicago-style bibliography entry for `item`, as plain text."""
    ref = reference(item, base_url=base_url, above=above)
    sentences = [
        _chicago_authors(ref.creators),
        _chicago_title(ref.title),
        ref.kind,
        _chicago_date(ref),
        ref.reference_code or ref.identifier,
        "; ".join(ref.collections),
        ref.repository,
        ref.url,
    ]
    return " ".join(_sentence(text) for text in sentences if text)


def _chicago_authors(names):
    if len(names) > CHICAGO_MAX_AUTHORS:
        listed = [names[0].inverted(), *(n.label for n in names[1:CHICAGO_LISTED_AUTHORS])]
        return gettext("%(names)s, et al.") % {"names": ", ".join(listed)}
    if not names:
        return ""
    first = names[0].inverted()
    if len(names) == 1:
        return first
    rest = [n.label for n in names[1:]]
    # Chicago's serial comma is English; a translation joins the last name its own way.
    return gettext("%(names)s, and %(last)s") % {"names": ", ".join([first, *rest[:-1]]), "last": rest[-1]}


def _chicago_title(title):
    # Chicago's English puts the full stop inside the quotation marks; Norwegian quotes with « »
    # and closes the sentence after them.
    if title.endswith((".", "?", "!")):
        return QUOTED_TITLE % {"title": title}
    return QUOTED_TITLE_SENTENCE % {"title": title}


def _chicago_date(ref):
    if not ref.date_text:
        return gettext("n.d.")
    exact = ref.exact_date
    if not exact:
        return dates.display(ref.date_text)  # its qualifiers kept, in the reader's words
    year, *rest = (int(part) for part in exact.split("-"))
    if not rest:
        return str(year)
    day = date(year, rest[0], rest[1] if len(rest) == 2 else 1)
    return dateformat.format(day, str(CHICAGO_DAY) if len(rest) == 2 else "F Y")


def _sentence(text):
    return text if text.endswith((".", "?", "!", ".”", "?”", "!”")) else f"{text}."


# --- RIS ------------------------------------------------------------------------------------

def ris(item, *, base_url, above=()):
    """One RIS record for `item`, CRLF line ends."""
    ref = reference(item, base_url=base_url, above=above)
    lines = [("TY", _ris_type(item, ref)), ("TI", ref.title)]
    lines += [("AU", name.inverted()) for name in ref.creators]
    if ref.date_range:
        lines.append(("PY", f"{ref.date_range.earliest.year:04d}"))
        lines.append(("DA", _ris_date(ref)))
    elif ref.date_text:
        lines.append(("DA", f"///{ref.date_text}"))
    lines += [("M3", ref.kind), ("AB", ref.abstract)]
    lines += [("KW", subject) for subject in ref.subjects]
    lines += [("PB", "; ".join(ref.publishers)), ("LA", "; ".join(ref.languages))]
    if ref.collections:
        lines.append(("N1", "Part of: " + "; ".join(ref.collections)))
    lines += [("DB", ref.repository), ("AN", ref.identifier), ("CN", ref.reference_code), ("UR", ref.url), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value or tag == "ER")


def _ris_type(item, ref):
    if item.dcmi_type == "Text":
        return "GEN" if ref.publishers else "MANSCPT"
    return RIS_TYPES.get(item.dcmi_type, "GEN")


def _ris_date(ref):
    """YYYY/MM/DD/other: the parts the date states, and the date as written when it is
    approximate or a range."""
    exact = ref.exact_date
    if exact:
        year, month, day = (exact.split("-") + ["", ""])[:3]
        return f"{year}/{month}/{day}/"
    return f"{ref.date_range.earliest.year:04d}///{ref.date_text}"


# --- BibTeX ---------------------------------------------------------------------------------

def bibtex(item, *, base_url, above=()):
    """One BibTeX @misc entry for `item`."""
    ref = reference(item, base_url=base_url, above=above)
    exact = ref.exact_date
    dated = f"Dated {ref.date_text}" if ref.date_text and not exact else ""
    note = [ref.kind, dated, f"Item {ref.identifier}", ref.reference_code]
    fields = [
        ("author", _braced(" and ".join(_bibtex_name(name) for name in ref.creators))),
        # Double braces keep the title's capitals: styles would lower-case it otherwise.
        ("title", _braced(_braced(_bibtex_escape(ref.title)))),
        ("year", _braced(f"{ref.date_range.earliest.year:04d}") if ref.date_range else ""),
        # Month macros (jan ... dec) are what every style expects, unbraced.
        ("month", BIBTEX_MONTHS[int(exact[5:7]) - 1] if exact and len(exact) >= 7 else ""),
        ("date", _braced(ref.date_range.iso8601()) if ref.date_range else ""),  # biblatex
        ("howpublished", _braced(_bibtex_escape("; ".join([*ref.collections, ref.repository])))),
        ("note", _braced(_bibtex_escape(". ".join(part for part in note if part)))),
        ("publisher", _braced(_bibtex_escape(" and ".join(ref.publishers)))),
        ("language", _braced(_bibtex_escape(" and ".join(ref.languages)))),
        ("keywords", _braced(_bibtex_escape(", ".join(ref.subjects)))),
        ("abstract", _braced(_bibtex_escape(ref.abstract))),
        # The url field is read verbatim (\url{}), so it is percent-encoded, never escaped.
        ("url", _braced(quote(ref.url, safe=":/?=&;+,@!$'()*[]-._~%"))),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields if value)
    return f"@misc{{{ref.identifier},\n{body}\n}}\n"


def _braced(value):
    return f"{{{value}}}" if value else ""


def _bibtex_name(name):
    if name.is_person and " and " not in name.label.lower():
        return _bibtex_escape(name.inverted())
    # An organisation, or a name nobody parsed: braced, so BibTeX takes it whole.
    return "{" + _bibtex_escape(name.label) + "}"


def _bibtex_escape(text):
    return text.translate(BIBTEX_ESCAPES)


def _clean(text):
    """One line: control characters and runs of white space become single spaces."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text or "").split())
