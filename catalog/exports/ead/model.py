"""What a finding aid says, read from the catalogue: a unit and its published subtree, depth
first in arrangement order, each unit prepared for the writers.

Preparing is kept apart from writing (ArchivesSpace's `model_for :ead` and its serializers): the
writers (ead3.py, apeead.py) see `Unit`s, whose properties give each ISAD(G) element as plain
values (dublincore.ISADG says which statements hold which element), never querysets; this module
alone decides what is read and when.

The walk streams. Each unit's children are read BATCH at a time in arrangement order (keyset on
parent, position, id: the children index), and each batch costs a fixed number of queries
whatever it holds: the units; their statements; how many units lie under each one (so that a
leaf costs no query of its own); for links to the site, their files; and, only for authority
records not met before, the records and their external links. Rows are read as tuples, not
model instances: at 100,000 units, making items and statements cost more than writing them. Memory holds one batch per open level of the tree, at most MAX_DEPTH levels, however
large the fonds.

Visibility is the public one (`Item.objects.published()`): under a public unit the visible
children are exactly the published ones (arrangement.children), so a draft series and
everything below it are left out, as they are on the site and in OAI. Files are the ones
visitors get (DigitalFile.stored without preview).
"""
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple
from urllib.parse import quote

import langcodes
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from ... import arrangement, dates, dublincore, languages
from ...models import Authority, AuthorityLink, DigitalFile, Item, Level, Statement

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


@dataclass(frozen=True)
class Record:
    """What a finding aid says of an authority record (read once, kept while memory allows)."""

    pk: int
    kind: str
    agent_type: str
    preferred_label: str
    note: str
    links: tuple  # (uri, source) of its external links, in order


class Said(NamedTuple):
    """One statement: its term, value, language and linked record (a Record or None)."""

    term: str
    value: str
    lang: str
    record: Record | None

    @property
    def display_value(self):
        return self.record.preferred_label if self.record else self.value


UNIT_FIELDS = ("pk", "identifier", "level_id", "position", "reference", "sort_title", "arrangement", "status", "ancestors_public")


@dataclass
class Unit:
    """One unit of description, prepared: each property is one element of its description.

    Built from plain rows, not model instances: a fonds of 100,000 units would otherwise make
    100,000 items and 600,000 statements, which costs more than writing them."""

    pk: int
    identifier: str
    level: object  # a Level (read once for the whole walk), or None
    position: int
    reference: str | None
    sort_title: str
    arrangement_text: str
    status: str
    ancestors_public: bool
    depth: int = 0  # 0 for the unit the finding aid is about
    has_children: bool = False
    statements: list = field(default_factory=list)  # Said, in stored order
    files: list = field(default_factory=list)  # DigitalFiles, in order
    site_url: str = ""  # the public site's root, for links; "" leaves links out
    histories_above: frozenset = frozenset()  # creators whose history a unit above gives

    @classmethod
    def of(cls, item):
        """The Unit of an Item instance (the top of a walk)."""
        return cls(
            item.pk, item.identifier, item.level, item.position, item.reference, item.sort_title, item.arrangement,
            item.status, item.ancestors_public,
        )

    # The item's own fields.
    @property
    def is_public(self):
        return self.status == Item.PUBLISHED and self.ancestors_public

    @property
    def reference_code(self):
        """ISAD(G) 3.1.1, as Item.reference_code composes it."""
        return f"{settings.ARKIV_COUNTRY_CODE} {settings.ARKIV_REPOSITORY_CODE} {self.reference or self.identifier}"

    @property
    def title(self):
        return text(self.sort_title) or self.identifier

    def values(self, *terms):
        """Statements of any of `terms`, in stored order."""
        if len(terms) == 1:
            return self._by_term.get(terms[0], [])
        return [s for s in self.statements if s.term in terms]

    @cached_property
    def _by_term(self):
        found = {}
        for statement in self.statements:
            found.setdefault(statement.term, []).append(statement)
        return found

    def _notes(self, *terms):
        found = []
        for statement in self.values(*terms):
            parts = paragraphs(statement.value)
            if parts:
                found.append(Paragraphs(statement.lang, parts))
        return found

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
            for statement in self._by_term.get(term, ()):
                written = text(statement.value)
                if written:
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
            record = statement.record
            if record is None or record.pk in self.histories_above or record.pk in seen:
                continue
            seen.add(record.pk)
            if paragraphs(record.note):
                found.append(History(text(record.preferred_label), paragraphs(record.note)))
        return found

    @property
    def history_records(self):
        return frozenset(s.record.pk for s in self.statements if s.term == CREATOR and s.record)

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
        return paragraphs(self.arrangement_text)

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
        return [language(text(s.value)) for s in self.values("language") if text(s.value)]

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
            if statement.record and statement.record.pk not in seen:
                seen.add(statement.record.pk)
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
        return self.site_url + _item_path(self.identifier) if self.site_url else ""


@lru_cache(maxsize=1)
def _item_path_pattern():
    return reverse("catalog:item", kwargs={"identifier": "IDENTIFIER"}).split("IDENTIFIER")


