"""Plain multi-row INSERTs and UPDATEs for the bulk writers: the CSV import and generate_catalog.

bulk_create() builds a model instance and compiles SQL for every row, which for the millions of
statements of a large import or a synthetic catalogue costs more than the database's own work.
insert_rows() sends tuples of values many rows a statement: on SQLite as
`INSERT INTO t (a, b) VALUES (…), (…), …`, which it executes faster than the same rows one at a
time; on PostgreSQL as one array a column, `INSERT INTO t (a, b) SELECT * FROM unnest(%s, %s)`,
since psycopg parses a long statement's placeholders again on every call (milliseconds for a
few hundred rows), but not a short one's.

update_rows() is to bulk_update() what insert_rows() is to bulk_create(): bulk_update() writes a
CASE WHEN for every row and field, whose compiling cost 3 ms a row for an item's six fields (an
import that updated 20,000 items spent 55 s in it). On SQLite it sends one prepared UPDATE a row
(executemany, in the driver's C loop); on PostgreSQL `UPDATE t SET a = d.a FROM unnest(…) AS d`.

Like bulk_create() they send no signal and leave any derived data (caches, the search index) to
the caller.

select_in() reads rows by a long list of ids: the ORM prepares every value of an IN list one
by one (for a foreign key, 10 µs a value), which cost a batch edit of 10,000 items more than its
reading the rows.
"""
from django.db import connection, models

ROWS_PER_STATEMENT = 250
"""At most this many rows a VALUES statement; fewer where the database limits parameters
(SQLite: 999). Longer statements were no faster."""

ROWS_PER_ARRAY = 1000
"""Rows a statement on PostgreSQL (the statement has one parameter a column whatever its rows)."""

# Fields whose Python values the database drivers take as they are: the rest (dates, times,
# decimals, JSON…) go through the field's own conversion, as the ORM would send them.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def insert_rows(model, columns, rows):
    """Insert `rows`, tuples of values in the order of `columns` (field names such as
    "item_id" or "created"), into the table of `model`, in the order given."""
    if not rows:
        return
    fields = [model._meta.get_field(column) for column in columns]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
    converters = [(index, _converter(field)) for index, field in enumerate(fields) if not isinstance(field, _PLAIN_FIELDS)]
    if connection.vendor == "postgresql":
        per_statement, statement = ROWS_PER_ARRAY, _arrays(head, fields)
    else:
        limit = connection.features.max_query_params
        per_statement = min(ROWS_PER_STATEMENT, limit // len(fields)) if limit else ROWS_PER_STATEMENT
        statement = _values(head, fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            if converters:
                part = [_converted(row, converters) for row in part]
            cursor.execute(*statement(part))


def update_rows(model, columns, rows):
    """Set `columns` (field names, as for insert_rows) of rows of the table of `model`: each of
    `rows` is a tuple of the primary key, then the values in the order of `columns`."""
    if not rows:
        return
    fields = [model._meta.get_field(column) for column in columns]
    quote = connection.ops.quote_name
    table, key = quote(model._meta.db_table), model._meta.pk
    converters = [(index + 1, _converter(field)) for index, field in enumerate(fields) if not isinstance(field, _PLAIN_FIELDS)]
    if converters:
        rows = [_converted(row, converters) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in [key, *fields])
            names = ", ".join(quote(field.column) for field in [key, *fields])
            assignments = ", ".join(f"{quote(field.column)} = d.{quote(field.column)}" for field in fields)
            sql = (
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS d({names}) "
                f"WHERE {table}.{quote(key.column)} = d.{quote(key.column)}"
            )
            for start in range(0, len(rows), ROWS_PER_ARRAY):
                cursor.execute(sql, [list(column) for column in zip(*rows[start:start + ROWS_PER_ARRAY])])
        else:
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
            sql = f"UPDATE {table} SET {assignments} WHERE {quote(key.column)} = %s"
            cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])


SELECT_IN_CHUNK = 900
"""Ids an IN list (SQLite allows 999 parameters on old builds)."""


def select_in(sql, ids):
    """The rows of `sql`, a SELECT with `{ids}` where an IN list goes (`WHERE item_id IN
    ({ids})`), for `ids`, read SELECT_IN_CHUNK ids a statement; any ORDER BY holds within each
    statement. Values come as the driver gives them (on SQLite, booleans as 0 and 1)."""
    ids = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), SELECT_IN_CHUNK):
            part = ids[start:start + SELECT_IN_CHUNK]
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(part))), part)
            yield from cursor.fetchall()


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _arrays(head, fields):
    """(SQL, parameters) for some rows as one array a column."""
    sql = f"{head}SELECT * FROM unnest({', '.join(f'%s::{field.db_type(connection)}[]' for field in fields)})"
    return lambda part: (sql, [list(column) for column in zip(*part)])


def _values(head, fields):
    """(SQL, parameters) for some rows as a VALUES list."""
    row_marks = f"({', '.join(['%s'] * len(fields))})"
    return lambda part: (f"{head}VALUES {', '.join([row_marks] * len(part))}", [value for row in part for value in row])


def _converter(field):
    # A column usually repeats a few values (a timestamp, the dates of a catalogue), and the
    # field's conversion costs microseconds a call: convert each distinct value once.
    seen = {}

    def convert(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = field.get_db_prep_save(value, connection)
            return seen[value]
        except TypeError:  # unhashable, as a JSON value may be
            return field.get_db_prep_save(value, connection)

    return convert


def _converted(row, converters):
    row = list(row)
    for index, convert in converters:
        row[index] = convert(row[index])
    return row
