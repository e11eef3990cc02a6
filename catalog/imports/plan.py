"""Rows → a plan: each row creates an item, updates one (with a diff), changes nothing, or fails.

How a row names its parent (for every source of rows: the CSV file, and the EAD importer, which
turns each component into a row of the same shape). A row is one unit of description, named by
its `identifier`. Its `parent` cell holds the identifier of the unit directly above it: a unit
already in the catalogue, or another row of the same file, before or after it (the rows may come
in any order; a row of the file wins over the catalogue's unit of the same identifier, since it
is what the unit will be). An empty cell puts the unit at the top of an arrangement (a fonds, an
assembled collection, or a single item nobody arranged). Its `level` cell holds a level's code
(fonds, series, file… as in the Level table; empty: item), and `local_code` its own part of the
reference code (empty: its identifier stands for it). Without a `parent` column a row keeps its
unit where it is, and a new unit goes at the top. New units under a parent follow its present
children, in the order of the file. Where each unit ends up is checked across the whole file
once every row is planned (arrangement.py): a parent that exists nowhere, a cycle, too many
levels or a reference code taken twice is a row error like any other.

The planner compares every row with the catalogue as it is and records only differences. Only
the columns present in the file are compared, so a missing column never touches data; an empty
cell in a present column clears that field, and the diff says so. Values are validated only
where they would be written: an old unreadable date that the file leaves as it is stays, but a
new one must be readable.

Rows are planned in chunks: a chunk's items, statements, collections and files are loaded in
four queries, the parents it names in one more, and the rest is Python.
"""
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import orjson
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import dates, dublincore, imaging, relations, rights
from ..bulk import select_in, table
from ..materials import rules as materials
from ..models import DigitalFile, Item, Statement
from ..services import PUBLISH_DENIED, PUBLISH_NO_TITLE, PUBLISH_PERMISSION
from ..validators import validate_identifier, validate_local_code, validate_statement_count
from . import format as fmt
from .header import DID_YOU_MEAN
from .arrangement import Arrangement, Place
from .lookup import Levels
from .targets import Targets, relation_identifiers

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"

NO_IDENTIFIER = _("The identifier is empty: every row needs the accession identifier of its item.")
REPEATED_IDENTIFIER = _(
    "{identifier} is also in row {first}: give each item one row, merging the two rows' values."
)
TOO_MANY_CELLS = _(
    "The row has {count} cells but the header names {width} columns: remove the extra cells, or "
    "quote a cell that contains a comma (\"Kirkenes, Finnmark\")."
)
TOO_FEW_CELLS = _(
    "The row has {count} cells but the header names {width} columns: add the missing cells (an "
    "empty cell clears that field; delete the column instead to leave it as it is)."
)
NEW_WITHOUT_TYPE = _(
    "{identifier} is a new item and needs a type: add a “type” column with a DCMI type such as "
    "StillImage or Text."
)
TYPE_EMPTY = _("The type cannot be emptied: every item has a DCMI type ({types}).")
TYPE_UNKNOWN = _("“{value}” is not a DCMI type: use one of {types}.")
STATUS_EMPTY = _(
    "The status cannot be emptied: write draft, published or withdrawn, or delete the column to "
    "leave every item's status as it is."
)
STATUS_UNKNOWN = _("“{value}” is not a status: use draft, published or withdrawn.")
RIGHTS_UNKNOWN = _(
    "“{value}” is not in Arkiv's list of rights statements and licences{hint}: write the address of "
    "a rightsstatements.org statement, a Creative Commons 4.0 licence, CC0 or the Public Domain "
    "Mark (http://rightsstatements.org/vocab/InC/1.0/), or leave the cell empty."
)
COLLECTION_UNKNOWN = _(
    "“{value}” is not a collection: use a collection's code (as in its address, “finnmark-1944”), "
    "or create the collection in the admin first."
)
DATE_UNREADABLE = _(
    "“{value}” is not a date Arkiv can read: write it as 1945-09-24, 1945-09, 1945, 1944/1945, "
    "“circa 1945”, “1940s”, “September 1945”, or another EDTF date (or import with “accept "
    "unreadable dates” to keep it as written)."
)
DATE_KEPT = _("“{value}” cannot be read as a date: it is kept as written, and the item is flagged and not sorted by date.")
FILE_NO_FOLDER = _(
    "“{name}” is not attached to this item, and no files came with the import: give the folder "
    "of files (import_csv --files DIR), or upload the files together with the CSV."
)
FILE_BAD_NAME = _("“{name}” must be a file name inside the folder of files, without “..” or a leading /.")
FILE_OUTSIDE = _(
    "“{name}” is a link that leads outside the folder of files: copy the file itself into the "
    "folder, since an import takes only what lies inside it."
)
FILE_MISSING = _("“{name}” is not in the folder of files: check the spelling (and upper/lower case) of the name.")
FILE_REPEATED = _("“{name}” is named twice: name each file once.")
FILE_KEPT = _(
    "“{name}” is attached to this item but missing from the cell; an import never removes digital "
    "files: add the name back, or remove the file in the admin."
)
CLEARED = _("The cell is empty: these values will be removed.")
LEVEL_CLEARED = _("The cell is empty: the unit will be at the level “item”.")
AT_THE_TOP = _("The cell is empty: the unit will be at the top of an arrangement, under no other unit.")
OWN_PARENT = _(
    "{identifier} names itself as its parent: write the identifier of the unit above it, or leave "
    "the cell empty to put it at the top."
)

