"""Writing the facet index: the rows of some items (or of all) made again from the catalogue.

What each facet stores as its key, for an item published and visible in its arrangement:

    type        the DCMI type ("" if none)
    level       the level's code ("item" for a unit stored without a level)
    collection  the id of each collection it is in, and of every collection above those
    subject, agent, place   the id of each authority record linked by a statement of the
                facet's terms (AUTHORITY_TERMS)
    language    each language statement's value (non-empty, at most MAX_KEY characters)
    decade      the decade of the earliest date ("1940"); none if undated
    has_file    "true" or "false"
    reuse       the reuse group of its rights URI (catalog/rights.py: free, conditions, …)
    europeana   "true" if Europeana would take its EDM record, else none: no filter of the
                site, but the edm format's condition and count (catalog/oai/europeana.py)

Items that are not visible have no rows. Ids rather than slugs, identifiers or labels are stored
for records and collections, so renaming one changes no row.

Every row is made by the same SELECTs, one a facet, for one item and for a million, so the index
is by construction what a rebuild would make. A rebuild, or a refresh of the items of a subquery
(`refresh_queryset`), deletes the items' rows and inserts them by INSERT … SELECT, the rows never
passing through Python; a refresh of a list of items (at most BATCH a statement) reads their rows
as they stand and as the SELECTs make them, and deletes and inserts only the difference. The
counts of each (facet, key) are kept beside (FacetCount): a write counts the items' rows before
and after and adds the difference. On
PostgreSQL the items are locked first (SELECT … FOR UPDATE, in id order), so two writers
refreshing one item take turns and the second reads what the first committed.

Every write logs the rows it is about to replace (changes.py), so that cached filtered counts
are brought up to date by difference rather than counted again.

Callers are the receivers (one save at a time), the bulk writers that bypass signals (the CSV and
EAD import's apply, authority merge) and the rebuild_facet_index command; all run in the
writer's transaction.
"""
import random
from collections import Counter

from django.db import connection, transaction

from .. import rights
from ..oai import europeana
from ..models import Collection, DigitalFile, Item, Level, Statement
from ..models.levels import ITEM
from . import changes, version
from .models import FacetChange, FacetCount, FacetEntry

AUTHORITY_TERMS = {"subject": ("subject",), "agent": ("creator", "contributor"), "place": ("spatial", "coverage")}
"""The statement terms whose linked records each authority facet counts (the browse filters use
the same)."""

FACETS = (
    "type", "level", "collection", "subject", "agent", "place", "language", "decade", "has_file", "reuse",
    europeana.FACET,
)

MAX_KEY = 255
BATCH = 500
"""Items refreshed a statement when given as a list (SQLite allows 999 parameters)."""
ROWS_PER_INSERT = 300
"""Rows inserted a statement (three parameters each)."""
COUNTS_PER_STATEMENT = 150
"""Counts added a statement (five parameters each)."""


def refresh(item_ids):
    """Make the rows of these items (ids; gone or invisible ones lose theirs) what a rebuild
    would make, and move the catalogue version if one of them is or was visible. Returns how
    many ids were refreshed."""
    item_ids = sorted(set(item_ids))
    with transaction.atomic():
        changed = False
        if len(item_ids) > changes.ITEMS:
            changes.log_many(item_ids)
        for start in range(0, len(item_ids), BATCH):
            part = item_ids[start:start + BATCH]
            _lock(part)  # no other writer changes their rows before we log and write them
            changed |= _rewrite(part, logged=len(item_ids) <= changes.ITEMS)
        if changed:  # a draft's edit is nothing a visitor sees: no cached answer need go
            version.bump()
    return len(item_ids)


