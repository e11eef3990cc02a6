"""What the arrangement costs on large trees: the public pages of a fonds, a move, EAD out and in.

    .venv/bin/python -m benchmarks.arrangement                                # 100k and 1M units, SQLite
    .venv/bin/python -m benchmarks.arrangement --n 100000 --backend sqlite postgres
    .venv/bin/python -m benchmarks.arrangement --n 100000 --skip move import

Each catalogue is benchmarks/catalog.py's (`generate_catalog N --seed 1`, built once and cached),
whose first fonds is the tree measured (generate_catalog's Layout): series A, files holding some
10,000 items; series B, up to 100,000 items directly under it (at N = 100k the catalogue ends
inside it, at some 90,000). Measured, each by a function of its own so that one can be skipped:

- pages: gunicorn (two sync workers, DEBUG off; benchmarks/browse.py's server) serves the fonds
  page, series B's first page of children and a deep one (page 4,000 at 20 a page, or its last
  page if it has fewer), its tree fragment (what the page fetches to open a level), an item deep
  in series B and one in a file of series A with their context lines. The site's cache is
  emptied first: the first request of each page is cold; then the median and 95th percentile
  of --requests more. With two sizes, the ratio of the medians, larger over smaller.
- move: series A (some 10,000 units) moved to the next fonds (or to the top of the arrangement
  where the catalogue has one fonds), with a new local code, by arrangement.move, in a process of its own, on a scratch
  copy of the catalogue, while a thread asks the public pages of the same copy over and over:
  the move's time, and how many requests were answered during it and how fast.
- export: `manage.py export_ead` of the first fonds (every unit of it: some 100,000 at 100k):
  time, units/s and the exporter's peak resident memory (VmHWM, sampled from /proc), which must
  not grow with the fonds.
- import: `manage.py import_ead` of series A's finding aid into an empty catalogue: units/s.

A command that does not exist (yet) is skipped with a note. Load averages are printed: the
machine is shared, and times are what it gave. Nothing is asserted.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from benchmarks.browse import connect, empty_cache, fetch, load_average, percentile, server
from benchmarks.catalog import BACKENDS, OUT, ROOT, catalog_database, catalog_name, is_current, store_for

SIZES = (100_000, 1_000_000)
DEEP_PAGE = 4000
PAGE_SIZE = int(os.environ.get("ARKIV_BROWSE_PAGE_SIZE", "20"))
MEASUREMENTS = ("pages", "move", "export", "import")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=SIZES, help="catalogue sizes, in units (default 100000 1000000)")
    parser.add_argument("--backend", choices=BACKENDS, nargs="+", default=["sqlite"])
    parser.add_argument("--requests", type=int, default=20, help="requests a page after the first (default 20)")
    parser.add_argument("--skip", nargs="+", default=[], choices=MEASUREMENTS, help="measurements to leave out")
    arguments = parser.parse_args()

    medians = {}
    for backend in arguments.backend:
        for n in arguments.n:
            print(f"\n== {n:,} units, {backend}; load average {load_average()}", flush=True)
            url = built(n, backend)
            tree = Tree.of(url)
            print(f"   {tree}", flush=True)
            if "pages" not in arguments.skip:
                for name, median in measure_pages(url, tree, arguments.requests).items():
                    medians[backend, n, name] = median
            if "export" not in arguments.skip:
                measure_export(url, tree)
            if "import" not in arguments.skip:
                measure_import(url, tree, backend)
            if "move" not in arguments.skip:
                with scratch_copy(url, backend, n) as copy:
                    if copy is None:
                        print("   move: skipped (no scratch copy of the catalogue could be made)")
                    else:
                        measure_move(copy, tree)
            print(f"   load average after: {load_average()}", flush=True)
    print_ratios(medians, arguments)


def built(n, backend):
    """The cached catalogue of n units, built first if need be (and how long that took)."""
    store, name = store_for(backend), catalog_name(n)
    fresh = is_current(store, name)
    started = time.perf_counter()
    url = catalog_database(n, backend)
    if not fresh:
        print(f"   generated the catalogue in {time.perf_counter() - started:,.0f} s (generate_catalog, search index, migrate)", flush=True)
    return url


class Tree:
    """The units of the first fonds that are measured, read from the catalogue."""

    def __init__(self, **units):
        self.__dict__.update(units)

    @classmethod
    def of(cls, url):
        with connect(url) as db:
            fonds_id, fonds = db.rows("SELECT id, identifier FROM catalog_item WHERE identifier = 'syn-1-0000000'")[0]

            def child(parent, code):
                return db.rows("SELECT id, identifier FROM catalog_item WHERE parent_id = %s AND local_code = %s", [parent, code])[0]

            a_id, series_a = child(fonds_id, "A")
            b_id, series_b = child(fonds_id, "B")
            b_children = db.one("SELECT count(*) FROM catalog_item WHERE parent_id = %s", [b_id])
            deep_item = db.one(
                "SELECT identifier FROM catalog_item WHERE parent_id = %s AND status = 'published' "
                "AND position >= %s ORDER BY position LIMIT 1", [b_id, int(b_children * 0.8)])
            files = db.column("SELECT id FROM catalog_item WHERE parent_id = %s ORDER BY position", [a_id])
            middle_file = files[len(files) // 2]
            file_item = db.one(
                "SELECT identifier FROM catalog_item WHERE parent_id = %s AND status = 'published' ORDER BY position LIMIT 1",
                [middle_file])
            a_units = db.one("SELECT count(*) FROM catalog_item WHERE ancestry LIKE %s", [f"/{fonds_id}/{a_id}/%"])
            fonds_units = db.one("SELECT count(*) FROM catalog_item WHERE ancestry LIKE %s", [f"/{fonds_id}/%"]) + 1
            tops = db.column("SELECT identifier FROM catalog_item WHERE parent_id IS NULL AND identifier LIKE 'syn-1-%%' ORDER BY position")
        return cls(fonds=fonds, series_a=series_a, series_b=series_b, b_children=b_children, deep_item=deep_item,
                   file_item=file_item, a_units=a_units + 1, fonds_units=fonds_units, next_fonds=tops[1] if len(tops) > 1 else None)

    def __str__(self):
        return (f"fonds {self.fonds}: {self.fonds_units:,} units; series A {self.series_a}: {self.a_units:,} units; "
                f"series B {self.series_b}: {self.b_children:,} children")


# --- The public pages -----------------------------------------------------------------------

def pages_of(tree):
    """{page name: path}: what a visitor walking the tree asks."""
    deep = min(DEEP_PAGE, max(1, -(-tree.b_children // PAGE_SIZE)))
    return {
        "fonds page": f"/items/{tree.fonds}/",
        "series B, first page": f"/items/{tree.series_b}/",
        "series B, deep page": f"/items/{tree.series_b}/?page={deep}",
        "series B, tree fragment": f"/items/{tree.series_b}/tree/",
        "item deep in series B": f"/items/{tree.deep_item}/",
        "item in a file of A": f"/items/{tree.file_item}/",
    }


def measure_pages(url, tree, requests):
    """Print and return {page: median ms} for the pages of the tree, served by gunicorn."""
    empty_cache(url)
    medians = {}
    print(f"   {'page':26} {'first ms':>9} {'N':>3} {'median ms':>10} {'p95 ms':>8}", flush=True)
    with server(url) as base:
        for name, path in pages_of(tree).items():
            first = timed(base + path)
            fetch(base + path)  # the other worker's first
            times = [timed(base + path) for _ in range(requests)]
            medians[name] = statistics.median(times)
            print(f"   {name:26} {first:>9.1f} {len(times):>3} {medians[name]:>10.1f} {percentile(times, 95):>8.1f}  {path}", flush=True)
    return medians


def timed(url):
    begun = time.perf_counter()
    fetch(url)
    return (time.perf_counter() - begun) * 1000


# --- A move, with visitors meanwhile ---------------------------------------------------------

MOVE = """
import json, time
from catalog import arrangement
from catalog.models import Item
unit = Item.objects.get(identifier={unit!r})
target = Item.objects.get(identifier={target!r}) if {target!r} else None
below = arrangement.subtree_size(unit)
unit.local_code = "A-MOVED"  # the target fonds has a series A of its own
begun = time.perf_counter()
arrangement.move(unit, parent=target)
print(json.dumps({{"seconds": time.perf_counter() - begun, "below": below}}))
"""


def measure_move(url, tree):
    """Move series A to the next fonds (or the top) in a process of its own while a thread asks
    the public pages of the same catalogue; print the move's time and the requests answered."""
    code = MOVE.format(unit=tree.series_a, target=tree.next_fonds or "")
    pages = list(pages_of(tree).values())
    with server(url) as base:
        for path in pages:  # warm both workers
            fetch(base + path)
            fetch(base + path)
        before = visitors(base, pages, seconds=5)
        answered, stop = [], threading.Event()
        thread = threading.Thread(target=visit, args=(base, pages, answered, stop))
        thread.start()
        begun = time.perf_counter()
        done = manage(url, "shell", "--no-imports", "-c", code)
        wall = time.perf_counter() - begun
        stop.set()
        thread.join()
    moved = last_json(done)
    to = f"under {tree.next_fonds}" if tree.next_fonds else "to the top"
    print(f"   move: series A ({moved['below']:,} units below it) {to} in {moved['seconds']:.1f} s "
          f"({wall:.1f} s with the process's start)", flush=True)
    during = [ms for at, ms, ok in answered if at <= begun + wall]
    failed = sum(1 for _, _, ok in answered if not ok)
    print(f"   visitors meanwhile: {len(during)} requests answered, "
          f"median {statistics.median(during) if during else float('nan'):.1f} ms, "
          f"max {max(during) if during else float('nan'):.1f} ms, {failed} failed; "
          f"before the move: median {statistics.median(before):.1f} ms over {len(before)} requests", flush=True)