_TYPES = {t.lower(): t for t in dublincore.DCMI_TYPES}
_TYPE_LIST = ", ".join(dublincore.DCMI_TYPES)
# The stored values, whatever the case: a CSV file means the same in every interface language
# (the labels are translated, and reading them here at import time would freeze one language).
_STATUSES = {value: value for value, _ in Item.STATUSES}
_NEEDS_EDITOR = {Item.PUBLISHED, Item.WITHDRAWN}
_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)  # json.dumps() makes one a call


@dataclass
class Options:
    create_authorities: bool = False
    # A legacy catalogue may hold dates like “undated” or “s.d.”; the admin keeps such a date as
    # written and flags the item, and with this option so does the import.
    accept_unreadable_dates: bool = False
    skip_bad_rows: bool = False
    files_dir: Path | None = None
    # The caller decoded every file's pixels already (the folder ingest, imaging.decodes): planning
    # checks the type and the caps only, and leaves the derivatives to the writing.
    files_checked: bool = False
    user: object = None  # None: the command line, which may do everything
    # What the history records the import as (catalog/history/models.ChangeSet.source), and
    # its detail (the file's name, the batch edit made).
    history_source: str = "csv"
    history_detail: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(slots=True)
class Change:
    column: str
    old: list
    new: list
    notes: list = field(default_factory=list)

    def as_json(self):
        return {"column": self.column, "old": self.old, "new": self.new, "notes": self.notes}


class StatementState(NamedTuple):  # a tuple: a large import loads millions
    pk: int
    term: str
    lang: str
    value: str
    authority_id: int | None
    position: int
    target: str | None = None  # the identifier of the item a relation names (catalog/relations.py)


@dataclass
class ItemState:
    """An item as stored, as far as the importer compares it."""

    pk: int
    dcmi_type: str
    status: str
    ever_published: bool
    full_text: str | None
    rights_uri: str = ""
    statements: list = field(default_factory=list)
    collections: set = field(default_factory=set)
    files: list = field(default_factory=list)
    # Its place in the arrangement (ancestry and reference are derived from the rest).
    level_id: int | None = None
    parent_id: int | None = None
    parent_identifier: str = ""
    local_code: str = ""
    arrangement: str = ""  # the system of arrangement (ISAD(G) 3.3.4): text, not a place
    ancestry: str = "/"
    reference: str | None = None
    ancestors_public: bool = True
    _groups: dict | None = field(default=None, repr=False, compare=False)

    @property
    def is_public(self):
        return self.status == Item.PUBLISHED and self.ancestors_public

    def groups(self):
        """The statements of each column, (term, lang) -> list, in order, without blank
        unlinked ones (which no output shows and the export leaves out)."""
        if self._groups is None:
            self._groups = {}
            for s in self.statements:
                if s.authority_id or s.value.strip():
                    self._groups.setdefault((s.term, s.lang), []).append(s)
        return self._groups

    def group(self, term, lang):
        """The statements of one column, as groups() has them."""
        return self.groups().get((term, lang), [])


@dataclass(slots=True)
class NewValue:
    value: str
    authority_id: int | None = None
    pending: object = None  # a lookup.PendingAuthority
    target: str | None = None  # the identifier of the item a relation value names (targets.py)