def forget(item_ids):
    """Remove the rows of these items (about to be deleted), with their counts: the deletion's
    cascade would remove the rows without them."""
    item_ids = sorted(set(item_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        if len(item_ids) > changes.ITEMS:
            changes.log_many(item_ids)
        for start in range(0, len(item_ids), BATCH):
            part = item_ids[start:start + BATCH]
            if len(item_ids) <= changes.ITEMS:
                changes.log(part)
            scope = f"IN ({', '.join(['%s'] * len(part))})"
            before = _tally(cursor, scope, part)
            cursor.execute(f"DELETE FROM {_table(FacetEntry)} WHERE item_id {scope}", part)
            if before:
                _add_counts(cursor, before, {})
                version.bump()


def refresh_queryset(items):
    """refresh() for the items of a queryset (a subtree, a collection's members), by subquery:
    the ids never come into Python."""
    # A few items (a unit's subtree, a level's items) are refreshed by id, so that the change
    # log (changes.py) names them; more are written by subquery under one marker, which names
    # them too up to changes.MARKED_ITEMS.
    few = list(items.order_by("pk").values_list("pk", flat=True)[:changes.ITEMS + 1])
    if len(few) <= changes.ITEMS:
        refresh(few)
        return
    sql, params = items.order_by().values("pk").query.sql_with_params()
    with transaction.atomic():
        named = list(items.order_by().values_list("pk", flat=True)[:changes.MARKED_ITEMS + 1])
        changes.log_many(named)  # more than MARKED_ITEMS: a marker naming none
        if _write(f"IN ({sql})", list(params)):
            version.bump()


def rebuild(*, counts=True):
    """Every row made afresh, and the counts (`counts`: False only before their table exists);
    returns how many rows the index holds."""
    with transaction.atomic():
        version.bump()
        if FacetChange._meta.db_table in connection.introspection.table_names():  # not in migration 0001
            changes.log_everything()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_table(FacetEntry)}")
        _write(None, [])
        if counts:
            recount()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_table(FacetEntry)}")
    return FacetEntry.objects.count()


def recount():
    """The counts made afresh from the index, in stripe 0. Their change counters start at a
    random number, so no cached answer keyed by them is taken for one of before."""
    start = random.randrange(2 ** 40)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(FacetCount)}")
        cursor.execute(
            f"INSERT INTO {_table(FacetCount)} (facet, {_key()}, stripe, items, changes) "
            f"SELECT facet, {_key()}, 0, COUNT(*), %s FROM {_table(FacetEntry)} GROUP BY facet, {_key()}",
            [start],
        )


def fill(facet):
    """Every item's rows of one facet written afresh, with their counts: for a facet added to a
    catalogue indexed before it (a migration), without rewriting the others."""
    select, select_params, column = _selects(scoped=False)[facet]
    start = random.randrange(2 ** 40)
    with transaction.atomic(), connection.cursor() as cursor:
        version.bump()
        changes.log_everything()
        cursor.execute(f"DELETE FROM {_table(FacetEntry)} WHERE facet = %s", [facet])
        cursor.execute(f"DELETE FROM {_table(FacetCount)} WHERE facet = %s", [facet])
        cursor.execute(
            f"INSERT INTO {_table(FacetEntry)} (item_id, facet, {_key()}) " + select.format(where="1 = 1"), select_params
        )
        cursor.execute(
            f"INSERT INTO {_table(FacetCount)} (facet, {_key()}, stripe, items, changes) "
            f"SELECT facet, {_key()}, 0, COUNT(*), %s FROM {_table(FacetEntry)} WHERE facet = %s GROUP BY facet, {_key()}",
            [start, facet],
        )


def _write(scope, params):
    """DELETE the rows of the items `item.id {scope}` and INSERT theirs (scope None: all
    items). Returns whether any row went or came: whether a visible item was written."""
    written = 0
    with connection.cursor() as cursor:
        if scope:
            before = _tally(cursor, scope, params)
            cursor.execute(f"DELETE FROM {_table(FacetEntry)} WHERE item_id {scope}", params)
            written += max(cursor.rowcount, 0)
        written += _insert_selected(cursor, scope, params)
        if scope and written:
            _add_counts(cursor, before, _tally(cursor, scope, params))
    return written > 0


def _insert_selected(cursor, scope, params):
    """INSERT … SELECT the rows of the items `item.id {scope}` (None: all); returns how many."""
    inserted = 0
    head = f"INSERT INTO {_table(FacetEntry)} (item_id, facet, {_key()}) "
    for select, select_params, column in _selects(scoped=bool(scope)).values():
        # The scope on the column the select reads its rows by (the statement's or the
        # membership's item_id), so that each reads only these items' rows by its index.
        where = f"{column} {scope}" if scope else "1 = 1"
        cursor.execute(head + select.format(where=where), [*select_params, *params])
        inserted += max(cursor.rowcount, 0)
    return inserted


