"""A list's page queries, compiled to SQL once per kind of page rather than once per page.

Django compiles a queryset anew each time it runs: a list page's two (its items, with the stored
header's subquery, and its tombstones) cost about a millisecond to build and compile, a tenth of
what a ListIdentifiers page costs in all. The pages of one list differ only in where they start:
the keyset cursor, and the datestamp that bounds the tombstones. So each query is compiled once
with stand-ins for those values (STAND_INS), the positions of the stand-ins among the SQL's
parameters are noted, and each page puts its own values there, adapted for the database as the
ORM adapts them. The database driver still receives every value as a parameter.

A compiled query is kept under the key its caller gives (records.Selection.key): what decides
the SQL besides those values. A selection without a key is compiled each time.
"""
from datetime import datetime, timezone
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections

# Values no cursor holds: dates before any datestamp, and an identifier no accession identifier
# can be (validators.IDENTIFIER_PATTERN admits no control character).
STAND_INS = (
    datetime(1901, 2, 3, 4, 5, 6, 111111, tzinfo=timezone.utc), "\x01arkiv stand-in 1",
    datetime(1901, 2, 3, 4, 5, 6, 222222, tzinfo=timezone.utc), "\x01arkiv stand-in 2",
    datetime(1901, 2, 3, 4, 5, 6, 333333, tzinfo=timezone.utc),
)
_KEPT = 64  # kinds of page kept per process: a few per list harvested at once


class _Compiled(NamedTuple):
    alias: str  # the database's
    sql: str | None  # None: a query nothing can meet
    params: tuple
    slots: tuple  # (position in params, index of the value that goes there)


_compiled: dict = {}


def rows(key, build, values) -> list:
    """The rows of the values_list() queryset `build(*values)`, as the driver gives them, from
    SQL compiled once for `key` (None: compiled now)."""
    if key is None:
        return _run(_compile(build(*values), ()), ())
    compiled = _compiled.get(key)
    if compiled is None:
        stand_ins = STAND_INS[: len(values)]
        compiled = _compile(build(*stand_ins), stand_ins)
        if len(_compiled) >= _KEPT:
            _compiled.clear()
        _compiled[key] = compiled
    return _run(compiled, values)


def _compile(queryset, stand_ins) -> _Compiled:
    connection = connections[queryset.db]
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # .none(), or a condition nothing can meet
        return _Compiled(queryset.db, None, (), ())
    adapted = [_adapt(value, connection) for value in stand_ins]
    slots = [
        (position, index)
        for position, param in enumerate(params)
        for index, stand_in in enumerate(adapted)
        if type(param) is type(stand_in) and param == stand_in
    ]
    missing = set(range(len(stand_ins))) - {index for _position, index in slots}
    if missing:
        raise ValueError(f"stand-ins {sorted(missing)} are not among the query's parameters")
    return _Compiled(queryset.db, sql, tuple(params), tuple(slots))


def _run(compiled, values) -> list:
    if compiled.sql is None:
        return []
    connection = connections[compiled.alias]
    params = list(compiled.params)
    for position, index in compiled.slots:
        params[position] = _adapt(values[index], connection)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        return cursor.fetchall()


def _adapt(value, connection):
    """A value as a lookup on a model field gives it to the driver."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
