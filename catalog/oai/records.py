"""The records OAI-PMH and the static export serve, read a page at a time.

A record is either a published item, with its description, or a tombstone (reported as
deleted). The two are kept apart in the database and merged here in datestamp order, by keyset:
a page is "the next n records after the cursor", fetched from both tables through their
(datestamp, identifier) indexes, so page 2,000 costs what page 1 costs, and a record that does
not change during a harvest is delivered exactly once.

Descriptions are read as plain values, not model instances: a page of 500 items has some 5,000
statements, and building ORM objects for them costs several times the queries themselves. The
rules stay the model's: `Item.objects.published()` decides visibility, a statement shows its
authority's preferred label (Statement.display_value), and an item's sets are its collections,
its DCMI type and the fonds at the top of its arrangement (Item.set_specs).

Every unit of description is a record, at any level. Its place in the arrangement is read with
the page, in one more query for the whole page (the units above its records: their parents'
identifiers, the identifiers of the units at the top, and whether a top-level record has units
below it), so a page costs the same queries whatever its records' depth: its fonds set, its
level, its parent (as an OAI identifier and a page URL) and its full reference code.
"""
import heapq
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from datetime import datetime, timezone
from typing import Callable, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from catalog.facets.models import FacetCount
from catalog.lookups import StartsWithExactly
from catalog.models import Collection, Item, Level, Statement, Tombstone
from catalog.relations import RELATION_TERMS

_RELATION_TERMS = frozenset(RELATION_TERMS)
from catalog.models.items import FONDS_SET, TYPE_SET, fonds_set

from . import compiled
from .identify import oai_identifier


class Value(NamedTuple):
    """One statement as outputs see it: the term, the value shown, its language.

    Formats read values by unpacking, `for term, value, lang in description.values`, so the
    bulk reader below can hand them plain tuples: a harvest makes millions of them.
    """

    term: str
    value: str
    lang: str


@dataclass(slots=True)
class Description:
    """What a metadata format writes: everything about one published item a harvester sees."""

    identifier: str
    dcmi_type: str
    url: str  # the item's page on the public site
    values: list[Value] = field(default_factory=list)
    level: str = ""  # the level of description's name as stored, in English ("Series")
    reference_code: str = ""  # ISAD(G) 3.1.1 in full: "NO ARKIV KF/A/3"
    parent_oai_identifier: str = ""  # the unit this one is arranged under, "" at the top
    parent_url: str = ""  # that unit's page on the public site
    pk: int = 0
    # {index in values: pk of the authority record that value is linked to}, for formats that
    # point at the record itself (EDM's contextual entities) rather than at its label.
    authorities: dict = field(default_factory=dict)
    extra: object = None  # what a format's prepare() read for it
    # Relations to other published items (catalog/relations.py): their OAI identifiers and pages,
    # beside the values' text, which `values` keeps as every other statement.
    related: list["Related"] = field(default_factory=list)
    rights_uri: str = ""  # the rights statement or licence of the controlled list (catalog/rights.py)


class Related(NamedTuple):
    """A relation statement that names another published item: the term, that item's OAI
    identifier and its page. A relation to an item no harvester sees is text only."""

    term: str
    oai_identifier: str
    url: str


@dataclass(slots=True)
class Record:
    identifier: str  # the item's accession identifier; the OAI identifier is made from it
    datestamp: datetime  # full precision: the keyset cursor must not lose the microseconds
    set_specs: list[str]  # read only where no stored header came with the record
    deleted: bool
    description: Description | None = None
    # The record's header as stored (catalog/oai/cache/headers.py), where a current one is: the
    # page serves it as it is.
    header: bytes | None = None

    @property
    def key(self):
        return (self.datestamp, self.identifier)


