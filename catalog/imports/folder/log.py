"""What became of each file and unit of a folder ingest, kept in a small SQLite file.

A folder may hold a million scans, and the admin shows what became of them over several
requests, so the outcomes go to disk as they are known (as the import engine's plan does,
store.PlanStore), and the summary pages through them. Each line is one outcome: a unit made
(or to be made, in a dry run), a unit an earlier run made, a file already in the archive (with
the item that holds it), or a file or unit refused (with why).
"""
import sqlite3

from ..store import private_file

MADE, WOULD_MAKE, EARLIER, DUPLICATE, REFUSED = "made", "would-make", "earlier", "duplicate", "refused"
OUTCOMES = (MADE, WOULD_MAKE, EARLIER, DUPLICATE, REFUSED)

SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    id INTEGER PRIMARY KEY, outcome TEXT NOT NULL, path TEXT NOT NULL, identifier TEXT NOT NULL,
    files INTEGER NOT NULL, detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outcomes_by_kind ON outcomes (outcome, id);
"""


class FolderLog:
    def __init__(self, path):
        self.path = str(path)
        private_file(self.path)  # a log names unpublished items
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)

    def close(self):
        self.db.close()

    def reset(self):
        self.db.execute("DELETE FROM outcomes")

    def add(self, lines):
        """lines: (outcome, path, identifier, files, detail)."""
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO outcomes (outcome, path, identifier, files, detail) VALUES (?, ?, ?, ?, ?)", lines)
        self.db.execute("COMMIT")

    def counts(self):
        found = dict(self.db.execute("SELECT outcome, COUNT(*) FROM outcomes GROUP BY outcome"))
        return {outcome: found.get(outcome, 0) for outcome in OUTCOMES}

    def files(self, outcome):
        """How many files the units of this outcome hold."""
        return self.db.execute("SELECT COALESCE(SUM(files), 0) FROM outcomes WHERE outcome = ?", [outcome]).fetchone()[0]

    def count(self, outcomes):
        marks = ",".join("?" * len(outcomes))
        return self.db.execute(f"SELECT COUNT(*) FROM outcomes WHERE outcome IN ({marks})", list(outcomes)).fetchone()[0]

    def lines(self, outcomes, *, offset=0, limit=100):
        marks = ",".join("?" * len(outcomes))
        rows = self.db.execute(
            f"SELECT outcome, path, identifier, files, detail FROM outcomes WHERE outcome IN ({marks}) ORDER BY id LIMIT ? OFFSET ?",
            [*outcomes, limit, offset],
        )
        return [dict(zip(("outcome", "path", "identifier", "files", "detail"), row)) for row in rows]
