"""The log of changed index rows, which keeps cached filtered counts true without a recount.

The counts of a facet under another filter (type=Text: the places of texts) are a GROUP BY over
every item the filter lets through: 5 to 7 s for the commonest type of a million items. Cached,
they were thrown away when an item of the chosen value changed, which at a million items is
every edit. Instead each write of the index (index.py) logs, for every item it rewrites, the
item's rows as they were before (FacetChange); a cached count set carries a token, the log's
position when it was counted, and a reader brings it up to date by the difference the items
logged since then make (site/facets.py): an item the filters let through before subtracts its
old keys, one they let through now adds its new keys. The old rows of an item changed several
times since are those of its first entry past the token.

The token and what it marks must be read in one snapshot, so each read is one SQL statement
(`counted_with_token`, `since`):
- SQLite: the highest log id. SQLite has one writer at a time, so ids are committed in order and
  a snapshot holds exactly the entries up to its highest id (AUTOINCREMENT: ids never return).
- PostgreSQL: transactions commit in any order, so the token is the statement's snapshot
  (pg_current_snapshot()) and an entry is past it if its transaction (xid) is not visible in it.

A token also names the log's newest entry in its snapshot (its id and time), which must still be
there when it is used: a token of another database (one made afresh, a test's, restored from a
backup, whose ids may come again) or from before a prune is then not taken for one of this log.

A write of more than ITEMS items (an import, a rebuild) logs one marker instead of its items,
and whoever reads past a marker, or past more than ITEMS changed items, counts afresh. The
marker of a write of up to MARKED_ITEMS names its items (log_many), so that a reader that can
read items afresh (the bitmaps) reads those instead of everything. Entries older than
KEEP_SECONDS are pruned; a cached count lives CACHE_SECONDS (600 s), so only a
transaction open for longer than KEEP_SECONDS could lose an entry a reader needs.
"""
import json
import time
from collections import defaultdict
from typing import NamedTuple

import orjson
from django.db import connection

from .models import FacetChange, FacetEntry

ITEMS = 1000
"""Items a write logs one by one; a write of more logs a marker (every count is made afresh)."""

MARKED_ITEMS = 100_000
"""Items a marker names at most (log_many: about 700 kB of ids); a write of more names none."""

KEEP_SECONDS = 3600

_ROW, _KEY = "\x1e", "\x1f"
_NAMED = "["  # how the rows of a marker that names its items begin (a JSON list)
# The token's columns where a row has none, typed (PostgreSQL matches a union's columns by type).
_NO_ANCHOR = "CAST(NULL AS bigint), CAST(NULL AS double precision)"
NO_TOKEN = f"CAST(NULL AS text), {_NO_ANCHOR}"
"""The token's columns where a row has none, for a statement that reads the token in its rows."""


def log(item_ids, standing=None):
    """Log these items' rows as they are now, before the caller rewrites them; `standing`: those
    rows, (item id, facet, key), if the caller has read them already."""
    if not item_ids:
        return
    rows = defaultdict(list)
    with connection.cursor() as cursor:
        if standing is None:
            cursor.execute(
                f"SELECT item_id, facet, {_key()} FROM {_table(FacetEntry)} "
                f"WHERE item_id IN ({', '.join(['%s'] * len(item_ids))})",
                list(item_ids),
            )
            standing = cursor.fetchall()
        for item_id, facet, key in standing:
            rows[item_id].append(f"{facet}{_KEY}{key}")
        _insert(cursor, [(item_id, _ROW.join(rows[item_id])) for item_id in item_ids])


def log_many(item_ids):
    """Log a write of more than ITEMS items: a marker naming them (a JSON list of their ids),
    or, past MARKED_ITEMS, one naming none (log_everything). Counts are made afresh past either;
    a reader that can read items again (the bitmaps, read_since(named=True)) reads those it
    names instead of everything. Earlier entries stay, for such readers to apply too."""
    item_ids = sorted(set(item_ids))
    if len(item_ids) > MARKED_ITEMS:
        log_everything()
        return
    with connection.cursor() as cursor:
        _insert(cursor, [(None, json.dumps(item_ids, separators=(",", ":")))])


