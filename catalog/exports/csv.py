"""Items as CSV, in the layout the importer reads (catalog/imports/format.py).

Exporting and importing the same file reports every row unchanged: a cell holds exactly what
the importer compares against. Linked values are written as the authority's preferred label,
which the importer matches back to the same record; where another record has the same name, the
record's address follows in angle brackets (`Anna Hansen <anna-hansen-2>`), so that a file
imported into another catalogue, or after the items were deleted, still links the right person.
A relation that names another item is written with that item's identifier in angle brackets
(`Note on the Soviet forces <finnmark-1945-note-0924>`), which the importer links again; in a
public export (`public=True`: the site's download) only where that item is public, so that no
draft is named.

Each unit's place goes with it: its `level` (a unit without one is an item), its `parent` (the
identifier of the unit above it) and its `local_code`. The importer places units in any order of
rows, so the export keeps the order it is given; ordered by reference code, every parent comes
before its children (see by_arrangement()).
"""
import csv
from collections import Counter

from django.http import StreamingHttpResponse

from .. import dublincore
from ..imports import format as fmt
from ..models import Authority, DigitalFile, Item, Statement
from ..models.levels import ITEM as ITEM_LEVEL

CHUNK_SIZE = 500

# Spreadsheets (Excel above all) read a CSV as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"


def term_columns(queryset):
    """The (term, lang) pairs the items in `queryset` use, in vocabulary order."""
    pairs = set(
        Statement.objects.filter(item__in=queryset.order_by().values("pk"))
        .values_list("term", "lang").distinct()
    )
    order = {term: index for index, term in enumerate(dublincore.TERMS)}
    return sorted(pairs, key=lambda pair: (order.get(pair[0], len(order)), pair[1]))


def shared_names():
    """The names (folded) that more than one authority record has as its preferred label."""
    counts = Counter(fmt.fold(label) for label in Authority.objects.values_list("preferred_label", flat=True).iterator())
    return {name for name, count in counts.items() if count > 1}


def by_arrangement(queryset):
    """`queryset` with every parent before its children: in the order of reference codes, which
    begin with their parent's (the unique index on them serves the order). A unit without one
    (written before the arrangement, never placed) is at the top, so anywhere will do."""
    return queryset.order_by("reference", "identifier")


def header(columns):
    leading = [fmt.IDENTIFIER, fmt.TYPE, fmt.STATUS, fmt.RIGHTS_URI, fmt.LEVEL, fmt.PARENT, fmt.LOCAL_CODE, fmt.ARRANGEMENT, fmt.COLLECTIONS]
    return leading + [fmt.term_column(term, lang) for term, lang in columns] + [fmt.FILES, fmt.FULL_TEXT]


def rows(queryset, *, public=False):
    """The header, then one row per item, in the queryset's order, CHUNK_SIZE items at a time.

    The rows are read as plain values, four queries a chunk (five where a unit has a parent):
    model instances with every related object prefetched (what the pages use) cost ten times as
    much for the same cells, and a join for the parents' identifiers would join the whole table
    to itself before the first row.
    """
    columns, shared = term_columns(queryset), shared_names()
    yield header(columns)
    chunk = []
    fields = ("pk", "identifier", "dcmi_type", "status", "rights_uri", "full_text", "level__code", "parent_id", "local_code", "arrangement")
    for item in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        chunk.append(item)
        if len(chunk) == CHUNK_SIZE:
            yield from _chunk_rows(chunk, columns, shared, public)
            chunk = []
    yield from _chunk_rows(chunk, columns, shared, public)


def _chunk_rows(chunk, columns, shared, public=False):
    ids = [item[0] for item in chunk]
    values, linked = {pk: {pair: [] for pair in columns} for pk in ids}, {}
    statements = (
        Statement.objects.filter(item_id__in=ids).order_by("item_id", "position", "id")
        .values_list("item_id", "term", "lang", "value", "authority_id", "target__identifier", "target__status",
                     "target__ancestors_public")
    )
    for item_id, term, lang, value, authority_id, target, status, ancestors_public in statements:
        if target and (not public or (status == Item.PUBLISHED and ancestors_public)):
            value = fmt.reference(value, target)  # a relation to an item, by its identifier
        if authority_id or value.strip():  # a blank value shows nowhere
            values[item_id][(term, lang)].append(authority_id or value)
            if authority_id:
                linked[authority_id] = None
    for pk, label, slug in Authority.objects.filter(pk__in=list(linked)).values_list("pk", "preferred_label", "slug"):
        # Where another record has the same name, the record's address tells them apart.
        linked[pk] = fmt.reference(label, slug) if fmt.fold(label) in shared else label
    collections, files = {pk: [] for pk in ids}, {pk: [] for pk in ids}
    memberships = Item.collections.through.objects.filter(item_id__in=ids).values_list("item_id", "collection__identifier")
    for item_id, identifier in memberships:
        collections[item_id].append(identifier)
    parent_ids = {item[7] for item in chunk if item[7] is not None}
    parents = dict(Item.objects.filter(pk__in=parent_ids).values_list("pk", "identifier")) if parent_ids else {}
    stored = DigitalFile.objects.filter(item_id__in=ids).order_by("item", "position", "id")
    for item_id, original_name, stored_name in stored.values_list("item_id", "original_name", "file"):
        files[item_id].append(fmt.file_name(original_name, stored_name))
    for pk, identifier, dcmi_type, status, rights_uri, full_text, level, parent, local_code, arrangement in chunk:
        cells = [
            identifier,
            dcmi_type,
            status,
            rights_uri,
            level or ITEM_LEVEL,
            parents[parent] if parent is not None else "",
            local_code,
            arrangement,
            fmt.join_values(sorted(collections[pk])),
            *(
                fmt.join_values(linked[value] if isinstance(value, int) else value for value in values[pk][pair])
                for pair in columns
            ),
            fmt.join_values(files[pk]),
            full_text,
        ]
        yield [fmt.neutralise(cell) for cell in cells]


def write(queryset, stream, progress=None):
    """Write `queryset` as CSV to a text stream opened with newline=""; returns the row count."""
    stream.write(BOM)
    writer = csv.writer(stream)
    count = -1
    for count, row in enumerate(rows(queryset)):
        writer.writerow(row)
        if progress and count:
            progress(1)
    return max(count, 0)


class _Echo:
    """A file-like object whose write() hands back what it is given, for streaming."""

    def write(self, value):
        return value


def csv_response(queryset, filename, *, public=False):
    """A streaming download of `queryset` as CSV; memory stays flat however many items."""
    writer = csv.writer(_Echo())

    def lines():
        yield BOM
        for row in rows(queryset, public=public):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
