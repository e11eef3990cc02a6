"""Batch edits as a source of rows for the one import engine.

A batch edit (add or remove a linked subject, place or agent; add or remove a collection; set or
remove a rights statement; find and replace within one element; set the language of values
that have none) is turned into the rows a CSV file of the same change would hold: the
identifier of each selected item, and the cells of the columns the edit touches, written from
the item as it stands with the edit made. csv.import_rows plans them (the preview's diff),
and applies them atomically, as any import: same checks, same writer, same history (one change
set, source "batch", undone as one). There is no second way of writing.

    edit = BatchEdit(operation=ADD_LINK, term="subject", authority=record)
    import_rows(edit.rows(item_pks), store=..., options=edit.options(user), apply=False)

A cell lists every value of its column the item keeps, in order, as the CSV export writes them
(a linked value by its record's address, `Label <slug>`, a related item by its identifier), so
the planner sees them unchanged and leaves their statements as they are; only what the edit
changes is planned as a change. Columns are per term and language (dc:subject@nb), as in the CSV.

Find and replace runs with the `regex` module and a time limit per value (REPLACE_TIMEOUT), so a
pattern that backtracks without end is stopped with a message instead of holding the server.
"""
from dataclasses import dataclass

import regex
from django.utils.translation import gettext_lazy as _

from .. import dublincore
from ..models import Authority, Item, Statement
from ..validators import normalise_language
from . import format as fmt
from .plan import Options, load_items
from .reader import ImportFileError

ADD_LINK, REMOVE_LINK = "add_link", "remove_link"
ADD_COLLECTION, REMOVE_COLLECTION = "add_collection", "remove_collection"
SET_RIGHTS, REMOVE_RIGHTS = "set_rights", "remove_rights"
REPLACE, SET_LANGUAGE = "replace", "set_language"
OPERATIONS = (ADD_LINK, REMOVE_LINK, ADD_COLLECTION, REMOVE_COLLECTION, SET_RIGHTS, REMOVE_RIGHTS, REPLACE, SET_LANGUAGE)

CHUNK = 1000
PATTERN_LIMIT = 500  # characters of a find pattern
REPLACE_TIMEOUT = 0.1  # seconds one value's replacement may take

PATTERN_TOO_LONG = _("The text to find is longer than %(limit)d characters: shorten it.")
PATTERN_INVALID = _("“%(pattern)s” is not a regular expression: %(error)s.")
PATTERN_TOO_SLOW = _(
    "The regular expression “%(pattern)s” took too long on a value: write it more simply "
    "(avoid repeating alternatives that overlap, such as (a|aa)+). Nothing was changed."
)
DESCRIPTIONS = {
    ADD_LINK: _("Add %(term)s “%(record)s”"),
    REMOVE_LINK: _("Remove %(term)s “%(record)s”"),
    ADD_COLLECTION: _("Add to collection %(collection)s"),
    REMOVE_COLLECTION: _("Remove from collection %(collection)s"),
    SET_RIGHTS: _("Set rights statement %(rights)s"),
    REMOVE_RIGHTS: _("Remove rights statement %(rights)s"),
    REPLACE: _("Replace “%(find)s” with “%(replace)s” in %(term)s"),
    SET_LANGUAGE: _("Set language %(lang)s on %(term)s values without one"),
}


class BatchEditError(ValueError):
    """An edit that cannot be planned at all (a bad pattern); the message says the fix."""


class SlowPattern(ImportFileError):
    """A pattern too slow on some value: the engine stops planning, as for an unreadable file,
    and records the message as the plan's error; nothing is written."""