def log_everything():
    """Log a marker: any item may have changed; earlier entries are no longer needed."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(FacetChange)}")
        _insert(cursor, [(None, "")])


TEXT_MARKER = "text"
"""The rows of a marker that says any item's words may have changed, but no item's index rows:
a rebuild of the search index, a reindex of more than ITEMS items. Counts under a search are
made afresh past it (since(words=True)); others are not."""


def log_text(item_ids):
    """Log that these items' words are about to change (the search index rewrites them), in the
    writer's transaction: counts under a search bring them up to date (site/searched.py). More
    than ITEMS items, or None for all: a text marker."""
    if item_ids is None or len(item_ids) > ITEMS:
        with connection.cursor() as cursor:
            _insert(cursor, [(None, TEXT_MARKER)])
    else:
        log(item_ids)


def _insert(cursor, entries):
    """Write the entries [(item id, rows)], and prune old ones: two statements however many."""
    now = time.time()
    table = _table(FacetChange)
    if connection.vendor == "postgresql":
        cursor.execute(
            f"INSERT INTO {table} (item_id, {_quote('rows')}, xid, created) "
            "SELECT CAST(e->>0 AS bigint), e->>1, CAST(CAST(pg_current_xact_id() AS text) AS bigint), %s "
            "FROM jsonb_array_elements(CAST(%s AS jsonb)) WITH ORDINALITY AS t(e, n) ORDER BY n",
            [now, json.dumps(entries)],
        )
    else:
        cursor.execute(
            f"INSERT INTO {table} (item_id, {_quote('rows')}, xid, created) "
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), NULL, %s FROM json_each(%s) ORDER BY key",
            [now, json.dumps(entries)],
        )
    # Markers that name no item are kept longer: a reader must still find the one it would
    # otherwise read past (one that names its items is an entry like an item's). The newest of
    # the old entries is kept too: after an hour without edits it anchors every token taken
    # since, and the first edit pruning it made every web process read its facet bitmaps again
    # (10-16 s at a million items) and every kept count be made afresh.
    cursor.execute(
        f"DELETE FROM {table} WHERE created < %s AND (item_id IS NOT NULL OR {_quote('rows')} LIKE %s OR created < %s) "
        f"AND id < (SELECT MAX(id) FROM {table} WHERE created < %s)",
        [now - KEEP_SECONDS, f"{_NAMED}%", now - 24 * KEEP_SECONDS, now - KEEP_SECONDS],
    )


def counted_with_token(sql, params, width=2):
    """([row] of a query of `width` columns whose last is a count (never NULL), the token of the
    snapshot it was read in)."""
    cursor = connection.cursor()
    with cursor:
        cursor.execute(
            f"SELECT q.*, {NO_TOKEN} FROM ({sql}) q UNION ALL SELECT {', '.join(['NULL'] * width)}, {token_columns()}",
            list(params),
        )
        rows = cursor.fetchall()
    token = next(row[width:] for row in rows if row[width - 1] is None)
    return [row[:width] for row in rows if row[width - 1] is not None], token


def current_token():
    """A token of now, read on its own (for an answer computed after it: a change the answer
    already holds is then also past the token, which costs its reader a recompute, never a
    stale answer)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {token_columns()}")
        return tuple(cursor.fetchone())


def since(token):
    """({item id: (old rows, new rows)} of the items changed past `token`, each rows a dict of
    facet: set of keys, and the token of now); None for the changes when there are too many to
    apply, a marker says any item may have changed, or the token is not of this log (its newest
    entry then, its anchor, is gone: pruned, or a database restored or made afresh)."""
    found = read_since(token)
    return (found.changes, found.token) if found.changes is not None else (None, None)


class Since(NamedTuple):
    # {item id: (old rows, new rows)}, or None: they cannot be applied. With named=True an item
    # a marker names has old rows None: any of its rows may have changed.
    changes: dict | None
    token: tuple | None  # of now: the snapshot the rest was read in
    matching: set  # of the changed items, those `matching` holds for now
    including: list  # the ids `including` selects now


