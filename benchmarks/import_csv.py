"""Speed and memory of the CSV import: a first import, and a re-import where nothing changed.

    .venv/bin/python -m benchmarks.import_csv                               # 100k rows, SQLite and PostgreSQL
    .venv/bin/python -m benchmarks.import_csv --rows 10000 --backends sqlite

For each backend: the cached synthetic catalogue of N items (benchmarks/catalog.py) is exported
with `manage.py export_csv`; a copy of that catalogue with every item removed (its authority
records and collections stay, as in an archive that re-imports its catalogue) receives the file
with `manage.py import_csv` (the first import: N items created), and then the same file again
(the re-import: N rows unchanged, nothing written).

Each step is a separate `manage.py` process, timed from start to exit (Django's start-up
included, so the rates are slightly pessimistic); peak memory is that process's maximum resident
set size, read from wait4(); its CPU time is shown too, and the machine's load average (one
minute) as the step ends: on a shared machine, wall time says little without it. Targets
(issue 4): a first import of at least 2,000 rows/s on SQLite, a re-import of at least 5,000
rows/s, under 500 MB for 100k rows.
"""
import argparse
import os
import sqlite3
import subprocess
import sys
import time

from .catalog import OUT, ROOT, catalog_database, store_for

# Every table an item owns; emptied in this order so that no foreign key is left dangling.
ITEM_TABLES = (
    "facets_facetentry", "facets_facetcount",  # the facet index and its counts, derived from the items
    "oai_cache_fragment",  # stored records of the items
    "catalog_search", "catalog_statement", "catalog_item_collections", "catalog_digitalfile",
    "catalog_tombstone", "catalog_item",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="catalogue size, in items (default 100,000)")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    arguments = parser.parse_args()

    print(f"{'backend':9} {'rows':>8}  {'step':26} {'seconds':>8} {'rows/s':>8} {'CPU s':>7} {'peak MB':>8} {'load':>5}")
    for backend in arguments.backends:
        for step, rows, (seconds, cpu, peak) in measure(backend, arguments.rows):
            print(
                f"{backend:9} {rows:8d}  {step:26} {seconds:8.1f} {rows / seconds:8.0f} {cpu:7.1f} {peak / 1024:8.0f}"
                f" {os.getloadavg()[0]:5.1f}",
                flush=True,
            )


def measure(backend, n):
    source = catalog_database(n, backend)
    csv_path = OUT / f"import-{backend}-{n}.csv"
    yield "export_csv", n, run(source, "export_csv", str(csv_path))

    target = empty_copy(backend, n)
    try:
        # The synthetic catalogue has dates no reader understands (“uten dato”), as legacy
        # catalogues do; the first import keeps them as written, as the admin would.
        yield "first import (all new)", n, run(target, "import_csv", str(csv_path), "--accept-unreadable-dates")
        yield "re-import (all unchanged)", n, run(target, "import_csv", str(csv_path))
    finally:
        store_for(backend).drop(f"arkiv_bench_import_{n}")
        csv_path.unlink(missing_ok=True)


def empty_copy(backend, n):
    """A copy of the catalogue of n items without its items; returns its DATABASE_URL."""
    store = store_for(backend)
    source, copy = f"arkiv_bench_{n}", f"arkiv_bench_import_{n}"
    store.drop(copy)
    if backend == "sqlite":
        # SQLite's backup, not a file copy: it copies the write-ahead log's pages too, and needs
        # no change of journal mode, which fails ("database is locked") while another benchmark
        # reads the catalogue (benchmarks/batch_edit.py does the same).
        original, connection = sqlite3.connect(store.path(source)), sqlite3.connect(store.path(copy))
        try:
            original.backup(connection)
        finally:
            original.close()
        with connection:
            for table in ITEM_TABLES:
                connection.execute(f"DELETE FROM {table}")
        connection.execute("VACUUM")
        connection.close()
    else:
        store._psql(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
        # Two commands, not one string: psql runs a multi-statement string in one transaction,
        # and VACUUM refuses to run inside one.
        subprocess.run(
            ["psql", store.url(copy), "-qc", f"TRUNCATE {', '.join(ITEM_TABLES)} CASCADE", "-c", "VACUUM ANALYZE"],
            check=True,
        )
    return store.url(copy)


def run(url, *arguments):
    """Run manage.py against `url`: (wall seconds, CPU seconds, peak resident memory in KiB).

    CPU seconds (user + system of the process) are printed beside the wall time because the
    machine may be shared: they show the work the import itself did."""
    environment = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *arguments, "-v", "0"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed (exit {process.returncode}) on {url}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


if __name__ == "__main__":
    main()
