"""What a finding aid says, read from the catalogue: a unit and its published subtree, depth
first in arrangement order, each unit prepared for the writers.

Preparing is kept apart from writing (ArchivesSpace's `model_for :ead` and its serializers): the
writers (ead3.py, apeead.py) see `Unit`s, whose properties give each ISAD(G) element as plain
values (dublincore.ISADG says which statements hold which element), never querysets; this module
alone decides what is read and when.

The walk streams. Each unit's children are read BATCH at a time in arrangement order (keyset on
parent, position, id: the children index), and each batch costs a fixed number of queries
whatever it holds: the units with their levels; their statements with the linked authority
records; the records' external links (only for records not met before); how many units lie
under each one (so that a leaf costs no query of its own); and, for links to the site, their
files. Memory holds one batch per open level of the tree, at most MAX_DEPTH levels, however
large the fonds.

Visibility is the public one (`Item.objects.published()`): under a public unit the visible
children are exactly the published ones (arrangement.children), so a draft series and
everything below it are left out, as they are on the site and in OAI. Files are the ones
visitors get (DigitalFile.stored without preview).
"""
import re
from dataclasses import dataclass, field
from functools import cached_property

import langcodes
from django.conf import settings
from django.db.models import Q

from ... import arrangement, dates, dublincore, languages
from ...models import Authority, AuthorityLink, DigitalFile, Item, Statement

BATCH = 500
"""Siblings read at a time: a few hundred units' statements in one query."""

AUTHORITIES_KEPT = 10_000
"""External links of authority records remembered across batches: a fonds names the same few
creators and places again and again; the bound keeps memory flat when it names many."""

# ISAD(G) elements and the statements that hold them (dublincore.ISADG).
CREATOR = "creator"
ACCESS_POINTS = ("subject", "spatial", "coverage", "temporal", "contributor")
"""Terms whose linked records are a unit's access points (controlaccess)."""

# XML 1.0 has no place for most control characters: an imported value that holds one must not
# stop the export halfway.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PARAGRAPHS = re.compile(r"\n\s*\n")


def text(value):
    """`value` as XML can carry it, trimmed."""
    return _NOT_XML.sub("", value or "").strip()


def paragraphs(value):
    """A free text's paragraphs (split at blank lines), as the <p>s of a note."""
    return [part for part in (text(p) for p in _PARAGRAPHS.split(value or "")) if part]


@dataclass(frozen=True)
class Name:
    """A name in the description: a creator or an access point."""

    element: str  # persname, corpname, famname, name, geogname, subject
    label: str
    uri: str = ""  # the record's first external link (Wikidata, VIAF, GeoNames …)
    source: str = ""  # which authority file the URI is in


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-2/B ("nob"), as EAD's langencoding says; "" if the tag is not a language
    tag: str  # as stored (BCP 47)
    name: str  # in the catalogue's language


@dataclass(frozen=True)
class Paragraphs:
    """One statement's text as paragraphs, with its language (BCP 47, may be "")."""

    lang: str
    paragraphs: list


@dataclass(frozen=True)
class History:
    """A creator's history (ISAD(G) 3.2.2), from the note of its authority record."""

    name: str
    paragraphs: list


@dataclass(frozen=True)
class DigitalObject:
    href: str  # absolute
    title: str
    mime_type: str


@dataclass(frozen=True)
class DateOfUnit:
    """ISAD(G) 3.1.3: the date as written, and the range read from it (None if unread)."""

    written: str
    range: dates.DateRange | None

    @property
    def ends(self):
        """(start, end) in their shortest ISO 8601 forms, "" for an open end; None if there is no
        range to give (unread, or a statement that the unit is undated)."""
        normal = self.range.iso8601() if self.range else None
        if not normal:
            return None
        start, _, end = normal.partition("/")
        if not end:
            return start, start
        return ("" if start == ".." else start), ("" if end == ".." else end)


