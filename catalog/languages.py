"""Which of several values a reader sees first: the one in the reader's language.

Statements and authority variants carry BCP 47 language tags. Every output that names an item or
a record with one value (a heading, a card, a citation, a page's <title>) takes the value in the
reader's language where there is one, and the others stay on the page as parallel titles or
variant forms: nothing is hidden, only ordered.

A value is in a language when the tags match by prefix, subtag by subtag, either way: `nb` is in
`nb-NO` and `nb-NO` in `nb`, `en-GB` is not `en-US`. Norwegian (`no`) is read as Bokmål (`nb`),
which is what the tag means in practice (IANA's registry calls `no` the macrolanguage of nb and
nn, and catalogues have long written `no` for Bokmål); Nynorsk (`nn`) is a language of its own.

A record's preferred label has no language tag: it is taken to be written in the catalogue's
language (ARKIV_CATALOGUE_LANGUAGE), whose readers see it, while readers of another language see
the record's variant in theirs where there is one.

API (pure: nothing is queried that `Item.objects.with_description()` did not prefetch, nor for an
authority whose variants were prefetched):

    matches(tag, language) -> bool
    language_q(field, language) -> Q                 the same match, as a database condition
    first_in(values, language) -> value | None       the first value whose .lang matches
    item_title(item, language) -> Title              what heads the item's page, card and citation
    parallel_titles(item, title) -> [statements]     its titles in other languages than the heading's
    item_description(item, language) -> str          the description a summary starts from
    authority_label(authority, language) -> Label    a record's name in the language, else its preferred label
    names_by_preferred_label(language) -> bool       whether that language reads records by their preferred label
    language_name(tag, language) -> str              "ru" is "russisk" in nb and "Russian" in en
"""
from functools import lru_cache
from typing import NamedTuple

import langcodes
from django.conf import settings
from django.db.models import Q

from . import dublincore

# Tags read as another: `no` (Norwegian) is written for Bokmål.
SAME_AS = {"no": "nb"}

TITLE_TERMS = ("title", "alternative")


class Title(NamedTuple):
    text: str
    lang: str = ""  # the language of `text`, "" where the catalogue does not say
    statement: object = None  # the statement shown, if the title is one (not the identifier)

    def __str__(self):
        return self.text


class Label(NamedTuple):
    text: str
    lang: str = ""  # the language of the variant shown; "" for the preferred label

    def __str__(self):
        return self.text


def _subtags(tag):
    subtags = (tag or "").strip().lower().replace("_", "-").split("-")
    subtags[0] = SAME_AS.get(subtags[0], subtags[0])
    return subtags if subtags[0] else []


def matches(tag, language):
    """Whether a value tagged `tag` is in `language` (see the module's docstring)."""
    value, wanted = _subtags(tag), _subtags(language)
    if not value or not wanted:
        return False
    shorter = min(len(value), len(wanted))
    return value[:shorter] == wanted[:shorter]


def language_q(field, language):
    """matches(field's tag, language) as a condition on a database column: the tag itself, any
    longer tag it begins, and any shorter one that begins it; letter case ignored."""
    wanted = _subtags(language)
    if not wanted:
        return Q(pk__in=[])
    condition = Q()
    firsts = {wanted[0], *(tag for tag, same in SAME_AS.items() if same == wanted[0])}
    for first in sorted(firsts):
        tags = [first, *wanted[1:]]
        condition |= Q(**{f"{field}__istartswith": "-".join(tags) + "-"})
        for end in range(1, len(tags) + 1):
            condition |= Q(**{f"{field}__iexact": "-".join(tags[:end])})
    return condition


def first_in(values, language):
    """The first of `values` (anything with a `.lang`) that is in `language`, or None."""
    return next((value for value in values if matches(value.lang, language)), None)


def _titles(item):
    # Both kinds of title: a translated title is often catalogued as dcterms:alternative.
    return [s for s in item.statements.all() if s.term in TITLE_TERMS and s.value.strip()]


def item_title(item, language):
    """The item's title in `language`: a title in it, else an other title in it, else the item's
    own (derived) title, else its identifier."""
    titles = _titles(item)
    chosen = (
        first_in([s for s in titles if s.term == "title"], language)
        or first_in([s for s in titles if s.term == "alternative"], language)
    )
    if chosen is not None:
        return Title(chosen.value, chosen.lang, chosen)
    # The derived title is the first title, else the first other title (Item.derived_fields).
    own = next((s for s in titles if s.term == "title"), None) or next(iter(titles), None)
    if own is not None:
        return Title(item.title or own.value, own.lang, own)
    return Title(item.title or item.identifier)


def parallel_titles(item, title):
    """The item's titles and other titles in another language than `title` (from item_title),
    in catalogue order: both are tagged, and the tags do not match."""
    if not title.lang:
        return []
    return [
        s for s in _titles(item)
        if s is not title.statement and s.lang and not matches(s.lang, title.lang)
    ]


def item_description(item, language):
    """The first description (or summary, or contents) in `language`, else the first of all;
    "" if there is none."""
    descriptions = [
        s for s in item.statements.all()
        if dublincore.element_of(s.term) == "description" and s.display_value.strip()
    ]
    chosen = first_in(descriptions, language) or next(iter(descriptions), None)
    return chosen.display_value if chosen else ""


def names_by_preferred_label(language):
    """Whether a reader in `language` sees records by their preferred labels: those are written
    in the catalogue's language (ARKIV_CATALOGUE_LANGUAGE), and a variant in it is another
    spelling (Diakonov for Diakonoff), not a translation."""
    return matches(language, settings.ARKIV_CATALOGUE_LANGUAGE)


def authority_label(authority, language):
    """The record's name in `language`: its preferred label for a reader in the catalogue's
    language, else its first variant in `language` (variants are ordered by label), else its
    preferred label. Reads `authority.variants.all()`: prefetch it."""
    if names_by_preferred_label(language):
        return Label(authority.preferred_label)
    variant = first_in(authority.variants.all(), language)
    if variant is not None:
        return Label(variant.label, variant.lang)
    return Label(authority.preferred_label)


@lru_cache(maxsize=4096)
def language_name(tag, language):
    """A language tag in words in `language` (nb: "ru" -> "russisk"); the tag itself if it is
    not one. Remembered: langcodes takes about 2 ms a name, and the language facet names every
    language of a result on every page."""
    if not langcodes.tag_is_valid(tag):
        return tag
    return langcodes.Language.get(tag).display_name(language or "en")