@dataclass(frozen=True)
class Selection:
    """Which records a list request asks for: from, until (exclusive) and set."""

    start: datetime | None = None
    end: datetime | None = None
    set_spec: str | None = None
    include_deleted: bool = True
    condition: Q | None = None  # the metadata format's (MetadataFormat.condition): what it can describe
    admitted: Callable[[], int] | None = None  # the format's admitted_count: the condition's items, uncounted
    # What the selection, and the stored header its pages read, stand for (verbs: the arguments,
    # the format, the header's context), or None: pages with one key run the same SQL, compiled
    # once (compiled.py).
    key: tuple | None = None

    @property
    def compiled_key(self):
        # A fonds set's SQL names its top unit's pk, looked up as the selection is made (_in_fonds).
        if self.set_spec and self.set_spec.startswith(FONDS_SET + ":"):
            return None
        return self.key

    def items(self):
        items = Item.objects.published()
        if self.condition is not None:
            items = items.filter(self.condition)
        if self.start:
            items = items.filter(modified__gte=self.start)
        if self.end:
            items = items.filter(modified__lt=self.end)
        if self.set_spec:
            items = items.filter(self._set_condition)
        return items

    @cached_property
    def _set_condition(self):
        # Once per selection: a fonds set looks its top unit up (page and count share it).
        return _in_set(self.set_spec)

    def tombstones(self):
        if not self.include_deleted:
            return Tombstone.objects.none()
        tombstones = Tombstone.objects.all()
        if self.start:
            tombstones = tombstones.filter(datestamp__gte=self.start)
        if self.end:
            tombstones = tombstones.filter(datestamp__lt=self.end)
        if self.set_spec:
            tombstones = tombstones.in_set(self.set_spec)
        return tombstones

    def count(self):
        return self._items_count() + self.tombstones().count()

    def _items_count(self):
        """Unnarrowed by dates or set, a list's published items are read off the facet counts (a
        few rows; the facet index holds a "type" row for every published item), not counted."""
        if self.start is None and self.end is None and not self.set_spec:
            if self.condition is None:
                return FacetCount.objects.total("type")
            if self.admitted is not None:
                return self.admitted()
        return self.items().count()


def _in_set(set_spec):
    # A setSpec is compared exactly, letter case included (StartsWithExactly, not
    # __startswith, which ignores case on SQLite): "type:text" and "FONDS" are no sets.
    if set_spec == TYPE_SET:
        return ~Q(dcmi_type="")
    if set_spec.startswith(TYPE_SET + ":"):
        return Q(dcmi_type=set_spec.removeprefix(TYPE_SET + ":"))
    if set_spec == FONDS_SET:
        # Every unit in an arrangement: below a unit, or a top unit with units below it.
        return ~Q(ancestry="/") | Q(Exists(_units_below()))
    if set_spec.startswith(FONDS_SET + ":"):
        return _in_fonds(set_spec.removeprefix(FONDS_SET + ":"))
    memberships = Item.collections.through.objects.filter(
        item_id=OuterRef("pk"), collection__in=collections_in_set(set_spec)
    )
    return Q(Exists(memberships))


def _units_below():
    return Item.objects.filter(parent_id=OuterRef("pk"))


def _in_fonds(identifier):
    """The top unit `identifier` and everything below it, if it is the top of an arrangement.

    The top is looked up first (one query), so that its subtree is a constant prefix of
    ancestry ("/12/"), which both databases read from the ancestry index; a prefix made in SQL
    from a subquery could not be."""
    top = (
        Item.objects.filter(identifier=identifier, parent__isnull=True)
        .filter(Exists(_units_below())).values_list("pk", flat=True).first()
    )
    if top is None:
        return Q(pk__in=[])  # no such arrangement: its tombstones may still answer to the set
    return Q(pk=top) | Q(StartsWithExactly(F("ancestry"), f"/{top}/"))


def collections_in_set(set_spec):
    """The collection whose setSpec is `set_spec` and every collection below it: a
    collection's set holds its own items and those of its descendants."""
    return Collection.objects.filter(Q(set_spec=set_spec) | Q(StartsWithExactly(F("set_spec"), set_spec + ":")))