def _rewrite(item_ids, *, logged):
    """_write() for a list of items (at most BATCH): their rows as they stand and as they should
    be are compared, and only the difference is deleted and inserted. An edit changes one or two
    of an item's dozen rows, and writing all of them again cost both indexes' upkeep of every row
    (10,000 items given a subject, at 100,000: 1.27 s, now 0.66 s). Both sides are counted, so
    that every key the items had or have moves its change counter, as a rewrite of all their rows
    did. Items with no rows yet (new ones, an import's) get theirs by INSERT … SELECT: nothing to
    compare, and half the cost of passing through Python. With `logged`, the rows read here are
    logged one by one (changes.log), not read a second time for it."""
    table = _table(FacetEntry)
    scope, params = f"IN ({', '.join(['%s'] * len(item_ids))})", item_ids
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, item_id, facet, {_key()} FROM {table} WHERE item_id {scope}", params)
        standing = {(item_id, facet, key): pk for pk, item_id, facet, key in cursor.fetchall()}
        if logged:
            changes.log(item_ids, standing=standing)
        if not standing:
            if not _insert_selected(cursor, scope, params):
                return False
            _add_counts(cursor, {}, _tally(cursor, scope, params))
            return True
        # One statement of every facet's select, each reading its rows by the column it names.
        selects = list(_selects(scoped=True).values())
        cursor.execute(
            " UNION ALL ".join(select.format(where=f"{column} {scope}") for select, _, column in selects),
            [value for _, select_params, _ in selects for value in (*select_params, *params)],
        )
        wanted = set(cursor.fetchall())
        gone = [pk for row, pk in standing.items() if row not in wanted]
        for start in range(0, len(gone), BATCH):
            part = gone[start:start + BATCH]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})", part)
        added = [row for row in wanted if row not in standing]
        for start in range(0, len(added), ROWS_PER_INSERT):
            part = added[start:start + ROWS_PER_INSERT]
            cursor.execute(
                f"INSERT INTO {table} (item_id, facet, {_key()}) VALUES {', '.join(['(%s, %s, %s)'] * len(part))}",
                [value for row in part for value in row],
            )
        _add_counts(cursor, Counter(row[1:] for row in standing), Counter(row[1:] for row in wanted))
        return True


def _tally(cursor, scope, params):
    cursor.execute(
        f"SELECT facet, {_key()}, COUNT(*) FROM {_table(FacetEntry)} WHERE item_id {scope} GROUP BY facet, {_key()}",
        params,
    )
    return {(facet, key): count for facet, key, count in cursor.fetchall()}


def _add_counts(cursor, before, after):
    """Add to the counts what one write changed (after - before), to this thread's stripe; a key
    whose rows were rewritten unchanged still moves its change counter."""
    rows = [
        (facet, key, version.stripe(), after.get((facet, key), 0) - before.get((facet, key), 0),
         after.get((facet, key), 0) + before.get((facet, key), 0))
        for facet, key in before.keys() | after.keys()
    ]
    table = _table(FacetCount)
    for start in range(0, len(rows), COUNTS_PER_STATEMENT):
        part = rows[start:start + COUNTS_PER_STATEMENT]
        cursor.execute(
            f"INSERT INTO {table} (facet, {_key()}, stripe, items, changes) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s)"] * len(part))
            + f" ON CONFLICT (facet, {_key()}, stripe) DO UPDATE SET items = {table}.items + excluded.items, "
            f"changes = {table}.changes + excluded.changes",
            [value for row in part for value in row],
        )


def _key():
    return connection.ops.quote_name("key")


def _lock(item_ids):
    if connection.vendor == "postgresql" and item_ids:
        list(Item.objects.select_for_update().filter(pk__in=item_ids).order_by("pk").values_list("pk", flat=True))


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _visible(alias="i", no_index=""):
    return f"{no_index}{alias}.status = %s AND {no_index}{alias}.ancestors_public = %s", [Item.PUBLISHED, True]


def _no_index(scoped):
    """SQLite's unary + on a column, which keeps the planner from reading rows by that column's
    index: for a few items it otherwise reads every published item by the status index, or
    every creator statement by the term index, to find the items' own (808 ms for 500 items'
    agents at 100,000 items, where their ids find them in 1 ms). A rebuild reads all rows, and
    PostgreSQL's planner chooses well by its statistics."""
    return "+" if scoped and connection.vendor == "sqlite" else ""