def visitors(base, pages, seconds):
    answered, stop = [], threading.Event()
    thread = threading.Thread(target=visit, args=(base, pages, answered, stop))
    thread.start()
    time.sleep(seconds)
    stop.set()
    thread.join()
    return [ms for _, ms, _ in answered]


def visit(base, pages, answered, stop):
    """Ask the pages in turn until `stop`; record (when answered, ms, whether it answered 200)."""
    n = 0
    while not stop.is_set():
        begun = time.perf_counter()
        try:
            fetch(base + pages[n % len(pages)])
            ok = True
        except Exception:  # noqa: BLE001 - a failed request is what is counted
            ok = False
        answered.append((time.perf_counter(), (time.perf_counter() - begun) * 1000, ok))
        n += 1


# --- EAD out and in ---------------------------------------------------------------------------

def available(command):
    """Whether manage.py has `command` in this tree (helpers write them concurrently)."""
    if not (ROOT / "catalog" / "management" / "commands" / f"{command}.py").exists():
        return False
    return subprocess.run([sys.executable, "manage.py", "help", command], cwd=ROOT, capture_output=True).returncode == 0


def measure_export(url, tree):
    """export_ead of the first fonds: time, units/s, peak resident memory."""
    if not available("export_ead"):
        print("   export: skipped (no export_ead command in this tree)")
        return None
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "fonds.xml"
        seconds, peak = run_sampled(url, "export_ead", tree.fonds, "--out", str(out))
        size = out.stat().st_size
    print(f"   export: {tree.fonds_units:,} units in {seconds:.1f} s ({tree.fonds_units / seconds:,.0f} units/s), "
          f"{size / 2**20:,.0f} MB of EAD3, peak RSS {peak / 1024:,.0f} MB", flush=True)
    return seconds, peak