class Cursor(NamedTuple):
    """Where a list stopped: the key (datestamp, identifier) of the last published item and of
    the last tombstone delivered, each None until one has been.

    Each table is walked in its own database order, and the two streams are merged by datestamp
    alone. So the cursor never compares an item with a tombstone, and no collation can make
    the two orders disagree and drop or repeat a record.
    """

    items: tuple | None = None
    tombstones: tuple | None = None


def _after(key, datestamp_field):
    """Rows after (datestamp, identifier), written so that both SQLite and PostgreSQL walk the
    (datestamp, identifier) index from the key on instead of scanning up to it: the first
    condition bounds the index range, the second breaks ties within one datestamp."""
    datestamp, identifier = key
    return Q(**{f"{datestamp_field}__gte": datestamp}) & (
        Q(**{f"{datestamp_field}__gt": datestamp}) | Q(identifier__gt=identifier)
    )


def page(selection: Selection, *, after: Cursor = Cursor(), size: int, describe=False, site_url="", stored_header=None):
    """The next `size` records of `selection` after `after`, whether more follow, and the
    cursor after them: (records, more, cursor).

    `stored_header`: an expression for an item's stored header, or NULL (cache/headers.py);
    an item record whose header comes with it is given no sets.

    Costs a fixed number of queries whatever `size` is: items, tombstones, the items' sets
    (where headers are not stored), and, with `describe`, their statements.
    """
    # Each source gives one more than a page: the page is the head of their merge, and a row
    # left over on either side means that another page follows.
    key = selection.compiled_key

    def items(*cursor):
        queryset = selection.items()
        if cursor:
            queryset = queryset.filter(_after(cursor, "modified"))
        queryset = queryset.order_by("modified", "identifier")
        if stored_header is None:
            return queryset.values_list(*_ITEM_FIELDS)[: size + 1]
        # The item rows as the index on (datestamp, identifier) holds them, and the header.
        return queryset.annotate(stored_header=stored_header).values_list(*_STORED_FIELDS)[: size + 1]

    rows = compiled.rows(key and ("items", key, size, bool(after.items), stored_header is None), items, after.items or ())
    item_records = [_placed(*row) for row in rows] if stored_header is None else [_ItemRecord(*row) for row in rows]
    # A full page of items: only tombstones dated up to the page's last item can still make it
    # in (items go first on a tie), so the rest are not read. Deletions are few, and this keeps
    # a page from reading a page's worth of tombstones to use a handful.
    bound = (item_records[size - 1].datestamp,) if len(item_records) > size else ()

    def tombstones(*values):
        queryset = selection.tombstones()
        if after.tombstones:
            queryset = queryset.filter(_after(values[:2], "datestamp"))
        if bound:
            queryset = queryset.filter(datestamp__lte=values[-1])
        return queryset.order_by("datestamp", "identifier").values_list(*_TOMBSTONE_FIELDS)[: size + 1]

    tombstone_rows = compiled.rows(
        key and ("tombstones", key, size, bool(after.tombstones), bool(bound)), tombstones, (*(after.tombstones or ()), *bound),
    )
    merged = list(heapq.merge(
        item_records,
        [_deleted(*row) for row in tombstone_rows],
        key=_DATESTAMP,
    )) if tombstone_rows else item_records
    kept = merged[:size]
    published = [record for record in kept if not record.deleted]
    deleted = [record for record in kept if record.deleted]
    _complete(published, describe=describe, site_url=site_url)
    cursor = Cursor(
        published[-1].key if published else after.items,
        deleted[-1].key if deleted else after.tombstones,
    )
    return kept, len(merged) > size, cursor


_DATESTAMP = attrgetter("datestamp")