def _selects(scoped=True):
    """{facet: (SELECT item_id, facet, key … WHERE … AND {where}, parameters, column)}; `{where}`
    is filled with the condition on the items, put on `column`."""
    item, level, collection = _table(Item), _table(Level), _table(Collection)
    statement, files = _table(Statement), _table(DigitalFile)
    members = _table(Item.collections.through)
    no_index = _no_index(scoped)
    visible, visible_params = _visible(no_index=no_index)
    text = "varchar(255)" if connection.vendor == "postgresql" else "text"
    selects = {
        "type": (f"SELECT i.id, 'type', COALESCE(i.dcmi_type, '') FROM {item} i WHERE {visible} AND {{where}}", visible_params, "i.id"),
        "level": (
            f"SELECT i.id, 'level', COALESCE(l.code, %s) FROM {item} i LEFT JOIN {level} l ON l.id = i.level_id "
            f"WHERE {visible} AND {{where}}",
            [ITEM, *visible_params], "i.id",
        ),
        # A member of a:b is counted under a:b and a (the reference's set_spec names its path);
        # compared with SUBSTR, not LIKE, which ignores letter case on SQLite.
        "collection": (
            f"SELECT DISTINCT m.item_id, 'collection', CAST(a.id AS {text}) FROM {members} m "
            f"JOIN {item} i ON i.id = m.item_id JOIN {collection} c ON c.id = m.collection_id "
            f"JOIN {collection} a ON (a.set_spec = c.set_spec OR SUBSTR(c.set_spec, 1, LENGTH(a.set_spec) + 1) = a.set_spec || ':') "
            f"WHERE {visible} AND {{where}}",
            visible_params, "m.item_id",
        ),
    }
    for facet, terms in AUTHORITY_TERMS.items():
        selects[facet] = (
            f"SELECT DISTINCT s.item_id, '{facet}', CAST(s.authority_id AS {text}) FROM {statement} s "
            f"JOIN {item} i ON i.id = s.item_id WHERE {no_index}s.term IN ({', '.join(['%s'] * len(terms))}) "
            f"AND s.authority_id IS NOT NULL AND {visible} AND {{where}}",
            [*terms, *visible_params], "s.item_id",
        )
    selects["language"] = (
        f"SELECT DISTINCT s.item_id, 'language', s.value FROM {statement} s JOIN {item} i ON i.id = s.item_id "
        f"WHERE s.term = %s AND s.value <> '' AND LENGTH(s.value) <= {MAX_KEY} AND {visible} AND {{where}}",
        ["language", *visible_params], "s.item_id",
    )
    # The decade read off the ISO text of the date, as the browse's counts always did.
    selects["decade"] = (
        f"SELECT i.id, 'decade', CAST(CAST(SUBSTR(CAST(i.date_earliest AS {text}), 1, 3) AS integer) * 10 AS {text}) "
        f"FROM {item} i WHERE i.date_earliest IS NOT NULL AND {visible} AND {{where}}",
        visible_params, "i.id",
    )
    selects["has_file"] = (
        f"SELECT i.id, 'has_file', CASE WHEN EXISTS (SELECT 1 FROM {files} f WHERE f.item_id = i.id) "
        f"THEN 'true' ELSE 'false' END FROM {item} i WHERE {visible} AND {{where}}",
        visible_params, "i.id",
    )
    selects["reuse"] = _reuse_select(item, visible, visible_params)
    rules, rules_params = europeana.rules_sql("i", statement, no_index)
    selects[europeana.FACET] = (
        f"SELECT i.id, '{europeana.FACET}', '{europeana.ADMITTED}' FROM {item} i WHERE {visible} AND {rules} AND {{where}}",
        [*visible_params, *rules_params], "i.id",
    )
    assert set(selects) == set(FACETS)
    return selects


def _reuse_select(item, visible, visible_params):
    cases, params = [], []
    for group in rights.REUSE:
        uris = rights.uris_for_reuse(group)
        if group != rights.UNKNOWN and uris:
            cases.append(f"WHEN i.rights_uri IN ({', '.join(['%s'] * len(uris))}) THEN %s")
            params += [*uris, group]
    key = f"CASE {' '.join(cases)} ELSE %s END" if cases else "%s"
    return (
        f"SELECT i.id, 'reuse', {key} FROM {item} i WHERE {visible} AND {{where}}",
        [*params, rights.UNKNOWN, *visible_params], "i.id",
    )