@dataclass
class Unit:
    """One unit of description, prepared: each property is one element of its description."""

    item: Item
    depth: int  # 0 for the unit the finding aid is about
    has_children: bool
    statements: list = field(default_factory=list)  # Statements, authority attached, in order
    files: list = field(default_factory=list)  # DigitalFiles, in order
    site_url: str = ""  # the public site's root, for links; "" leaves links out
    histories_above: frozenset = frozenset()  # creators whose history a unit above gives

    # The item's own fields.
    @property
    def identifier(self):
        return self.item.identifier

    @property
    def level(self):
        return self.item.level

    @property
    def reference_code(self):
        return self.item.reference_code

    @property
    def title(self):
        return text(self.item.sort_title) or self.item.identifier

    def values(self, *terms):
        """Statements of any of `terms`, in stored order."""
        return [s for s in self.statements if s.term in terms]

    def _notes(self, *terms):
        return [Paragraphs(s.lang, paragraphs(s.value)) for s in self.values(*terms) if paragraphs(s.value)]

    # ISAD(G), element by element.
    @cached_property
    def titles(self):
        """3.1.2: (text, language) of each title; the derived title where none is stored."""
        found = [(text(s.value), s.lang) for s in self.values("title") if text(s.value)]
        return found or [(self.title, "")]

    @cached_property
    def date(self):
        """3.1.3: the first date term that has a value (dublincore.DATE_TERMS), or None."""
        for term in dublincore.DATE_TERMS:
            for statement in self.statements:
                if statement.term == term and text(statement.value):
                    written = text(statement.value)
                    return DateOfUnit(written, dates.parse(written))
        return None

    @property
    def extents(self):
        """3.1.5: (term, text) of each extent and medium statement."""
        return [(s.term, text(s.value)) for s in self.values(*dublincore.ISADG_EXTENT) if text(s.value)]

    @property
    def creators(self):
        """3.2.1."""
        return [_name(s) for s in self.values(CREATOR) if text(s.display_value)]

    @property
    def histories(self):
        """3.2.2: the creators' histories, each given once along a path: where a unit above
        gives a creator's history, its units below do not repeat it (ISAD(G)'s rule of
        non-repetition)."""
        found, seen = [], set()
        for statement in self.values(CREATOR):
            authority = statement.authority
            if authority is None or authority.pk in self.histories_above or authority.pk in seen:
                continue
            seen.add(authority.pk)
            if paragraphs(authority.note):
                found.append(History(text(authority.preferred_label), paragraphs(authority.note)))
        return found

    @property
    def history_authorities(self):
        return frozenset(s.authority_id for s in self.values(CREATOR) if s.authority_id)

    @property
    def archival_history(self):
        """3.2.3."""
        return self._notes("provenance")

    @property
    def scope(self):
        """3.3.1: the abstract, else the description."""
        for term in dublincore.ISADG_SCOPE:
            notes = self._notes(term)
            if notes:
                return notes
        return []

    @property
    def arrangement(self):
        """3.3.4: the unit's own field."""
        return paragraphs(self.item.arrangement)

    @property
    def access(self):
        """3.4.1."""
        return self._notes("accessRights")

    @property
    def reproduction(self):
        """3.4.2."""
        return self._notes("rights")

    @property
    def languages(self):
        """3.4.3."""
        found = []
        for statement in self.values("language"):
            tag = text(statement.value)
            if tag:
                found.append(language(tag))
        return found

    @property
    def related(self):
        """3.5.3."""
        return self._notes("relation")

    @property
    def access_points(self):
        """Names of the records the unit is about (its subjects, places, times and the other
        agents linked to it): only linked statements, as controlled access means."""
        found, seen = [], set()
        for statement in self.values(*ACCESS_POINTS):
            if statement.authority_id and statement.authority_id not in seen:
                seen.add(statement.authority_id)
                found.append(_name(statement))
        return found

    @property
    def digital_objects(self):
        """Files visitors may see (an image's display copy, else a downloadable original), as
        absolute links; none without the site's address."""
        if not self.site_url:
            return []
        found = []
        for index, file in enumerate(self.files, start=1):
            address = file.public_image_url or (file.url("original") if file.downloadable else None)
            if address:
                found.append(DigitalObject(
                    self.site_url + address, text(file.label) or f"{self.title} ({index})", file.mime_type,
                ))
        return found

    @property
    def page(self):
        """The unit's page on the public site, or "" without the site's address."""
        return self.site_url + self.item.get_absolute_url() if self.site_url else ""


AGENT_ELEMENTS = {"person": "persname", "organisation": "corpname", "family": "famname"}
KIND_ELEMENTS = {Authority.PLACE: "geogname", Authority.CONCEPT: "subject"}