@dataclass
class BatchEdit:
    operation: str
    term: str = ""
    authority: Authority | None = None
    collection: object = None
    rights_uri: str = ""
    find: str = ""
    replace: str = ""
    use_regex: bool = False
    lang: str = ""

    def __post_init__(self):
        self.lang = normalise_language(self.lang) if self.lang else ""
        self._pattern = None
        if self.operation == REPLACE:
            if len(self.find) > PATTERN_LIMIT:
                raise BatchEditError(PATTERN_TOO_LONG % {"limit": PATTERN_LIMIT})
            try:
                self._pattern = regex.compile(self.find if self.use_regex else regex.escape(self.find), regex.V0)
            except regex.error as error:
                raise BatchEditError(PATTERN_INVALID % {"pattern": self.find, "error": error}) from error

    # --- what it is -------------------------------------------------------------------------

    def describe(self):
        return str(DESCRIPTIONS[self.operation] % {
            "term": dublincore.qualified_name(self.term) if self.term else "",
            "record": self.authority.preferred_label if self.authority else "",
            "collection": getattr(self.collection, "identifier", ""), "rights": self.rights_uri,
            "find": self.find, "replace": self.replace, "lang": self.lang,
        })[:255]

    def options(self, user):
        """The engine's options: the user (whose permissions the planner checks: a Cataloguer
        publishes nothing through it), and what history records it as."""
        return Options(user=user, history_source="batch", history_detail=self.describe())

    # --- its rows ---------------------------------------------------------------------------

    def rows(self, pks):
        """An open_rows() for csv.import_rows: the header, then one row per item of `pks`
        (in the order given), each read as it stands when the rows are read."""
        pks = list(pks)
        return lambda: _Rows(self, pks)

    def _columns(self, pks):
        """[(header, key)]: key is a (term, lang) or an item column's name."""
        op = self.operation
        if op in (ADD_COLLECTION, REMOVE_COLLECTION):
            return [(fmt.COLLECTIONS, fmt.COLLECTIONS)]
        if op in (SET_RIGHTS, REMOVE_RIGHTS):
            return [(fmt.RIGHTS_URI, fmt.RIGHTS_URI)]
        if op == ADD_LINK:
            return [(fmt.term_column(self.term), (self.term, ""))]
        if op == SET_LANGUAGE:
            langs = ["", self.lang]
        else:
            langs = self._languages(pks)
        return [(fmt.term_column(self.term, lang), (self.term, lang)) for lang in dict.fromkeys(langs)]

    def _languages(self, pks):
        """The languages the selected items' values of the term are in (each a column)."""
        langs = set()
        for start in range(0, len(pks), CHUNK):
            # order_by(): the model's ordering would join the items and make every row distinct.
            langs.update(Statement.objects.filter(item_id__in=pks[start:start + CHUNK], term=self.term)
                         .order_by().values_list("lang", flat=True).distinct())
        return sorted(langs) or [""]

    def _slugs(self, states):
        linked = {s.authority_id for state in states for s in state.statements if s.authority_id}
        return dict(Authority.objects.filter(pk__in=linked).values_list("pk", "slug")) if linked else {}

    # --- its cells --------------------------------------------------------------------------

    def _cell(self, key, state, slugs, row):
        if key == fmt.COLLECTIONS:
            return self._collections_cell(state)
        if key == fmt.RIGHTS_URI:
            return self._rights_cell(state)
        values = [self._written(s, slugs) for s in state.group(*key)]
        op = self.operation
        if op == ADD_LINK:
            if not any(s.authority_id == self.authority.pk for s in state.statements if s.term == self.term):
                values.append(fmt.reference(self.authority.preferred_label, self.authority.slug))
        elif op == REMOVE_LINK:
            values = [self._written(s, slugs) for s in state.group(*key) if s.authority_id != self.authority.pk]
        elif op == REPLACE:
            values = [
                value if s.authority_id or s.target else self._replaced(s.value, row)
                for s, value in zip(state.group(*key), values)
            ]
        elif op == SET_LANGUAGE:
            term, lang = key
            if lang == "":
                values = []  # moved to the column of the language
            else:
                values += [self._written(s, slugs) for s in state.group(term, "")]
        return fmt.neutralise(fmt.join_values(values))

    def _written(self, statement, slugs):
        if statement.target:
            return fmt.reference(statement.value, statement.target)
        if statement.authority_id:
            return fmt.reference(statement.value, slugs[statement.authority_id])
        return statement.value

    def _replaced(self, value, row):
        # A literal replacement is a function's result: "\\1" or "\\n" in it are text, not groups.
        replacement = self.replace if self.use_regex else (lambda match: self.replace)
        try:
            return self._pattern.sub(replacement, value, timeout=REPLACE_TIMEOUT)
        except TimeoutError as error:
            raise SlowPattern(PATTERN_TOO_SLOW % {"pattern": self.find}, row) from error
        except (regex.error, IndexError) as error:
            raise SlowPattern(PATTERN_INVALID % {"pattern": self.replace, "error": error}, row) from error

    def _collections_cell(self, state):
        identifiers = dict(self._collection_identifiers(state.collections))
        if self.operation == ADD_COLLECTION:
            identifiers[self.collection.pk] = self.collection.identifier
        else:
            identifiers.pop(self.collection.pk, None)
        return fmt.join_values(sorted(identifiers.values()))

    def _collection_identifiers(self, pks):
        from ..models import Collection

        if not hasattr(self, "_collection_names"):
            self._collection_names = dict(Collection.objects.values_list("pk", "identifier"))
        return [(pk, self._collection_names[pk]) for pk in pks if pk in self._collection_names]

    def _rights_cell(self, state):
        if self.operation == SET_RIGHTS:
            return self.rights_uri
        return "" if state.rights_uri == self.rights_uri else state.rights_uri


class _Rows:
    """The rows of a batch edit, read a chunk of items at a time. Each item's state, loaded to
    write its row, is kept in `states` until the planner takes it (Planner.known_states): the
    row is planned against the state it was written from, and the item is read once, not
    twice (csv.import_rows reads `states` off the rows it is given)."""

    def __init__(self, edit, pks):
        self.edit, self.pks = edit, pks
        self.states = {}  # identifier -> ItemState, of rows read and not planned yet

    def __iter__(self):
        edit, pks = self.edit, self.pks
        columns = edit._columns(pks)
        yield 1, [fmt.IDENTIFIER, *(name for name, _ in columns)]
        number = 1
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start:start + CHUNK]
            identifiers = dict(Item.objects.filter(pk__in=chunk).values_list("pk", "identifier"))
            states = load_items(list(identifiers.values()), with_full_text=False)
            self.states.update(states)
            slugs = edit._slugs(states.values())
            for pk in chunk:
                identifier = identifiers.get(pk)
                if identifier is None:
                    continue  # deleted since it was selected
                number += 1
                state = states[identifier]
                yield number, [identifier, *(edit._cell(key, state, slugs, number) for _, key in columns)]


def run_batch(edit, pks, *, store, user=None, apply=False, expected_digest=None):
    """Plan (and with apply=True, apply) `edit` on the items `pks` through the import engine;
    returns its ImportResult. With `expected_digest` (the preview's), a plan that came out
    different is not applied (the catalogue changed since the preview)."""
    from .csv import import_rows

    return import_rows(edit.rows(pks), store=store, options=edit.options(user), apply=apply, expected_digest=expected_digest)