@dataclass
class RowPlan:
    row: int
    identifier: str
    existing: ItemState | None = None
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # Item fields to set: dcmi_type, status, full_text
    groups: dict = field(default_factory=dict)  # (term, lang) -> [NewValue], changed ones only
    collections: set | None = None  # the new set of collection pks, if it changes
    new_files: list = field(default_factory=list)  # (name, path)
    place: Place | None = None  # where the unit will stand: a new one's, or an existing one's new place
    # The status is written by the arrangement's step (apply.Writer.place), not with the other
    # fields: the unit has units below it, whose visibility follows its own.
    deferred_status: bool = False

    @property
    def action(self):
        if self.errors:
            return ERROR
        if self.existing is None:
            return CREATE
        return UPDATE if self.changes else UNCHANGED

    @property
    def seen_by_harvesters(self):
        """Whether a harvester would see this change, which bumps the OAI datestamp. The full
        text is searched on the site but is no part of any metadata format."""
        return (
            self.existing is None or bool(self.groups) or self.collections is not None
            or bool(self.new_files) or self.place is not None or any(name != "full_text" for name in self.fields)
        )

    def changes_json(self):
        """The diff, as stored and shown; a row with errors changes nothing, so it has none."""
        return [] if self.errors else [change.as_json() for change in self.changes]

    @cached_property
    def diff_text(self):
        """changes_json() as JSON, or None without changes: made once, stored and digested."""
        changes = self.changes_json()
        if not changes:
            return None
        try:
            return orjson.dumps(changes).decode()  # a tenth of json's time, for every row of a file
        except orjson.JSONEncodeError:  # a lone surrogate, which orjson refuses and json writes
            return _JSON.encode(changes)

    def fail(self, column, message):
        # str(): a message is translated now, in the import's language (jobs.py), and stored as text.
        self.errors.append(RowError(self.row, column, str(message)))


def load_items(identifiers, *, with_full_text):
    """The stored state of the items with these identifiers, in four queries (a chunk of ids)."""
    fields = [
        "pk", "identifier", "dcmi_type", "status", "ever_published", "rights_uri", "level_id", "parent_id", "parent__identifier",
        "local_code", "arrangement", "ancestry", "reference", "ancestors_public",
    ]
    if with_full_text:
        fields.append("full_text")
    states, by_pk = {}, {}
    for values in Item.objects.filter(identifier__in=identifiers).values(*fields):
        identifier = values.pop("identifier")
        values["parent_identifier"] = values.pop("parent__identifier") or ""
        states[identifier] = by_pk[values["pk"]] = ItemState(**{"full_text": None, **values})
    if not by_pk:
        return states
    statements = select_in(
        f"SELECT s.id, s.term, s.lang, s.value, s.authority_id, s.\"position\", t.identifier, s.item_id "
        f"FROM {table(Statement)} s LEFT JOIN {table(Item)} t ON t.id = s.target_id "
        "WHERE s.item_id IN ({ids}) ORDER BY s.item_id, s.\"position\", s.id",
        by_pk,
    )
    for *state, item_id in statements:
        by_pk[item_id].statements.append(StatementState._make(state))
    memberships = f"SELECT item_id, collection_id FROM {table(Item.collections.through)} WHERE item_id IN ({{ids}})"
    for item_id, collection_id in select_in(memberships, by_pk):
        by_pk[item_id].collections.add(collection_id)
    files = f"SELECT item_id, original_name, file FROM {table(DigitalFile)} WHERE item_id IN ({{ids}}) ORDER BY \"position\", id"
    for item_id, original_name, stored in select_in(files, by_pk):
        by_pk[item_id].files.append(fmt.file_name(original_name, stored))
    return states