def _name(statement):
    authority = statement.authority
    if authority is None:
        return Name("name", text(statement.value))
    if authority.kind == Authority.AGENT:
        element = AGENT_ELEMENTS.get(authority.agent_type, "name")
    else:
        element = KIND_ELEMENTS.get(authority.kind, "subject")
    links = getattr(authority, "external_links", [])
    return Name(
        element, text(authority.preferred_label),
        uri=links[0].uri if links else "", source=links[0].source if links else "",
    )


def language(tag):
    """A language tag described for EAD: its ISO 639-2/B code and its name."""
    if not langcodes.tag_is_valid(tag):
        return Language("", tag, tag)
    try:
        code = langcodes.Language.get(tag).to_alpha3(variant="B")
    except LookupError:
        code = ""
    return Language(code, tag, languages.language_name(tag, settings.ARKIV_CATALOGUE_LANGUAGE))


def language_code(tag):
    """ISO 639-2/B of a BCP 47 tag ("nb" -> "nob"), "" if it has none."""
    return language(tag).code if tag else ""


def script_code(tag):
    """ISO 15924 script a language is most likely written in ("ru" -> "Cyrl")."""
    try:
        return langcodes.Language.get(tag).maximize().script or "Zyyy"
    except (LookupError, ValueError):
        return "Zyyy"


class Links:
    """External links (AuthorityLink) of authority records, read once per record."""

    def __init__(self):
        self._known = {}

    def attach(self, authorities):
        missing = [a.pk for a in authorities if a.pk not in self._known]
        if missing:
            if len(self._known) + len(missing) > AUTHORITIES_KEPT:
                self._known.clear()
            found = {pk: [] for pk in missing}
            for link in AuthorityLink.objects.filter(authority_id__in=missing).order_by("source", "uri"):
                found[link.authority_id].append(link)
            self._known.update(found)
        for authority in authorities:
            authority.external_links = self._known.get(authority.pk, [])


class Walk:
    """`Unit`s for `top` (a published unit) and every published unit below it, depth first in
    arrangement order: iterate it once."""

    def __init__(self, top, *, site_url=""):
        self.top = top
        self.site_url = (site_url or "").rstrip("/")
        self.links = Links()

    def __iter__(self):
        first = self._described([self.top], depth=0, above=frozenset())[0]
        yield first
        if not first.has_children:
            return
        stack = [self._children(first)]  # one reader of children per open level
        while stack:
            unit = next(stack[-1], None)
            if unit is None:
                stack.pop()
                continue
            yield unit
            if unit.has_children:
                stack.append(self._children(unit))

    def _children(self, parent):
        above = parent.histories_above | parent.history_authorities
        after = None
        while True:
            batch = arrangement.children(parent.item, None)
            if after is not None:
                batch = batch.filter(
                    Q(position__gte=after.position) & (Q(position__gt=after.position) | Q(pk__gt=after.pk))
                )
            batch = list(batch[:BATCH])
            if not batch:
                return
            yield from self._described(batch, depth=parent.depth + 1, above=above)
            if len(batch) < BATCH:
                return
            after = batch[-1]

    def _described(self, items, *, depth, above):
        """Units for `items` (siblings, or the top unit), with statements, authorities, counts
        and files."""
        pks = [item.pk for item in items]
        statements = {pk: [] for pk in pks}
        authorities = {}
        rows = Statement.objects.filter(item_id__in=pks).select_related("authority").order_by("item_id", "position", "id")
        for statement in rows:
            statements[statement.item_id].append(statement)
            if statement.authority_id:
                # One instance per record, so that the links are attached once.
                statement.authority = authorities.setdefault(statement.authority_id, statement.authority)
        self.links.attach(list(authorities.values()))
        files = {pk: [] for pk in pks}
        if self.site_url:
            for file in DigitalFile.objects.filter(item_id__in=pks).order_by("item_id", "position", "id"):
                files[file.item_id].append(file)
        counts = arrangement.child_counts(items, None)
        return [
            Unit(
                item=item, depth=depth, has_children=bool(counts.get(item.pk)), statements=statements[item.pk],
                files=files[item.pk], site_url=self.site_url, histories_above=above,
            )
            for item in items
        ]


def walk(top, *, site_url=""):
    return iter(Walk(top, site_url=site_url))


def published_unit(identifier):
    """The published unit with `identifier` (its level read with it), or None."""
    return Item.objects.published().select_related("level").filter(identifier=identifier).first()
