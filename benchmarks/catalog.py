"""Synthetic catalogues of a given size for the benchmarks, built once and then reused.

    from benchmarks.catalog import catalog_database
    url = catalog_database(100_000, backend="postgres")   # a DATABASE_URL

Run benchmarks as modules from the project root (`.venv/bin/python -m benchmarks.oai`): run as
plain scripts, `benchmarks/` would come first on sys.path and this file would shadow the
`catalog` app.

A catalogue holds exactly n items made by `manage.py generate_catalog n --seed 1`, so every
benchmark at a given size sees the same rows; a stamp beside it (benchmarks/out/*.generator)
records which version of generate_catalog made it, and a catalogue made by another version is
rebuilt. SQLite catalogues are files under benchmarks/out/
(git ignores it); PostgreSQL catalogues are databases named arkiv_bench_<n> on the server of
ARKIV_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432). A catalogue is built under a
temporary name and renamed only once complete, so an interrupted build is never mistaken for a
finished one; a lock file keeps two benchmarks from building the same catalogue at once.

This module deliberately imports nothing from Django: the building happens in subprocesses,
each with its own DATABASE_URL, and the caller decides which database it connects to.
"""
import fcntl
import hashlib
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
GENERATOR = ROOT / "catalog" / "management" / "commands" / "generate_catalog.py"
SEED = 1
BACKENDS = ("sqlite", "postgres")
POSTGRES_SERVER = os.environ.get("ARKIV_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

# The lines generate_catalog ends with; see catalog/management/commands/generate_catalog.py.
_GENERATED = re.compile(r"^Generated (\d+) items, (\d+) statements in ([\d.]+) s", re.MULTILINE)
_INDEXED = re.compile(r"^Search index: (\d+) items in ([\d.]+) s", re.MULTILINE)


@dataclass
class Build:
    """What building one catalogue took."""

    url: str
    name: str
    items: int
    statements: int
    generate_seconds: float  # inserting items, statements and authorities
    index_seconds: float | None  # the search reindex, where the search app exists
    total_seconds: float  # the whole generate_catalog process, start-up included
    cpu_seconds: float  # its processor time (user + system): on a busy machine, what it would take alone
    size_bytes: int


def catalog_database(n: int, backend: str = "sqlite") -> str:
    """The DATABASE_URL of a catalogue of exactly n synthetic items (seed 1), built if absent.

    A catalogue made by an older generate_catalog is rebuilt. The schema is brought up to date
    (`migrate`) on every call, so a catalogue built before another engineer's migration still
    fits the code that reads it.
    """
    store, name = store_for(backend), catalog_name(n)
    with _lock(f"{backend}-{n}"):
        if not is_current(store, name):
            _install(store, name, _build(store, name, n))
        url = store.url(name)
        migrate(url)
    return url


def measure_build(n: int, backend: str, *, batch: int | None = None) -> Build:
    """Build a catalogue of n items from scratch and time it. The result becomes the cached
    catalogue if there was none (or only a stale one); a current cached catalogue is left alone,
    since another benchmark may be reading it."""
    store, name = store_for(backend), catalog_name(n)
    with _lock(f"{backend}-{n}"):
        build = _build(store, name, n, batch=batch)
        if is_current(store, name):
            store.drop(build.name)
        else:
            _install(store, name, build)
    return build


def catalog_name(n: int) -> str:
    return f"arkiv_bench_{n}"


def generator_stamp() -> str:
    """Names the version of generate_catalog: catalogues it did not make are stale."""
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest()


def is_current(store, name) -> bool:
    stamp = _stamp_file(store, name)
    return store.exists(name) and stamp.exists() and stamp.read_text() == generator_stamp()


def _stamp_file(store, name):
    return OUT / f"{name}.{store.backend}.generator"


def _build(store, name, n, *, batch=None):
    scratch = f"{name}_building"
    store.drop(scratch)
    store.create(scratch)
    try:
        build = generate(store.url(scratch), n, seed=SEED, batch=batch)
        store.close(scratch)
    except BaseException:
        store.drop(scratch)
        raise
    build.name, build.size_bytes = scratch, store.size(scratch)
    return build


def _install(store, name, build):
    """Make a finished build the cached catalogue `name`, replacing a stale one."""
    _stamp_file(store, name).unlink(missing_ok=True)
    store.drop(name)
    store.rename(build.name, name)
    _stamp_file(store, name).write_text(generator_stamp())
    build.name, build.url = name, store.url(name)


def migrate(url: str) -> None:
    _manage(url, "migrate", "--noinput", "-v", "0")


def generate(url: str, n: int, *, seed: int = SEED, batch: int | None = None) -> Build:
    """Migrate the database at `url` and run generate_catalog into it; returns its timings."""
    migrate(url)
    arguments = ["generate_catalog", str(n), "--seed", str(seed)]
    if batch:
        arguments += ["--batch", str(batch)]
    started, cpu_before = time.perf_counter(), _children_cpu()
    output = _manage(url, *arguments, capture=True)
    total, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    generated = _GENERATED.search(output)
    if not generated:
        raise RuntimeError(f"generate_catalog did not report what it made; its output was:\n{output}")
    indexed = _INDEXED.search(output)
    return Build(
        url=url,
        name="",
        items=int(generated.group(1)),
        statements=int(generated.group(2)),
        generate_seconds=float(generated.group(3)),
        index_seconds=float(indexed.group(2)) if indexed else None,
        total_seconds=total,
        cpu_seconds=cpu,
        size_bytes=0,
    )


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _manage(url, *arguments, capture=False):
    """Run manage.py against `url`; the progress bar (stderr) goes to the caller's terminal."""
    environment = {**os.environ, "DATABASE_URL": url}
    completed = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT, env=environment, check=False, text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    if completed.returncode:
        raise RuntimeError(
            f"manage.py {' '.join(arguments)} failed (exit {completed.returncode}) on {url}"
            + (f":\n{completed.stdout}" if capture else "")
        )
    return completed.stdout or ""


@contextmanager
def _lock(key):
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f".{key}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class SQLiteStore:
    """Catalogues as files benchmarks/out/<name>.sqlite3."""

    backend = "sqlite"

    def path(self, name):
        return OUT / f"{name}.sqlite3"

    def url(self, name):
        return f"sqlite:///{self.path(name)}"

    def exists(self, name):
        return self.path(name).exists()

    def create(self, name):
        OUT.mkdir(parents=True, exist_ok=True)

    def close(self, name):
        # Fold the write-ahead log into the main file, so that the file alone is the database
        # and can be renamed safely.
        connection = sqlite3.connect(self.path(name))
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode=DELETE")
        finally:
            connection.close()

    def drop(self, name):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path(name)}{suffix}").unlink(missing_ok=True)

    def rename(self, old, new):
        shutil.move(self.path(old), self.path(new))

    def size(self, name):
        return sum(
            Path(f"{self.path(name)}{suffix}").stat().st_size
            for suffix in ("", "-wal")
            if Path(f"{self.path(name)}{suffix}").exists()
        )


