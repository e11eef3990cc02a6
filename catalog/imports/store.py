"""Where a plan lives: a small SQLite file beside the upload, not the process's memory.

A plan for a million rows would not fit in memory, and the admin shows it over several requests
(preview pages, then the summary), possibly served by different worker processes. So each
row's outcome is written to this file as it is planned: the identifiers seen so far (to catch
one identifier used twice), every row's action and field-by-field diff, and every error. The
preview pages through it with LIMIT/OFFSET. The catalogue's own database is never used for
this: a plan must be writable while nothing is written to the catalogue. A plan holds unpublished
data, so its file is readable by its owner only (0600), whatever the umask.

PlannedWrites keeps what an import will write between planning and writing (see csv.py).
"""
import json
import os
import pickle
import secrets
import shutil
import sqlite3
import tempfile
import time
from contextlib import contextmanager, suppress

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen (identifier TEXT PRIMARY KEY, row INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    row INTEGER PRIMARY KEY, identifier TEXT NOT NULL, action TEXT NOT NULL, changes TEXT
);
CREATE INDEX IF NOT EXISTS entries_action ON entries (action, row);
CREATE TABLE IF NOT EXISTS errors (
    id INTEGER PRIMARY KEY, row INTEGER, column TEXT NOT NULL, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS errors_row ON errors (row);
"""


class PlanStore:
    def __init__(self, path):
        self.path = str(path)
        private_file(self.path)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)

    def close(self):
        self.db.close()

    def reset(self):
        self.db.executescript("DELETE FROM seen; DELETE FROM entries; DELETE FROM errors; DELETE FROM meta;")

    def earlier_rows(self, identifiers):
        """Of {identifier: row}, those seen in an earlier chunk, with the row they were first
        seen in; then remember the rest."""
        keys = list(identifiers)
        earlier = {}
        for start in range(0, len(keys), 500):
            part = keys[start:start + 500]
            marks = ",".join("?" * len(part))
            earlier.update(self.db.execute(f"SELECT identifier, row FROM seen WHERE identifier IN ({marks})", part))
        with self._transaction():
            self.db.executemany(
                "INSERT INTO seen (identifier, row) VALUES (?, ?)",
                [(key, row) for key, row in identifiers.items() if key not in earlier],
            )
        return earlier

    def seen(self, identifiers):
        """Which of `identifiers` are rows of the file planned so far (reads only)."""
        found = set()
        for start in range(0, len(identifiers), 500):
            part = identifiers[start:start + 500]
            marks = ",".join("?" * len(part))
            found.update(row[0] for row in self.db.execute(f"SELECT identifier FROM seen WHERE identifier IN ({marks})", part))
        return found

    def add(self, row_plans):
        with self._transaction():
            self.db.executemany(
                "INSERT INTO entries (row, identifier, action, changes) VALUES (?, ?, ?, ?)",
                [(p.row, p.identifier, p.action, p.diff_text) for p in row_plans],
            )
            self.db.executemany(
                "INSERT INTO errors (row, column, message) VALUES (?, ?, ?)",
                [(e.row, e.column, e.message) for p in row_plans for e in p.errors],
            )

    def fail(self, errors):
        """Row errors found once the whole file is planned (the arrangement's): (row, column,
        message). Their rows become errors, without changes, as if they had failed at once."""
        if not errors:
            return
        with self._transaction():
            self.db.executemany(
                "UPDATE entries SET action = 'error', changes = NULL WHERE row = ?",
                sorted({(row,) for row, _, _ in errors}),
            )
            self.db.executemany("INSERT INTO errors (row, column, message) VALUES (?, ?, ?)", errors)

    @contextmanager
    def _transaction(self):
        # The connection commits every statement by itself (isolation_level=None), and so every
        # row of an executemany(): one transaction for the batch is twenty times faster.
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def add_file_error(self, row, message):
        self.db.execute("INSERT INTO errors (row, column, message) VALUES (?, '', ?)", (row, message))

    def counts(self):
        counts = dict(self.db.execute("SELECT action, COUNT(*) FROM entries GROUP BY action"))
        return {action: counts.get(action, 0) for action in ("create", "update", "unchanged", "error")}

    def error_count(self):
        return self.db.execute("SELECT COUNT(*) FROM errors").fetchone()[0]

    def entries(self, actions, offset=0, limit=None):
        """Entries of the given actions in row order, each with its changes and errors."""
        marks = ",".join("?" * len(actions))
        rows = self.db.execute(
            f"SELECT row, identifier, action, changes FROM entries WHERE action IN ({marks}) "
            "ORDER BY row LIMIT ? OFFSET ?",
            [*actions, -1 if limit is None else limit, offset],
        ).fetchall()
        errors = self._errors_of([row for row, *_ in rows])
        return [
            {"row": row, "identifier": identifier, "action": action,
             "changes": json.loads(changes) if changes else [], "errors": errors.get(row, [])}
            for row, identifier, action, changes in rows
        ]

    def count(self, actions):
        marks = ",".join("?" * len(actions))
        return self.db.execute(f"SELECT COUNT(*) FROM entries WHERE action IN ({marks})", actions).fetchone()[0]

    def errors(self, offset=0, limit=None):
        return [
            {"row": row, "column": column, "message": message}
            for row, column, message in self.db.execute(
                "SELECT row, column, message FROM errors ORDER BY row, id LIMIT ? OFFSET ?",
                (-1 if limit is None else limit, offset),
            )
        ]

    def _errors_of(self, rows):
        found = {}
        for start in range(0, len(rows), 500):
            part = rows[start:start + 500]
            marks = ",".join("?" * len(part))
            for row, column, message in self.db.execute(
                f"SELECT row, column, message FROM errors WHERE row IN ({marks}) ORDER BY id", part
            ):
                found.setdefault(row, []).append({"row": row, "column": column, "message": message})
        return found

    def get(self, key, default=None):
        found = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(found[0]) if found else default

    def set(self, key, value):
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))


def private_file(path, *, exclusive=False):
    """Create `path` if it does not exist, readable and writable by its owner only (0600), whatever
    the umask; with exclusive=True, raise FileExistsError if it does. Returns nothing: open it as
    usual afterwards, and it keeps its mode."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else 0)
    descriptor = os.open(path, flags, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


def new_private_folder(root, token_bytes):
    """A new job folder under `root`, named by an unguessable token: `root` and the folder are
    open to their owner only (0700), whatever the umask, since jobs hold unpublished data."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with suppress(PermissionError):  # a folder someone else made: the jobs' own folders are private
        os.chmod(root, 0o700)
    folder = root / secrets.token_urlsafe(token_bytes)
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)  # mkdir's mode passes through the umask
    return folder


def remove_old_folders(root, keep_seconds):
    """Remove the job folders under `root` untouched for longer than `keep_seconds`: each kind of
    admin job (import, batch edit, arrangement change) keeps its folders for as long as its
    summary is worth showing, and no longer, since they hold unpublished data."""
    if not root.is_dir():
        return
    limit = time.time() - keep_seconds
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


class PlannedWrites:
    """What an import will write, from planning until the write transaction: the prepared
    batches, read back in order by iterating.

    The first batches, up to IN_MEMORY_ITEMS items, stay in memory as they are: a batch edit (at
    most 20,000 items, catalog/admin/batch.py) or a small import never pickles, which cost it a
    sixth of its time. Beyond that each batch is pickled to an unlinked temporary file (no other
    process can open it), so that memory holds one chunk more whatever the size of the import.

    Objects of the classes in `by_reference` are not copied into the file: every batch that
    names one gets the one object back. A new authority record named in many chunks must be
    created once, and every chunk must see the id it got. A batch that names none (the pending
    records of a batch are its `authorities`) is pickled without that check, which the pickler
    would otherwise make for every object in it.
    """

    IN_MEMORY_ITEMS = 20_000

    def __init__(self, by_reference=()):
        self.by_reference = tuple(by_reference)
        self.kept = {}  # id() -> object, for by_reference; keeping them keeps their ids unique
        self.in_memory, self.in_memory_items = [], 0
        self.file = None
        self.batches = 0  # batches in the file

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        if self.file is not None:
            self.file.close()
        self.in_memory = []

    def put(self, batch):
        if not self.batches and self.in_memory_items + len(batch) <= self.IN_MEMORY_ITEMS:
            self.in_memory.append(batch)
            self.in_memory_items += len(batch)
            return
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="arkiv-import-")
        self.file.seek(0, os.SEEK_END)
        if getattr(batch, "authorities", True):
            _Pickler(self.file, self).dump(batch)
        else:
            pickle.dump(batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1

    def __iter__(self):
        yield from self.in_memory
        if self.file is None:
            return
        self.file.seek(0)
        for _ in range(self.batches):
            yield _Unpickler(self.file, self).load()


class _Pickler(pickle.Pickler):
    def __init__(self, file, queue):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.queue = queue

    def persistent_id(self, obj):
        if isinstance(obj, self.queue.by_reference):
            self.queue.kept[id(obj)] = obj
            return id(obj)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, queue):
        super().__init__(file)
        self.queue = queue

    def persistent_load(self, key):
        return self.queue.kept[key]
