"""What a change set changed in an item: its version compared with the one before, field by
field and element by element, in words an archivist reads (labels, not ids).

    names = Names()                                   # resolves ids for a page of diffs at once
    changes = item_changes(newer, older, names)       # [Change(label, old, new)], older None: created
    names.resolve(); change.old_text() ...

Statements are compared per column as the CSV has them (term and language: dc:title@nb): a
column whose values differ in any way, order included, is one change, old list beside new. A
linked value shows its record's present label, marked with the record; a record deleted since
shows the value as written.
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import dublincore
from ..models import Authority, Collection, Item, Level

SHOWN_FIELDS = ("identifier", "dcmi_type", "status", "rights_uri", "level", "parent", "local_code", "arrangement",
                "full_text", "collections")
FILES = pgettext_lazy("history", "Digital files")
LINKED = _("%(value)s → record “%(label)s”")
TEXT_SHOWN = 300  # characters of a long text (a transcription) shown in a diff


@dataclass
class Change:
    label: str
    old: list = field(default_factory=list)
    new: list = field(default_factory=list)


class Names:
    """Ids of records, collections, levels and parents seen on a page, named in one query each."""

    def __init__(self):
        self.authorities, self.collections, self.items = {}, {}, {}
        self.levels = None

    def resolve(self):
        if self.authorities:
            self.authorities.update(Authority.objects.filter(pk__in=self.authorities).values_list("pk", "preferred_label"))
        if self.collections:
            self.collections.update(Collection.objects.filter(pk__in=self.collections).values_list("pk", "identifier"))
        if self.items:
            self.items.update(Item.objects.filter(pk__in=self.items).values_list("pk", "identifier"))
        self.levels = dict(Level.objects.values_list("pk", "code"))


class _Named:
    """A value shown once its ids are resolved (str() at render time)."""

    def __init__(self, table, key, fallback=""):
        self.table, self.key, self.fallback = table, key, fallback

    def __str__(self):
        name = self.table.get(self.key)
        return str(name) if name is not None else (self.fallback or f"#{self.key}")


class _Statement:
    def __init__(self, statement, names):
        self.value = statement["value"]
        self.authority = statement["authority"]
        if self.authority:
            names.authorities.setdefault(self.authority, None)
        self.names = names

    def __str__(self):
        label = self.names.authorities.get(self.authority) if self.authority else None
        if label and label != self.value:
            return LINKED % {"value": self.value, "label": label}
        return _shorten(self.value)


def _shorten(text):
    text = str(text)
    return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + "…"


def _field_values(name, value, names):
    if value in (None, "", []):
        return []
    if name == "collections":
        for pk in value:
            names.collections.setdefault(pk, None)
        return [_Named(names.collections, pk) for pk in value]
    if name == "parent":
        names.items.setdefault(value, None)
        return [_Named(names.items, value)]
    if name == "level":
        return [_Level(names, value)]
    if name == "status":
        return [dict(Item.STATUSES).get(value, value)]
    return [_shorten(value)]


class _Level:
    def __init__(self, names, pk):
        self.names, self.pk = names, pk

    def __str__(self):
        return str((self.names.levels or {}).get(self.pk, self.pk))


def _columns(document):
    columns = {}
    for statement in sorted(document["statements"], key=lambda s: (s["position"], s["id"] or 0)):
        columns.setdefault((statement["term"], statement["lang"]), []).append(statement)
    return columns


def _signature(statement):
    return (statement["value"], statement["authority"], statement["target"])


def item_changes(newer, older, names):
    """The changes from `older` to `newer` (documents as states.normal gives them); with no
    older version, every value of `newer` as new."""
    changes = []
    old_fields = older["fields"] if older else {}
    for name in SHOWN_FIELDS:
        new_value, old_value = newer["fields"].get(name), old_fields.get(name)
        if older is None or new_value != old_value:
            new, old = _field_values(name, new_value, names), _field_values(name, old_value, names)
            if new or old:
                changes.append(Change(str(Item._meta.get_field(name).verbose_name), old, new))
    new_columns, old_columns = _columns(newer), _columns(older) if older else {}
    for key in sorted(new_columns.keys() | old_columns.keys(), key=_column_order):
        new, old = new_columns.get(key, []), old_columns.get(key, [])
        if [_signature(s) for s in new] != [_signature(s) for s in old]:
            changes.append(Change(_column_label(*key), [_Statement(s, names) for s in old], [_Statement(s, names) for s in new]))
    new_files, old_files = _files(newer), _files(older) if older else []
    if new_files != old_files:
        changes.append(Change(str(FILES), old_files, new_files))
    return changes


def _files(document):
    return [
        " · ".join(part for part in (f["label"], f["original_name"] or f["file"].rsplit("/", 1)[-1]) if part)
        for f in sorted(document.get("files", []), key=lambda f: (f["position"], f["id"]))
    ]


def _column_order(key):
    term, lang = key
    order = list(dublincore.TERMS)
    return (order.index(term) if term in order else len(order), lang)


def _column_label(term, lang):
    name = dublincore.qualified_name(term)
    return f"{name}@{lang}" if lang else name


RECORD_IGNORED = frozenset({"created", "modified", "set_spec"})


def record_changes(model, newer, older):
    """The changes of an authority record or a collection (documents as states.normal gives
    them): each field, and a record's variant labels and external links as lists."""
    changes, old_fields = [], older["fields"] if older else {}
    for name, value in newer["fields"].items():
        if name in RECORD_IGNORED or (older is not None and old_fields.get(name) == value):
            continue
        old = old_fields.get(name)
        if value in (None, "") and old in (None, ""):
            continue
        field = model._meta.get_field(name)
        changes.append(Change(
            str(field.verbose_name), [_shorten(old)] if old not in (None, "") else [],
            [_shorten(value)] if value not in (None, "") else [],
        ))
    for key, label in (("variants", VARIANTS), ("links", LINKS)):
        new = [_part(part) for part in newer.get(key, [])]
        old = [_part(part) for part in older.get(key, [])] if older else []
        if new != old:
            changes.append(Change(str(label), old, new))
    return changes


VARIANTS = pgettext_lazy("history", "Variant labels")
LINKS = pgettext_lazy("history", "External links")


def _part(part):
    return " · ".join(str(value) for value in part.values() if value)