class PostgresStore:
    """Catalogues as databases on the PostgreSQL server of ARKIV_BENCH_POSTGRES."""

    backend = "postgres"

    def url(self, name):
        return f"{POSTGRES_SERVER.rstrip('/')}/{name}"

    def _psql(self, sql):
        completed = subprocess.run(
            ["psql", f"{POSTGRES_SERVER.rstrip('/')}/postgres", "-v", "ON_ERROR_STOP=1", "-tAc", sql],
            check=False, text=True, capture_output=True,
        )
        if completed.returncode:
            raise RuntimeError(f"psql failed on {sql!r}: {completed.stderr.strip()}")
        return completed.stdout.strip()

    def exists(self, name):
        return self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"

    def create(self, name):
        self._psql(f'CREATE DATABASE "{name}"')

    def close(self, name):
        # Rows inserted in bulk have no planner statistics until analysed; benchmarks should
        # measure the catalogue as it is after autovacuum has caught up, not before.
        subprocess.run(["psql", self.url(name), "-qc", "VACUUM ANALYZE"], check=True)

    def drop(self, name):
        self._psql(f'DROP DATABASE IF EXISTS "{name}"')

    def rename(self, old, new):
        self._psql(f'ALTER DATABASE "{old}" RENAME TO "{new}"')

    def size(self, name):
        return int(self._psql(f"SELECT pg_database_size('{name}')"))


def store_for(backend):
    if backend not in BACKENDS:
        raise ValueError(f"Unknown backend {backend!r}: use one of {', '.join(BACKENDS)}.")
    return SQLiteStore() if backend == "sqlite" else PostgresStore()
