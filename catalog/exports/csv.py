"""Items as CSV, in the layout the importer reads (catalog/imports/format.py).

Exporting and importing the same file reports every row unchanged: a cell holds exactly what
the importer compares against. Linked values are written as the authority's preferred label,
which the importer matches back to the same record; where another record has the same name, the
record's address follows in angle brackets (`Anna Hansen <anna-hansen-2>`), so that a file
imported into another catalogue, or after the items were deleted, still links the right person.
"""
import csv
from collections import Counter
from pathlib import PurePosixPath

from django.http import StreamingHttpResponse

from .. import dublincore
from ..imports import format as fmt
from ..models import Authority, Statement

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


def cell_value(statement, shared):
    if not statement.authority_id:
        return statement.value
    label = statement.authority.preferred_label
    return fmt.reference(label, statement.authority.slug) if fmt.fold(label) in shared else label


def header(columns):
    leading = [fmt.IDENTIFIER, fmt.TYPE, fmt.STATUS, fmt.COLLECTIONS]
    return leading + [fmt.term_column(term, lang) for term, lang in columns] + [fmt.FILES, fmt.FULL_TEXT]


def file_name(digital_file):
    return digital_file.original_name or PurePosixPath(digital_file.file.name).name


def item_row(item, columns, shared=frozenset()):
    """One item as a row of cells; `item` comes from with_description(), `shared` from
    shared_names()."""
    values = {pair: [] for pair in columns}
    for statement in item.statements.all():
        if statement.authority_id or statement.value.strip():  # a blank value shows nowhere
            values[(statement.term, statement.lang)].append(cell_value(statement, shared))
    cells = [
        item.identifier,
        item.dcmi_type,
        item.status,
        fmt.join_values(sorted(c.identifier for c in item.collections.all())),
        *(fmt.join_values(values[pair]) for pair in columns),
        fmt.join_values(file_name(f) for f in item.files.all()),
        item.full_text,
    ]
    return [fmt.neutralise(cell) for cell in cells]


def rows(queryset):
    """The header, then one row per item, reading the catalogue in bounded chunks."""
    columns, shared = term_columns(queryset), shared_names()
    yield header(columns)
    items = queryset.prefetch_related(None).with_description()
    for item in items.iterator(chunk_size=CHUNK_SIZE):
        yield item_row(item, columns, shared)


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


def csv_response(queryset, filename):
    """A streaming download of `queryset` as CSV; memory stays flat however many items."""
    writer = csv.writer(_Echo())

    def lines():
        yield BOM
        for row in rows(queryset):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