def read_since(token, *, words=False, named=False, matching=None, including=None):
    """since(token), and what else is to be read in the same snapshot.

    `words`: a text marker (log_text) counts as a marker (for a reader of words); else it is
    passed over. `named`: a marker that names its items (log_many) is read as a change of each
    (old rows None, new rows read here); else it is a marker. `matching`: a function of the
    number of entries past the token giving (an SQL condition on the column l.item_id, its
    parameters): which changed items it holds for now.
    `including`: (SQL selecting item_id, its parameters): the ids it selects now."""
    snapshot, anchor_id, anchor_created = token
    if anchor_id is None:
        return Since(None, None, set(), [])
    past, params = _past(snapshot, anchor_id)
    table, entries = _table(FacetChange), _table(FacetEntry)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), (SELECT COUNT(*) FROM {table} WHERE id = %s AND created = %s) FROM {table} l WHERE ({past})",
            [anchor_id, anchor_created, *params],
        )
        changed, anchored = cursor.fetchone()
        if changed > ITEMS or not anchored:
            return Since(None, None, set(), [])
        if not changed and including is None:
            return Since({}, token, set(), [])
        condition, condition_params = matching(changed) if matching else ("1 = 0", [])
        selected, selected_params = including or (None, [])
        # The ids `including` selects, as one row of kind 4 holding them joined by commas: half a
        # million ids sent as rows cost the driver more than the database spent finding them.
        branch = (
            f"UNION ALL SELECT 4, CAST(NULL AS bigint), CAST(NULL AS bigint), {_joined('s.item_id')}, {_NO_ANCHOR} "
            f"FROM ({selected}) s "
            if selected else ""
        )
        # The rows now of the items logged one by one, and of those the markers name: one IN of
        # a UNION, which both databases look up by the index (an OR of two INs made PostgreSQL
        # read every row of the index table: 68 ms at 100,000 items).
        of_named, named_params = (f" UNION ALL {_named_ids(table, past)}", [f"{_NAMED}%", *params]) if named else ("", [])
        cursor.execute(
            f"SELECT 0, l.id, l.item_id, l.{_quote('rows')}, {_NO_ANCHOR} FROM {table} l WHERE ({past}) "
            f"UNION ALL SELECT 1, NULL, e.item_id, e.facet || %s || e.{_key()}, {_NO_ANCHOR} FROM {entries} e "
            f"WHERE e.item_id IN (SELECT l.item_id FROM {table} l WHERE ({past}){of_named}) "
            f"UNION ALL SELECT DISTINCT 3, CAST(NULL AS bigint), l.item_id, CAST(NULL AS text), {_NO_ANCHOR} FROM {table} l "
            f"WHERE ({past}) AND l.item_id IS NOT NULL AND {condition} "
            f"{branch}UNION ALL SELECT 2, NULL, NULL, {token_columns()}",
            [*params, _KEY, *params, *named_params, *params, *condition_params, *selected_params],
        )
        rows = cursor.fetchall()
    return _read(rows, words, named)


def _joined(column):
    """SQL of the values of an integer column joined by commas (NULL for none)."""
    if connection.vendor == "postgresql":
        return f"string_agg(CAST({column} AS text), ',')"
    return f"group_concat({column}, ',')"


def _named_ids(table, past):
    """SQL of the ids the markers past the token name (parameters: the _NAMED pattern, then
    those of `past`); the CASE keeps other rows from being read as JSON."""
    rows = f"l.{_quote('rows')}"
    if connection.vendor == "postgresql":
        return (
            f"SELECT CAST(j AS bigint) FROM {table} l, jsonb_array_elements_text("
            f"CASE WHEN l.item_id IS NULL AND {rows} LIKE %s THEN CAST({rows} AS jsonb) ELSE CAST('[]' AS jsonb) END) j "
            f"WHERE ({past})"
        )
    return (
        f"SELECT CAST(j.value AS integer) FROM {table} l, json_each("
        f"CASE WHEN l.item_id IS NULL AND {rows} LIKE %s THEN {rows} ELSE '[]' END) j WHERE ({past})"
    )