class Planner:
    """Plans rows against the catalogue. Holds only what outlives a chunk: the header, the
    options, the authority, collection and level indexes, and the arrangement of the file's units
    (which finish() checks once every row is planned)."""

    def __init__(self, header, options, authorities, collections, levels=None):
        self.header = header
        self.options = options
        self.authorities = authorities
        self.collections = collections
        self.levels = levels or Levels.load()
        self.may_publish = options.user is None or options.user.has_perm(PUBLISH_PERMISSION)
        self.arrangement = Arrangement(has_local_code=header.get(fmt.LOCAL_CODE) is not None, may_publish=self.may_publish)
        self.item_columns = {column.field: column for column in header.columns if column.field != "term"}
        self.column_order = {column.name: column.index for column in header.columns}
        self.identifier_index = header.get(fmt.IDENTIFIER).index
        self.term_columns = [(column, (column.term, column.lang)) for column in header.term_columns]
        self.targets = Targets()
        # {identifier: ItemState} loaded already by the source of the rows (a batch edit reads
        # each item to write its row): taken from here instead of read again.
        self.known_states = None

    def plan_chunk(self, rows, earlier_rows):
        """Plans for a list of (row number, cells). `earlier_rows(dict identifier -> row)`
        returns the identifiers already seen in earlier chunks, with their first row."""
        plans, first_row = [], {}
        for row, cells in rows:
            plan = RowPlan(row, self._identifier(cells))
            self._check_shape(plan, cells)
            if plan.identifier in first_row:
                plan.fail(fmt.IDENTIFIER, REPEATED_IDENTIFIER.format(identifier=plan.identifier, first=first_row[plan.identifier]))
            elif plan.identifier and not plan.errors:
                first_row[plan.identifier] = row
            plans.append((plan, cells))
        for identifier, first in earlier_rows(first_row).items():
            for plan, _ in plans:
                if plan.identifier == identifier and not plan.errors:
                    plan.fail(fmt.IDENTIFIER, REPEATED_IDENTIFIER.format(identifier=identifier, first=first))
        wanted = [plan.identifier for plan, _ in plans if not plan.errors]
        states = self._states(wanted)
        self.targets.look_up(relation_identifiers(self.header, rows))
        for plan, cells in plans:
            if not plan.errors:
                plan.existing = states.get(plan.identifier)
                self._plan_row(plan, cells)
        plans = [plan for plan, _ in plans]
        self.arrangement.add(plans)
        return plans

    def _states(self, wanted):
        with_full_text = self.header.get(fmt.FULL_TEXT) is not None
        known = self.known_states
        if not known or with_full_text:  # the source's states have no full text
            return load_items(wanted, with_full_text=with_full_text)
        states = {identifier: known.pop(identifier) for identifier in wanted if identifier in known}
        missing = [identifier for identifier in wanted if identifier not in states]
        if missing:
            states.update(load_items(missing, with_full_text=False))
        return states

    def finish(self, seen=None):
        """The row errors that only the whole file shows: where its units stand
        (arrangement.py), and the items its relation cells name (targets.py), which `seen`
        (identifiers -> those that are rows of the file) finds. Call once every row is planned."""
        errors = self.arrangement.finish()
        named = self.targets.finish(seen) if seen is not None else []
        # Rows that fail here are not written when bad rows are skipped (apply.Writer.skipped).
        self.arrangement.failed.update(identifier for _row, identifier, _column, _message in named)
        return errors + named

    def _identifier(self, cells):
        index = self.identifier_index
        return fmt.restore(cells[index]).strip() if index < len(cells) else ""

    def _check_shape(self, plan, cells):
        width = self.header.width
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            plan.fail("", TOO_MANY_CELLS.format(count=len(cells), width=width))
        elif len(cells) < width:
            plan.fail("", TOO_FEW_CELLS.format(count=len(cells), width=width))
        if not plan.identifier:
            plan.fail(fmt.IDENTIFIER, NO_IDENTIFIER)
            return
        try:
            validate_identifier(plan.identifier)
        except ValidationError as error:
            plan.fail(fmt.IDENTIFIER, error.messages[0])

    def _plan_row(self, plan, cells):
        def cell(field):
            column = self.item_columns.get(field)
            return None if column is None else fmt.restore(cells[column.index])

        self._plan_type(plan, cell(fmt.TYPE))
        self._plan_status(plan, cell(fmt.STATUS))
        self._plan_rights(plan, cell(fmt.RIGHTS_URI))
        self._plan_level(plan, cell(fmt.LEVEL))
        self._plan_place(plan, cell(fmt.PARENT), cell(fmt.LOCAL_CODE))
        if fmt.COLLECTIONS in self.item_columns:
            self._plan_collections(plan, cell(fmt.COLLECTIONS))
        groups = plan.existing.groups() if plan.existing else {}
        for column, key in self.term_columns:
            text, old = cells[column.index], groups.get(key, ())
            # Most cells of a wide file are empty, for columns the item has no values in.
            if old or (text and not text.isspace()):
                self._plan_term(plan, column, text, old)
        if fmt.FILES in self.item_columns:
            self._plan_files(plan, cell(fmt.FILES))
        if fmt.FULL_TEXT in self.item_columns:
            self._plan_full_text(plan, cell(fmt.FULL_TEXT))
        if fmt.ARRANGEMENT in self.item_columns:
            self._plan_arrangement(plan, cell(fmt.ARRANGEMENT))
        self._check_statement_count(plan)
        self._check_publishable(plan)
        if len(plan.changes) > 1:
            plan.changes.sort(key=lambda change: self.column_order.get(change.column, 0))

    def _set(self, plan, name, column, old, new, notes=()):
        plan.fields[name] = new
        plan.changes.append(Change(column, [old] if old else [], [new] if new else [], list(notes)))

    def _plan_type(self, plan, value):
        old = plan.existing.dcmi_type if plan.existing else ""
        if value is None:
            if not plan.existing:
                plan.fail(fmt.TYPE, NEW_WITHOUT_TYPE.format(identifier=plan.identifier))
            return
        value = value.strip()
        if value == old:
            return
        if not value:
            message = NEW_WITHOUT_TYPE.format(identifier=plan.identifier) if not plan.existing else TYPE_EMPTY.format(types=_TYPE_LIST)
            plan.fail(fmt.TYPE, message)
        elif value.lower() not in _TYPES:
            plan.fail(fmt.TYPE, TYPE_UNKNOWN.format(value=value, types=_TYPE_LIST))
        elif _TYPES[value.lower()] != old:
            self._set(plan, "dcmi_type", fmt.TYPE, old, _TYPES[value.lower()])

    def _plan_status(self, plan, value):
        old = plan.existing.status if plan.existing else ""
        if value is None:
            if not plan.existing:
                plan.fields["status"] = Item.DRAFT
            return
        value = value.strip()
        if value == old:
            return
        if not value:
            if plan.existing:
                plan.fail(fmt.STATUS, STATUS_EMPTY)
            else:
                plan.fields["status"] = Item.DRAFT
            return
        new = _STATUSES.get(value.lower())
        if new is None:
            plan.fail(fmt.STATUS, STATUS_UNKNOWN.format(value=value))
        elif new != old:
            if not self.may_publish and ({old, new} & _NEEDS_EDITOR):
                plan.fail(fmt.STATUS, PUBLISH_DENIED)
            else:
                self._set(plan, "status", fmt.STATUS, old, new)

    def _plan_rights(self, plan, value):
        """The URI of the controlled list; the forms people paste (https, no trailing slash, a
        statement's /page/ address) are taken as the list's own without a word."""
        if value is None:
            return
        old = plan.existing.rights_uri if plan.existing else ""
        written = value.strip()
        new = rights.normalise(written)
        if written and not new:
            close = rights.nearest(written)
            hint = " " + str(DID_YOU_MEAN).format(name=close) if close else ""
            plan.fail(fmt.RIGHTS_URI, RIGHTS_UNKNOWN.format(value=written, hint=hint))
        elif new != old:
            self._set(plan, "rights_uri", fmt.RIGHTS_URI, old, new, [] if new or not old else [str(CLEARED)])

    def _plan_level(self, plan, value):
        old = self.levels.code(plan.existing.level_id) if plan.existing else ""
        if value is None:
            if not plan.existing:
                plan.fields["level_id"] = self.levels.default
            return
        try:
            new = self.levels.resolve(value)
        except ValueError as error:
            plan.fail(fmt.LEVEL, str(error))
            return
        if plan.existing is None:
            plan.fields["level_id"] = new
            if value.strip():
                plan.changes.append(Change(fmt.LEVEL, [], [self.levels.code(new)]))
        elif self.levels.code(new) != old:
            plan.fields["level_id"] = new
            notes = [] if value.strip() else [str(LEVEL_CLEARED)]
            plan.changes.append(Change(fmt.LEVEL, [old], [self.levels.code(new)], notes))

    def _plan_place(self, plan, parent, local_code):
        """The unit's parent and local code: a new unit's, or an existing one's if either
        changes. Whether the parent exists, and the rest of what makes a place valid, is
        checked once the whole file is planned (arrangement.py)."""
        existing = plan.existing
        old_parent = existing.parent_identifier if existing else ""
        old_code = existing.local_code if existing else ""
        new_parent = old_parent if parent is None else parent.strip()
        new_code = old_code if local_code is None else local_code.strip()
        if new_code != old_code:
            try:
                validate_local_code(new_code)
            except ValidationError as error:
                plan.fail(fmt.LOCAL_CODE, error.messages[0])
            else:
                plan.changes.append(Change(fmt.LOCAL_CODE, [old_code] if old_code else [], [new_code] if new_code else [],
                                           [str(CLEARED)] if not new_code else []))
        if new_parent == plan.identifier:
            plan.fail(fmt.PARENT, OWN_PARENT.format(identifier=plan.identifier))
        elif new_parent != old_parent:
            notes = [str(AT_THE_TOP)] if existing and not new_parent else []
            plan.changes.append(Change(fmt.PARENT, [old_parent] if old_parent else [], [new_parent] if new_parent else [], notes))
        if existing is None:
            plan.fields["local_code"] = new_code
        if new_parent == plan.identifier:
            new_parent = old_parent  # failed already: no cycle to report too
        if existing is None or (new_parent, new_code) != (old_parent, old_code):
            plan.place = Place(new_parent, new_code)

    def _plan_collections(self, plan, value):
        names = fmt.split_values(value)
        unknown = [name for name in names if name not in self.collections.by_name]
        for name in unknown:
            plan.fail(fmt.COLLECTIONS, COLLECTION_UNKNOWN.format(value=name))
        if unknown:
            return
        new = {self.collections.by_name[name] for name in names}
        old = plan.existing.collections if plan.existing else set()
        if new != old:
            plan.collections = new
            identifiers = self.collections.identifiers
            plan.changes.append(Change(
                fmt.COLLECTIONS, sorted(identifiers[pk] for pk in old), sorted(identifiers[pk] for pk in new),
                [str(CLEARED)] if not new else [],
            ))

    def _same(self, statement, value):
        if statement.target:
            # The brackets alone keep the value as it is (“<identifier>”: its title, when linked).
            label, identifier = fmt.split_item_reference(value)
            return identifier == statement.target and (not label or label == statement.value.strip())
        if statement.authority_id:
            return self.authorities.names(statement.authority_id, value)
        return statement.value.strip() == value

    def _display(self, statement):
        if statement.target:
            return fmt.reference(statement.value, statement.target)
        if statement.authority_id:
            return self.authorities.preferred_label(statement.authority_id)
        return statement.value

    def _plan_term(self, plan, column, cell, old):
        values = fmt.split_values(fmt.restore(cell))
        if len(old) == len(values) and all(map(self._same, old, values)):
            return
        new, notes = [], []
        for index, text in enumerate(values):
            if index < len(old) and self._same(old[index], text):
                new.append(NewValue(old[index].value, old[index].authority_id, target=old[index].target))
                continue
            if column.term in dublincore.DATE_TERMS and dates.parse(text) is None:
                if self.options.accept_unreadable_dates:
                    new.append(NewValue(text))
                    notes.append(DATE_KEPT.format(value=text))
                else:
                    plan.fail(column.name, DATE_UNREADABLE.format(value=text))
            elif column.term in dublincore.AUTHORITY_KINDS:
                try:
                    match = self.authorities.resolve(text, column.term, create=self.options.create_authorities)
                except ValueError as error:
                    plan.fail(column.name, str(error))
                    continue
                new.append(NewValue(fmt.split_reference(text)[0], match.authority_id, match.pending))
                notes.append(match.note)
            elif relations.is_relation(column.term):
                try:
                    value, target, note = self.targets.resolve(plan, column, text)
                except ValueError as error:
                    plan.fail(column.name, str(error))
                    continue
                new.append(NewValue(value, target=target))
                if note:
                    notes.append(note)
            else:
                new.append(NewValue(text))
        plan.groups[(column.term, column.lang)] = new
        if old and not values:
            notes.append(str(CLEARED))
        plan.changes.append(Change(column.name, [self._display(s) for s in old], values, notes))

    def _plan_files(self, plan, value):
        names = fmt.split_values(value)
        attached = plan.existing.files if plan.existing else []
        seen, new = set(), []
        for name in names:
            clean = imaging.clean_name(name)
            if clean in seen:
                plan.fail(fmt.FILES, FILE_REPEATED.format(name=name))
                continue
            seen.add(clean)
            if clean not in attached:
                path = self._file_path(plan, name)
                if path is not None:
                    new.append((name, path))
        for name in attached:
            if name not in seen:
                plan.fail(fmt.FILES, FILE_KEPT.format(name=name))
        if new:
            plan.new_files = new
            plan.changes.append(Change(fmt.FILES, list(attached), [*attached, *(imaging.clean_name(n) for n, _ in new)]))

    def _file_path(self, plan, name):
        folder = self.options.files_dir
        if folder is None:
            plan.fail(fmt.FILES, FILE_NO_FOLDER.format(name=name))
            return None
        relative = PurePosixPath(name.replace("\\", "/"))
        if relative.is_absolute() or ".." in relative.parts:
            plan.fail(fmt.FILES, FILE_BAD_NAME.format(name=name))
            return None
        path = Path(folder) / relative
        if not path.resolve().is_relative_to(Path(folder).resolve()):
            # A link inside the folder could lead out of it (to /etc, to another archive's
            # files): an import takes only what lies in the folder the archivist named.
            plan.fail(fmt.FILES, FILE_OUTSIDE.format(name=name))
            return None
        if not path.is_file():
            plan.fail(fmt.FILES, FILE_MISSING.format(name=name))
            return None
        try:
            with path.open("rb") as source:
                imaging.examine(source, name=name, decode=not self.options.files_checked)
        except ValidationError as error:
            plan.fail(fmt.FILES, error.messages[0])
            return None
        return path

    def _plan_arrangement(self, plan, value):
        """One text, as full_text is: a `|` in it is text, not a separator."""
        old = plan.existing.arrangement if plan.existing else ""
        if _normal_text(old) != _normal_text(value):
            new = value.strip()
            self._set(plan, "arrangement", fmt.ARRANGEMENT, old, new, [str(CLEARED)] if old and not new else [])

    def _plan_full_text(self, plan, value):
        old = (plan.existing.full_text or "") if plan.existing else ""
        if _normal_text(old) != _normal_text(value):
            plan.fields["full_text"] = value.strip()
            plan.changes.append(Change(fmt.FULL_TEXT, [old] if old else [], [value.strip()] if value.strip() else [],
                                       [str(CLEARED)] if old and not value.strip() else []))

    def _check_statement_count(self, plan):
        """The item's statements once written: those of the columns the row leaves as they are,
        and the row's values in the others (as apply.py writes them)."""
        if not plan.groups:
            return
        count = sum(len(values) for values in plan.groups.values())
        if plan.existing:
            count += sum((s.term, s.lang) not in plan.groups for s in plan.existing.statements)
        try:
            validate_statement_count(count, identifier=plan.identifier)
        except ValidationError as error:
            plan.fail("", error.messages[0])

    def _check_publishable(self, plan):
        status = plan.fields.get("status") or (plan.existing.status if plan.existing else Item.DRAFT)
        if status != Item.PUBLISHED:
            return
        titles = [v for (term, _), values in plan.groups.items() if term == "title" for v in values]
        if plan.existing:
            titles += [s for s in plan.existing.statements if s.term == "title" and (s.value.strip() or s.authority_id)
                       and (s.term, s.lang) not in plan.groups]
        if not titles and (plan.existing is None or "status" in plan.fields or any(t == "title" for t, _ in plan.groups)):
            plan.fail(fmt.STATUS, PUBLISH_NO_TITLE.format(identifier=plan.identifier))
        if plan.existing and "status" in plan.fields:
            self._check_template(plan)

    def _check_template(self, plan):
        """A row that publishes an item started from a template (catalog/materials) is refused
        while a required element has no value once the row is written, as services.item_publish
        refuses it. One query, for rows that change the status to published only: a new item of
        a file has no template, and an item already published was checked when it was."""
        template = materials.template_of(plan.existing)
        if template is None:
            return
        terms = [term for (term, _lang), values in plan.groups.items() if values]
        terms += [s.term for s in plan.existing.statements if (s.value.strip() or s.authority_id or s.target)
                  and (s.term, s.lang) not in plan.groups]
        missing = materials.missing(template, terms)
        if missing:
            plan.fail(fmt.STATUS, materials.refusal(plan.identifier, template, missing).messages[0])


def _normal_text(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