def left_out(selection: Selection, *, after=None, upto=None, delivered=0) -> int:
    """How many published items of the selection its condition leaves out, between the cursor
    keys `after` (exclusive) and `upto` (inclusive; None: to the end), where the list response
    delivered `delivered` published items in that range: the records a list response of a format
    that cannot describe every item skipped.

    Every item the condition admits in that range is on the page (the page is the keyset's next
    items that meet it), so the items left out are those of the range less those delivered. The
    range is counted without the condition, from the (datestamp, identifier) index alone: the
    condition (edm's looks at every item's statements) would cost as much again as the page."""
    if selection.condition is None:
        return 0
    items = replace(selection, condition=None).items()
    if after:
        items = items.filter(_after(after, "modified"))
    if upto:
        datestamp, identifier = upto
        items = items.filter(Q(modified__lte=datestamp) & (Q(modified__lt=datestamp) | Q(identifier__lte=identifier)))
    return items.count() - delivered


def admitted(record: Record, condition) -> bool:
    """Whether a published item's record meets a format's condition (GetRecord)."""
    return condition is None or Item.objects.filter(pk=record.pk).filter(condition).exists()


def find(identifier, *, describe=False, site_url="") -> Record | None:
    """The record of one accession identifier: the published item, its tombstone, or None."""
    row = Item.objects.published().filter(identifier=identifier).values_list(*_ITEM_FIELDS).first()
    if row is not None:
        record = _placed(*row)
        _complete([record], describe=describe, site_url=site_url)
        return record
    row = Tombstone.objects.filter(identifier=identifier).values_list(*_TOMBSTONE_FIELDS).first()
    return _deleted(*row) if row else None


# What a header needs (its sets included); the rest of a description is read by _describe, only
# for the records it describes: a page whose fragments are stored (cache/fragments.py), and every
# ListIdentifiers page, reads no more than this.
_ITEM_FIELDS = ("pk", "identifier", "modified", "dcmi_type", "ancestry")
# Where headers are stored, what the page reads of an item beside its header; its place (type,
# ancestry) is read only for the records whose header is not.
_STORED_FIELDS = ("pk", "identifier", "modified", "stored_header")
_TOMBSTONE_FIELDS = ("identifier", "datestamp", "set_specs")


class _ItemRecord(Record):
    """A published item's record while it is being read; it knows its row."""

    __slots__ = ("pk", "dcmi_type", "ancestry", "top_id", "parent_id")

    def __init__(self, pk, identifier, modified, header=None):
        # Record's fields set here rather than by its __init__: a harvest makes a million of these.
        self.identifier, self.datestamp, self.set_specs, self.deleted, self.description = identifier, moment(modified), [], False, None
        self.pk, self.header, self.ancestry = pk, header, None  # no place read yet

    def place(self, dcmi_type, ancestry):
        self.dcmi_type, self.ancestry = dcmi_type, ancestry
        # The pks of the units at the top of this one's arrangement and right above it, from
        # its ancestry ("/top/…/parent/"); None at the top.
        if ancestry == "/":
            self.top_id = self.parent_id = None
        else:
            above = ancestry[1:-1].split("/")
            self.top_id, self.parent_id = int(above[0]), int(above[-1])


def _placed(pk, identifier, modified, dcmi_type, ancestry):
    record = _ItemRecord(pk, identifier, modified)
    record.place(dcmi_type, ancestry)
    return record


def _deleted(identifier, datestamp, set_specs):
    return Record(identifier, moment(datestamp), set_specs.split(), deleted=True)


# --- Reading rows as the driver gives them ---------------------------------------------------
#
# A page reads some 500 rows from each of a few queries. Through the ORM, a row costs several
# times what the database spent on it: the collections of a page's 500 items take 2.5 ms of CPU
# through the ORM (a `pk__in` of 500 values to compile, a converter on every value) and 0.65 ms
# on a bare cursor, the stored fragments 6.4 ms against 3.4 (SQLite, 100,000 items). So the
# page's queries are made by the ORM where it decides what is read (visibility, the format's
# condition, the set, the keyset: compiled once per kind of page, compiled.py), or written here
# where they are a plain lookup by primary key (`_memberships`, `_above`, `_place`), and run on a
# bare cursor; the one value that needs converting, the datestamp, is converted by `moment`.