def _read(rows, words, named):
    """since()'s rows as a Since."""
    old, new, now, matched, selected, marked = {}, defaultdict(set), None, set(), [], set()
    entries = []
    for row in rows:
        kind = row[0]
        if kind == 4:
            # Read as a JSON array: orjson turns 500,000 ids into integers in a third of the
            # time that splitting and int() take (15 against 50 ms), which a search of a common
            # word waits for.
            selected = orjson.loads(f"[{row[3]}]") if row[3] else []
        elif kind == 3:
            matched.add(row[2])
        elif kind == 1:
            new[row[2]].add(row[3])
        elif kind == 2:
            now = tuple(row[3:])
        else:
            entries.append(row)
    for _kind, _id, item_id, text, *_anchor in sorted(entries, key=lambda row: row[1]):
        if item_id is None:
            if named and text.startswith(_NAMED):
                marked.update(json.loads(text))
            elif text != TEXT_MARKER or words:
                return Since(None, now, set(), selected)  # a marker
            continue
        old.setdefault(item_id, text)  # the first entry past the token: the rows then
    changes = {
        item_id: (_parse(text.split(_ROW) if text else ()), _parse(new[item_id]))
        for item_id, text in old.items() if item_id not in marked
    }
    changes.update((item_id, (None, _parse(new[item_id]))) for item_id in marked)
    return Since(changes, now, matched, selected)


def moved(counts, rows, sign, names, others):
    """Add `sign` to `counts` ({facet: {key: count}}) for each key of the facets `names` in an
    item's `rows`, if those rows pass the `others` filters ({facet: chosen keys})."""
    if passes(rows, others):
        for name in names:
            for key in rows.get(name, ()):
                counts[name][key] = counts[name].get(key, 0) + sign


def passes(rows, chosen):
    """Whether an item of these index rows ({facet: keys}) has a chosen key of every facet of
    `chosen` ({facet: keys})."""
    return all(rows.get(facet, set()) & keys for facet, keys in chosen.items())


def _parse(rows):
    parsed = defaultdict(set)
    for row in rows:
        facet, key = row.split(_KEY, 1)
        parsed[facet].add(key)
    return parsed


def _past(snapshot, anchor_id):
    """The condition on log entries `l` written past the token's snapshot, and its parameters.

    On PostgreSQL the snapshot says nothing reliable of the reader's own transaction, if it had
    written (it is in no snapshot's list of running ones, and may lie below or above its xmax):
    its entries are past the token if written after it, that is numbered above the anchor."""
    if connection.vendor == "postgresql":
        snapshot, own = snapshot.split("|")
        own = int(own or -1)
        return (
            "(l.xid <> %s AND l.xid >= CAST(CAST(pg_snapshot_xmin(CAST(%s AS pg_snapshot)) AS text) AS bigint) "
            "AND NOT pg_visible_in_snapshot(CAST(CAST(l.xid AS text) AS xid8), CAST(%s AS pg_snapshot))) "
            "OR (l.xid = %s AND l.id > %s)",
            [own, snapshot, snapshot, own, anchor_id],
        )
    return "l.id > %s", [int(snapshot)]


def token_columns():
    """Three columns: the snapshot (see the module's docstring), and the id and time of the
    newest entry in it, which must still be there when the token is used."""
    table = _table(FacetChange)
    newest = f"(SELECT {{}} FROM {table} ORDER BY id DESC LIMIT 1)"
    if connection.vendor == "postgresql":
        snapshot = (
            "CAST(pg_current_snapshot() AS text) || '|' || COALESCE(CAST(pg_current_xact_id_if_assigned() AS text), '')"
        )
    else:
        snapshot = f"CAST((SELECT COALESCE(MAX(id), 0) FROM {table}) AS text)"
    return f"{snapshot}, {newest.format('id')}, {newest.format('created')}"


def _key():
    return _quote("key")


def _quote(name):
    return connection.ops.quote_name(name)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)