def _item_path(identifier):
    """reverse("catalog:item") without its cost for each of 100,000 units: the identifier quoted
    as Django's reverse() quotes it."""
    before, after = _item_path_pattern()
    return f"{before}{quote(identifier, safe=SUBDELIMS)}{after}"


SUBDELIMS = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted (django.urls.resolvers)


AGENT_ELEMENTS = {"person": "persname", "organisation": "corpname", "family": "famname"}
KIND_ELEMENTS = {Authority.PLACE: "geogname", Authority.CONCEPT: "subject"}


def _name(statement):
    record = statement.record
    if record is None:
        return Name("name", text(statement.value))
    if record.kind == Authority.AGENT:
        element = AGENT_ELEMENTS.get(record.agent_type, "name")
    else:
        element = KIND_ELEMENTS.get(record.kind, "subject")
    uri, source = record.links[0] if record.links else ("", "")
    return Name(element, text(record.preferred_label), uri=uri, source=source)


@lru_cache(maxsize=1024)
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


class Records:
    """Authority records named in the walk, each read once (with its external links) and kept
    while memory allows: a fonds names the same few creators and places again and again."""

    def __init__(self):
        self._known = {}

    def get(self, pks):
        """{pk: Record} for `pks`, reading those not met before in two queries."""
        missing = [pk for pk in pks if pk not in self._known]
        if missing:
            if len(self._known) + len(missing) > AUTHORITIES_KEPT:
                self._known.clear()
                missing = list(pks)
            links = {pk: [] for pk in missing}
            for pk, uri, source in (
                AuthorityLink.objects.filter(authority_id__in=missing).order_by("source", "uri", "id")
                .values_list("authority_id", "uri", "source")
            ):
                links[pk].append((uri, source))
            for pk, kind, agent_type, label, note in Authority.objects.filter(pk__in=missing).values_list(
                "pk", "kind", "agent_type", "preferred_label", "note",
            ):
                self._known[pk] = Record(pk, kind, agent_type, label, note, tuple(links[pk]))
        return {pk: self._known[pk] for pk in pks if pk in self._known}


class Walk:
    """`Unit`s for `top` (a published Item) and every published unit below it, depth first in
    arrangement order: iterate it once."""

    def __init__(self, top, *, site_url=""):
        self.top = top
        self.site_url = (site_url or "").rstrip("/")
        self.records = Records()
        self.levels = {level.pk: level for level in Level.objects.all()}
        self.open_levels = []

    def __iter__(self):
        first = Unit.of(self.top)
        self._describe([first], depth=0, above=frozenset())
        yield first
        if not first.has_children:
            return
        # One reader of children per open level, each holding one batch: kept on the walk so
        # that a test can see what is held while it runs.
        self.open_levels = stack = [self._children(first)]
        while stack:
            unit = next(stack[-1], None)
            if unit is None:
                stack.pop()
                continue
            yield unit
            if unit.has_children:
                stack.append(self._children(unit))

    def _children(self, parent):
        above = parent.histories_above | parent.history_records
        after = None
        while True:
            rows = arrangement.children(parent, None)
            if after is not None:
                rows = rows.filter(
                    Q(position__gte=after.position) & (Q(position__gt=after.position) | Q(pk__gt=after.pk))
                )
            batch = [
                Unit(pk, identifier, self.levels.get(level_id), position, reference, sort_title, text_, status, public)
                for pk, identifier, level_id, position, reference, sort_title, text_, status, public
                in rows.select_related(None).values_list(*UNIT_FIELDS)[:BATCH]
            ]
            if not batch:
                return
            self._describe(batch, depth=parent.depth + 1, above=above)
            yield from batch
            if len(batch) < BATCH:
                return
            after = batch[-1]

    def _describe(self, units, *, depth, above):
        """Give `units` (siblings, or the top unit) their statements, records, counts and files."""
        by_pk = {unit.pk: unit for unit in units}
        rows = list(
            Statement.objects.filter(item_id__in=list(by_pk)).order_by("item_id", "position", "id")
            .values_list("item_id", "term", "value", "lang", "authority_id")
        )
        records = self.records.get({row[4] for row in rows if row[4]})
        for item_id, term, value, lang, authority_id in rows:
            by_pk[item_id].statements.append(Said(term, value, lang, records.get(authority_id)))
        if self.site_url:
            for file in DigitalFile.objects.filter(item_id__in=list(by_pk)).order_by("item_id", "position", "id"):
                by_pk[file.item_id].files.append(file)
        counts = arrangement.child_counts(units, None)
        for unit in units:
            unit.depth, unit.has_children = depth, bool(counts.get(unit.pk))
            unit.site_url, unit.histories_above = self.site_url, above


def walk(top, *, site_url=""):
    return iter(Walk(top, site_url=site_url))


def published_unit(identifier):
    """The published unit with `identifier` (its level read with it), or None."""
    return Item.objects.published().select_related("level").filter(identifier=identifier).first()