def measure_import(url, tree, backend):
    """import_ead of series A's finding aid (exported from the catalogue) into an empty, migrated
    catalogue: units/s. Not into the catalogue itself, whose synthetic authority records share
    preferred labels, which the import rightly refuses to choose between."""
    if not available("import_ead") or not available("export_ead"):
        print("   import: skipped (no import_ead, or no export_ead to make its file, in this tree)")
        return None
    with tempfile.TemporaryDirectory() as folder, empty_catalogue(backend) as target:
        source = Path(folder) / "series-a.xml"
        manage(url, "export_ead", tree.series_a, "--out", str(source))
        try:
            seconds, peak = run_sampled(target, "import_ead", str(source), "--fonds-identifier", "bench-import")
        except RuntimeError as failed:
            print(f"   import: failed ({str(failed).splitlines()[0]})")
            return None
    print(f"   import: {tree.a_units:,} units in {seconds:.1f} s ({tree.a_units / seconds:,.0f} units/s) "
          f"into an empty catalogue, peak RSS {peak / 1024:,.0f} MB", flush=True)
    return seconds


@contextmanager
def empty_catalogue(backend):
    """A migrated catalogue with nothing in it, removed afterwards."""
    store, name = store_for(backend), "arkiv_arrangement_import"
    store.drop(name)
    store.create(name)
    try:
        manage(store.url(name), "migrate", "--noinput")
        yield store.url(name)
    finally:
        store.drop(name)


