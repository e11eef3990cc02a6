"""Relation cells that name another item of the catalogue (catalog/relations.py).

In a relation column (dc:relation, dc:source, dcterms:references, isPartOf, hasVersion …) a value
may name the item it stands for by its identifier in angle brackets, as a linked name names its
authority record: `Note on the Soviet forces <finnmark-1945-note-0924>`. The text before the
brackets is the statement's value (what outputs that know no links show); left empty, it is the
other item's title. The item is one of the catalogue, or a row of the same file, before or after
the row that names it: which is known only once every row is planned, so `finish()` reports the
identifiers that are neither (TARGET_NOT_FOUND), one query and one look-up in the plan's store
for the whole file. A value without brackets stays text, as it always was.

Memory: the identifiers named, not the rows (one entry per item named, however often).
"""
from django.utils.translation import gettext_lazy as _

from .. import relations
from ..models import Item
from . import format as fmt

LOOKUP_BATCH = 500

TARGET_NOT_FOUND = _(
    "“{identifier}” is neither an item in the catalogue nor a row of this file: correct the "
    "identifier (as in the item's address), add a row for that item, or remove the <…> to keep "
    "the value as text."
)
TARGET_ITSELF = _(
    "{identifier} names itself in {column}: an item cannot be related to itself. Name another "
    "item, or remove the <…> to keep the value as text."
)
# Notes on how a value was matched, shown beside the change in the preview.
MATCHED_ITEM = _("“{value}” links to the item {identifier}")


class Targets:
    """The items relation cells name: found in the catalogue (one query per chunk), or expected
    as rows of the file (checked by finish())."""

    def __init__(self):
        self.titles = {}  # identifier -> title, of the catalogue's items named so far
        self.absent = set()  # identifiers named and not in the catalogue
        self.expected = {}  # identifier absent from the catalogue -> [(row, item identifier, column)]

    @staticmethod
    def named(text):
        """The identifier a relation value names in angle brackets, else None."""
        return fmt.split_item_reference(text)[1]

    def look_up(self, identifiers):
        """Find in the catalogue the identifiers not looked up before."""
        wanted = [identifier for identifier in identifiers if identifier not in self.titles and identifier not in self.absent]
        for start in range(0, len(wanted), LOOKUP_BATCH):
            part = wanted[start:start + LOOKUP_BATCH]
            found = dict(Item.objects.filter(identifier__in=part).values_list("identifier", "sort_title"))
            self.titles.update(found)
            self.absent.update(identifier for identifier in part if identifier not in found)

    def resolve(self, plan, column, text):
        """(value, identifier of the item named or None, note) of one relation value. Raises
        ValueError with a message to show."""
        label, identifier = fmt.split_item_reference(text)
        if identifier is None:
            return text, None, ""
        if identifier == plan.identifier:
            raise ValueError(TARGET_ITSELF.format(identifier=identifier, column=column.name))
        if identifier in self.titles:
            value = label or self.titles[identifier] or identifier
        else:
            self.expected.setdefault(identifier, []).append((plan.row, plan.identifier, column.name))
            value = label or identifier
        return value, identifier, MATCHED_ITEM.format(value=value, identifier=identifier)

    def finish(self, seen):
        """Row errors (row, identifier, column, message) for the items named that are neither in
        the catalogue nor rows of the file; `seen(identifiers)` says which are rows of it."""
        if not self.expected:
            return []
        present = seen(list(self.expected))
        errors = [
            (row, item, column, str(TARGET_NOT_FOUND.format(identifier=identifier)))
            for identifier, rows in self.expected.items() if identifier not in present
            for row, item, column in rows
        ]
        return sorted(errors)


def relation_identifiers(header, rows):
    """Every identifier the relation cells of these rows name: what a chunk looks up at once."""
    columns = [column for column in header.term_columns if relations.is_relation(column.term)]
    found = set()
    for _row, cells in rows:
        for column in columns:
            cell = cells[column.index] if column.index < len(cells) else ""
            if ">" in cell:
                for value in fmt.split_values(fmt.restore(cell)):
                    identifier = Targets.named(value)
                    if identifier:
                        found.add(identifier)
    return found
