"""How long a CSV import keeps other writers out of a SQLite catalogue.

    .venv/bin/python -m benchmarks.import_lock                  # 20,000 rows
    .venv/bin/python -m benchmarks.import_lock --rows 100000

SQLite has one write lock per database: while an import holds it, an admin login (the session,
last_login) or save waits, and is answered “busy” once DATABASE_LOCK_TIMEOUT (20 s) runs out. This
benchmark runs the steps of benchmarks/import_csv.py (a first import of N new items into a
catalogue without items, then the same file again), then the file with every title changed (an
update of every item), as `manage.py import_csv` processes, while this process tries to take the
write lock (BEGIN IMMEDIATE, without waiting) every 10 ms and notes when it could not. It prints,
for each step, the import's wall time and CPU time, the longest stretch during which no other
writer could write, the total time the lock was held, and the load average (one minute) as the
step ends: on a shared machine, wall times say little without it.

The longest stretch must stay well below DATABASE_LOCK_TIMEOUT.
"""
import argparse
import csv
import os
import sqlite3
import subprocess
import sys
import time

from .catalog import OUT, ROOT, catalog_database, store_for
from .import_csv import empty_copy, run

PROBE_SECONDS = 0.01


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="catalogue size, in items (default 20,000)")
    arguments = parser.parse_args()
    n = arguments.rows

    print(f"{'rows':>8}  {'step':26} {'seconds':>8} {'CPU s':>6} {'longest lock s':>14} {'total lock s':>12} {'load':>5}")
    source = catalog_database(n, "sqlite")
    csv_path, revised_path = OUT / f"import-lock-{n}.csv", OUT / f"import-lock-{n}-revised.csv"
    run(source, "export_csv", str(csv_path))
    revise_titles(csv_path, revised_path)
    target = empty_copy("sqlite", n)
    steps = (
        ("first import (all new)", csv_path, ["--accept-unreadable-dates"]),
        ("re-import (all unchanged)", csv_path, []),
        ("update (every title)", revised_path, []),
    )
    try:
        for step, path, extra in steps:
            seconds, cpu, longest, total = measure(target, str(path), *extra)
            print(
                f"{n:8d}  {step:26} {seconds:8.1f} {cpu:6.1f} {longest:14.2f} {total:12.2f} {os.getloadavg()[0]:5.1f}",
                flush=True,
            )
    finally:
        store_for("sqlite").drop(f"arkiv_bench_import_{n}")
        csv_path.unlink(missing_ok=True)
        revised_path.unlink(missing_ok=True)


def revise_titles(source, target):
    """A copy of the exported file with every item's first title changed: an import that
    updates every item."""
    with open(source, encoding="utf-8-sig", newline="") as read, open(target, "w", encoding="utf-8", newline="") as out:
        rows, writer = csv.reader(read), csv.writer(out)
        header = next(rows)
        title = next(index for index, name in enumerate(header) if name.startswith("dc:title"))
        writer.writerow(header)
        for row in rows:
            row[title] += " (revised)"
            writer.writerow(row)


def measure(url, *arguments):
    """Run `manage.py import_csv` against `url` while probing the write lock: (wall seconds,
    CPU seconds of the import, longest stretch locked out, total time locked out)."""
    path = url.removeprefix("sqlite:///")
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_csv", *arguments, "-v", "0"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL,
    )
    longest = total = 0.0
    locked_since = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        now = time.perf_counter()
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            if locked_since is not None:
                longest, total = max(longest, now - locked_since), total + now - locked_since
                locked_since = None
        except sqlite3.OperationalError:  # database is locked
            if locked_since is None:
                locked_since = now
        time.sleep(PROBE_SECONDS)
    seconds = time.perf_counter() - started
    if locked_since is not None:
        longest, total = max(longest, seconds - locked_since), total + seconds - locked_since
    probe.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"manage.py import_csv failed (exit {process.returncode}) on {url}")
    return seconds, usage.ru_utime + usage.ru_stime, longest, total


if __name__ == "__main__":
    main()