def moment(value) -> datetime:
    """A datestamp as the driver gives it, as an aware datetime in UTC. PostgreSQL's driver gives
    one already (Django's connections are in UTC); SQLite's gives the naive datetime Django's
    converter for the column's declared type reads from the text Django stored, in UTC (or that
    text, in a query whose column has no declared type)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def in_list(pks) -> str:
    """A list of primary keys for SQL's IN, written out: integers, checked as such."""
    return ",".join(str(int(pk)) for pk in pks)


def _memberships(pks):
    """(item pk, setSpec) of each collection the items are in."""
    through, collection = Item.collections.through._meta.db_table, Collection._meta.db_table
    sql = (
        f"SELECT m.item_id, c.set_spec FROM {through} m JOIN {collection} c ON c.id = m.collection_id "
        f"WHERE m.item_id IN ({in_list(pks)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


# The level of a unit whose level was never set (bulk writers may leave it null): a single item,
# as Level.default() makes it.
DEFAULT_LEVEL = "Item"


def _complete(records, *, describe, site_url):
    """Give item records without a stored header their sets, and with `describe`, every record
    its description: a query each (their places where not read, collections, the units above;
    with `describe`, their rows and statements, and the units above again unless those were
    read for every record)."""
    unheaded = [record for record in records if record.header is None]
    above = None
    if unheaded:
        _place([record for record in unheaded if record.ancestry is None])
        by_pk = {record.pk: record for record in unheaded}
        for pk, set_spec in _memberships(by_pk):
            by_pk[pk].set_specs.append(set_spec)
        # With `describe`, their parents too: the descriptions need them.
        above = _above(unheaded, parents=describe)
        for record in unheaded:
            if record.dcmi_type:
                record.set_specs.append(f"{TYPE_SET}:{record.dcmi_type}")
            fonds = _fonds_of(record, above)
            if fonds:
                record.set_specs.append(fonds_set(fonds))
            record.set_specs.sort()
    if describe:
        _described(records, site_url=site_url, above=above if len(unheaded) == len(records) else None)


def describe(records, *, site_url):
    """Give item records read without their descriptions (page(describe=False)) their
    descriptions: three queries (the rest of their rows, the units above them, their
    statements). The fragment cache (catalog/oai/cache/) describes only the records whose stored
    metadata is missing or stale."""
    _described([record for record in records if not record.deleted], site_url=site_url)


def _described(records, *, site_url, above=None):
    """`above`: the units above every record with their parents (_above(parents=True)), if read."""
    if records:
        rows = _descriptive(records)  # places the records first: the units above are theirs
        _describe(records, rows, _above(records, parents=True) if above is None else above, site_url=site_url)


def _place(records):
    """Read the type and ancestry of records whose page read only their header (one query)."""
    if not records:
        return
    by_pk = {record.pk: record for record in records}
    sql = f"SELECT id, dcmi_type, ancestry FROM {Item._meta.db_table} WHERE id IN ({in_list(by_pk)})"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for pk, dcmi_type, ancestry in cursor.fetchall():
            by_pk[pk].place(dcmi_type, ancestry)


def _describe(records, rows, above, *, site_url):
    by_pk = {record.pk: record for record in records}
    link = item_link(site_url)
    reference_code = reference_codes()
    for pk, reference, level, rights_uri in rows:
        record = by_pk[pk]
        parent = above.get(record.parent_id) if record.parent_id else None
        record.description = Description(
            record.identifier, record.dcmi_type, link(record.identifier),
            level=level or DEFAULT_LEVEL,
            reference_code=reference_code(reference or record.identifier),
            parent_oai_identifier=oai_identifier(parent[0]) if parent else "",
            parent_url=link(parent[0]) if parent else "",
            pk=pk, rights_uri=rights_uri,
        )
    statements = (
        Statement.objects.filter(item_id__in=by_pk)
        .order_by("item_id", "position", "id")
        .values_list(
            "item_id", "term", "value", "lang", "authority__preferred_label", "authority_id",
            "target__identifier", "target__status", "target__ancestors_public",
        )
    )
    for pk, term, value, lang, label, authority, target, status, ancestors_public in statements:
        description = by_pk[pk].description
        if authority is not None:
            description.authorities[len(description.values)] = authority
        # Statement.display_value: a linked value shows its authority's preferred label.
        description.values.append((term, value if label is None else label, lang))
        # The same visibility rule as Item.is_public: a draft is never named by its address.
        if target is not None and status == Item.PUBLISHED and ancestors_public and term in _RELATION_TERMS:
            description.related.append(Related(term, oai_identifier(target), link(target)))


def _descriptive(records):
    """[(pk, reference, level's name, rights URI)] of each item record, placed on the way (type,
    ancestry): what a description says of the item's own row beyond its header."""
    by_pk = {record.pk: record for record in records}
    item, level = Item._meta.db_table, Level._meta.db_table
    sql = (
        f"SELECT i.id, i.dcmi_type, i.ancestry, i.reference, l.name, i.rights_uri FROM {item} i "
        f"LEFT JOIN {level} l ON l.id = i.level_id WHERE i.id IN ({in_list(by_pk)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    for pk, dcmi_type, ancestry, *_rest in rows:
        by_pk[pk].place(dcmi_type, ancestry)
    return [(pk, *rest) for pk, _type, _ancestry, *rest in rows]


def _above(records, *, parents):
    """{pk: (identifier, has units below)} for the units the records' places name: the tops of
    their arrangements, their parents (with `parents`), and the records at the top themselves
    (whether units are below them makes them a fonds set). One query for the page."""
    wanted = set()
    for record in records:
        wanted.add(record.top_id or record.pk)
        if parents and record.parent_id:
            wanted.add(record.parent_id)
    item = Item._meta.db_table
    sql = (
        f"SELECT i.id, i.identifier, EXISTS (SELECT 1 FROM {item} b WHERE b.parent_id = i.id) "
        f"FROM {item} i WHERE i.id IN ({in_list(wanted)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {pk: (identifier, bool(below)) for pk, identifier, below in cursor.fetchall()}


def _fonds_of(record, above):
    """The identifier of the unit at the top of the record's arrangement, or None if the record
    is in none (a top unit with nothing below it is not an arrangement: Item.set_specs)."""
    if record.top_id:
        top = above.get(record.top_id)
        return top[0] if top else None
    _identifier, below = above.get(record.pk, (None, False))
    return record.identifier if below else None


def reference_codes():
    """A function reference -> the full reference code, as Item.reference_code composes it
    (country and repository code, then the local codes from the top down), with the settings
    read once for a page rather than once per record."""
    prefix = f"{settings.ARKIV_COUNTRY_CODE} {settings.ARKIV_REPOSITORY_CODE} "
    return lambda reference: prefix + reference


def item_link(site_url):
    """A function identifier -> absolute URL of the item's public page.

    reverse() is resolved once, with a placeholder, rather than once per record: accession
    identifiers are URL-safe by validation (validators.IDENTIFIER_PATTERN), so they go in as
    they are.
    """
    placeholder = "IDENTIFIER-PLACEHOLDER"
    template = site_url.rstrip("/") + reverse("catalog:item", kwargs={"identifier": placeholder})
    prefix, _, suffix = template.partition(placeholder)
    return lambda identifier: f"{prefix}{identifier}{suffix}"