def run_sampled(url, *arguments):
    """Run manage.py with `arguments`; (seconds, peak resident KB sampled from /proc)."""
    environment = {**os.environ, "DATABASE_URL": url}
    begun = time.perf_counter()
    process = subprocess.Popen([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    reader = threading.Thread(target=lambda: setattr(process, "output", process.communicate()))
    reader.start()
    while process.poll() is None:
        peak = max(peak, vm_hwm(process.pid))
        time.sleep(0.05)
    reader.join()
    seconds = time.perf_counter() - begun
    if process.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed: {process.output[1][-2000:]}")
    return seconds, peak


def vm_hwm(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) if found else 0


def manage(url, *arguments):
    done = subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments[:2])} failed: {done.stderr[-2000:]}")
    return done.stdout


def last_json(output):
    import json

    return json.loads(output.strip().splitlines()[-1])


@contextmanager
def scratch_copy(url, backend, n):
    """A copy of the catalogue to change (the cached one is shared by every benchmark), removed
    afterwards; None where it cannot be made (PostgreSQL copies only a database nobody uses)."""
    name = f"arkiv_arrangement_scratch_{n}"
    if backend == "sqlite":
        source = Path(urllib.parse.urlparse(url).path)
        target = OUT / f"{name}.sqlite3"
        begun = time.perf_counter()
        shutil.copyfile(source, target)
        print(f"   (scratch copy made in {time.perf_counter() - begun:.0f} s)", flush=True)
        try:
            yield f"sqlite:///{target}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        return
    store = store_for(backend)
    store.drop(name)
    try:
        store._psql(f'CREATE DATABASE "{name}" TEMPLATE "{catalog_name(n)}"')
    except RuntimeError as refused:
        print(f"   ({refused})")
        yield None
        return
    try:
        yield store.url(name)
    finally:
        store.drop(name)


def print_ratios(medians, arguments):
    sizes = sorted(set(arguments.n))
    if len(sizes) < 2 or not medians:
        return
    small, large = sizes[0], sizes[-1]
    print(f"\nMedian latency, {large:,} / {small:,} units:")
    for backend in arguments.backend:
        for (b, n, name), median in medians.items():
            if b == backend and n == large and (backend, small, name) in medians:
                print(f"   {backend:9} {name:26} {median / medians[backend, small, name]:.2f}")


if __name__ == "__main__":
    main()
