"""What `manage.py export_ead` costs: units per second and peak memory, at two sizes of fonds.

    .venv/bin/python -m benchmarks.ead_export                         # 10k and 100k units, SQLite
    .venv/bin/python -m benchmarks.ead_export --n 10000 100000 --backend sqlite postgres
    .venv/bin/python -m benchmarks.ead_export --format apeead

Each fonds is built once into its own database (SQLite: benchmarks/out/ead_<n>.sqlite3;
PostgreSQL: arkiv_ead_<n> on ARKIV_BENCH_POSTGRES) with bulk inserts (catalog.bulk.insert_rows),
and reused while this file's builder is unchanged. Its shape is an archive's, not a list's:

    fonds
      series 1            half of the units directly below it (a wide series: 50,000 at 100k)
      series 2 … 4        files of 50 items each
    every item: a title, a date, a description, a language, a creator and a subject linked to
    authority records (20 agents, some with a history and a Wikidata link; 30 concepts), and one
    series in ten of the files a draft, so that the walk also skips subtrees.

For each size: the command itself in a subprocess (`export_ead FONDS --out FILE`, its
peak resident memory VmHWM sampled from /proc), the rate it prints, and then the same export
in-process under tracemalloc for the peak of memory Python allocates (slower: tracemalloc
traces every allocation, so its rate is not quoted). The ratios that matter: memory at the
larger size over the smaller (the target is flat, ~1), and units/s (target ≥ 5,000). The load
average is printed before and after: the machine is shared.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.catalog import BACKENDS, OUT, POSTGRES_SERVER, ROOT

BUILDER_VERSION = "1"  # change when the shape of the built fonds changes: databases are rebuilt
TOP = "bench-fonds"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000], help="units in the fonds")
    parser.add_argument("--backend", choices=BACKENDS, nargs="+", default=["sqlite"])
    parser.add_argument("--format", default="ead3", choices=["ead3", "apeead"])
    parser.add_argument("--build-only", type=int, help=argparse.SUPPRESS)  # the builder's subprocess
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)  # the tracemalloc subprocess
    arguments = parser.parse_args()
    if arguments.build_only:
        return build(arguments.build_only)
    if arguments.trace:
        return trace(arguments.format)

    for backend in arguments.backend:
        print(f"\n== {backend}, {arguments.format}; load average {loadavg()}", flush=True)
        rows = []
        for n in arguments.n:
            url = database(n, backend)
            rows.append((n, *measure(url, arguments.format)))
        print(f"{'units':>9} {'units/s':>9} {'seconds':>8} {'MB out':>7} {'peak RSS MB':>12} {'peak traced MB':>15}")
        for n, units, rate, seconds, size, rss, traced in rows:
            print(f"{units:>9,} {rate:>9,.0f} {seconds:>8.1f} {size / 2**20:>7.1f} {rss / 1024:>12.1f} {traced / 2**20:>15.2f}")
        if len(rows) > 1:
            (small, *_, small_rate, _s, _z, small_rss, small_traced), (large, *_, large_rate, _s2, _z2, large_rss, large_traced) = rows[0], rows[-1]
            print(
                f"{large:,}/{small:,} units: peak RSS ratio {large_rss / small_rss:.2f}, peak traced ratio "
                f"{large_traced / small_traced:.2f}, units/s ratio {large_rate / small_rate:.2f}"
            )
        print(f"load average after: {loadavg()}", flush=True)


# --- Measuring -------------------------------------------------------------------------------------


def measure(url, format_name):
    """(units written, units/s, seconds, bytes written, peak RSS kB, peak traced bytes)."""
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        target = Path(folder) / "fonds.xml"
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "manage.py", "export_ead", TOP, "--out", str(target), "--format", format_name,
             "--site-url", "https://arkiv.example.org", "--no-progress"],
            cwd=ROOT, env=environment(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        peak = 0
        while process.poll() is None:
            try:
                peak = max(peak, peak_rss_kb(process.pid))
            except (FileNotFoundError, AttributeError, ProcessLookupError):
                pass
            time.sleep(0.05)
        output, errors = process.communicate()
        seconds = time.perf_counter() - started
        if process.returncode:
            raise RuntimeError(f"export_ead failed: {output}{errors}")
        size = target.stat().st_size
    found = re.search(r"Wrote (\d+) units .* in ([\d.,]+) s \(([\d,.\s]+) units/s\)", output)
    units, rate = int(found.group(1)), float(re.sub(r"[^\d.]", "", found.group(3)))
    traced = subprocess.run(
        [sys.executable, "-m", "benchmarks.ead_export", "--trace", "--format", format_name],
        cwd=ROOT, env=environment(url), check=True, capture_output=True, text=True,
    ).stdout
    return units, rate, float(found.group(2).replace(",", "")), size, peak, int(traced.split()[-1])


def trace(format_name):
    """In a subprocess: the export to /dev/null under tracemalloc; prints the peak in bytes."""
    import tracemalloc

    setup_django()
    from catalog.exports import ead
    from catalog.models import Item

    unit = Item.objects.select_related("level").get(identifier=TOP)
    with open(os.devnull, "wb") as out:
        tracemalloc.start()
        ead.write(unit, out, format_name, site_url="https://arkiv.example.org")
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(peak)


def peak_rss_kb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1))


def loadavg():
    return Path("/proc/loadavg").read_text().strip()


def environment(url):
    return {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "ARKIV_BASE_URL": ""}


# --- Building ----------------------------------------------------------------------------------------


def database(n, backend):
    """The DATABASE_URL of a fonds of n units, built if absent or built by another builder."""
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = OUT / f"ead_{n}.{backend}.builder"
    if backend == "sqlite":
        path = OUT / f"ead_{n}.sqlite3"
        url = f"sqlite:///{path}"
        fresh = not path.exists() or not stamp.exists() or stamp.read_text() != BUILDER_VERSION
        if fresh:
            path.unlink(missing_ok=True)
    else:
        name = f"arkiv_ead_{n}"
        url = f"{POSTGRES_SERVER.rstrip('/')}/{name}"
        fresh = not stamp.exists() or stamp.read_text() != BUILDER_VERSION
        if fresh:
            psql(f"DROP DATABASE IF EXISTS {name}")
            psql(f"CREATE DATABASE {name}")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=environment(url), check=True)
    if fresh:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "benchmarks.ead_export", "--build-only", str(n)], cwd=ROOT, env=environment(url), check=True)
        print(f"built a fonds of {n:,} units ({backend}) in {time.perf_counter() - started:.0f} s", flush=True)
        stamp.write_text(BUILDER_VERSION)
    return url


def psql(sql):
    subprocess.run(["psql", f"{POSTGRES_SERVER.rstrip('/')}/postgres", "-v", "ON_ERROR_STOP=1", "-tAc", sql], check=True, capture_output=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()


def build(n):
    """In a subprocess: insert a fonds of n units (the fonds itself included)."""
    import random
    from datetime import date, timedelta

    setup_django()
    from django.db import transaction
    from django.utils import timezone

    from catalog.bulk import insert_rows
    from catalog.models import Authority, AuthorityLink, Item, Level, Statement

    rng = random.Random(1)
    now = timezone.now()
    levels = {level.code: level.pk for level in Level.objects.all()}
    columns = [
        "identifier", "dcmi_type", "status", "created", "modified", "ever_published", "level_id", "parent_id",
        "position", "local_code", "reference", "ancestry", "ancestors_public", "arrangement", "sort_title",
        "date_text", "date_earliest", "date_latest", "date_unparsed", "full_text",
    ]
    with transaction.atomic():
        agents = []
        for k in range(20):
            agent = Authority.objects.create(
                kind=Authority.AGENT, preferred_label=f"Agent {k}", agent_type=("person", "organisation")[k % 2],
                note=f"History of agent {k}.\n\nA second paragraph." if k % 3 == 0 else "",
            )
            if k % 2 == 0:
                AuthorityLink.objects.create(authority=agent, source="wikidata", uri=f"https://www.wikidata.org/wiki/Q{1000 + k}")
            agents.append(agent.pk)
        concepts = [Authority.objects.create(kind=Authority.CONCEPT, preferred_label=f"Topic {k}").pk for k in range(30)]

        made = []  # (pk, identifier, title, date) of every unit, for the statements

        def insert(units):
            """Units: (identifier, level, parent (pk, ancestry, reference, public) or None, position,
            code, status, title, date). Returns their (pk, ancestry, reference, public)."""
            rows = []
            for identifier, level, parent, position, code, status, title, day in units:
                ancestry = f"{parent[1]}{parent[0]}/" if parent else "/"
                reference = f"{parent[2]}/{code}" if parent else code
                rows.append((
                    identifier, "Text", status, now, now, status == Item.PUBLISHED, levels[level],
                    parent[0] if parent else None, position, code, reference, ancestry,
                    parent[3] if parent else True, "", title, day.isoformat(), day, day, False, "",
                ))
            insert_rows(Item, columns, rows)
            ids = dict(Item.objects.filter(identifier__in=[u[0] for u in units]).values_list("identifier", "pk"))
            placed = []
            for (identifier, _level, parent, _position, _code, status, title, day), row in zip(units, rows):
                pk = ids[identifier]
                made.append((pk, title, day))
                placed.append((pk, row[11], row[10], row[12] and status == Item.PUBLISHED))
            return placed

        start = date(1900, 1, 1)

        def day():
            return start + timedelta(days=rng.randrange(36_500))

        (top,) = insert([(TOP, "fonds", None, 0, "BF", Item.PUBLISHED, "Benchmark fonds", day())])
        series = insert([
            (f"{TOP}-s{s}", "series", top, s, f"S{s}", Item.PUBLISHED, f"Series {s}", day()) for s in range(1, 5)
        ])
        remaining = n - 5
        wide = remaining // 2
        for start_at in range(0, wide, 5000):
            insert([
                (f"{TOP}-s1-{k}", "item", series[0], k, str(k), Item.PUBLISHED, f"Item {k} of the wide series", day())
                for k in range(start_at, min(wide, start_at + 5000))
            ])
        remaining -= wide
        per_file = 50
        files_needed = remaining // (per_file + 1)
        files = []
        for f in range(files_needed):
            owner = series[1 + f % 3]
            status = Item.DRAFT if f % 10 == 9 else Item.PUBLISHED
            files.append((f"{TOP}-f{f}", "file", owner, f, f"F{f}", status, f"File {f}", day()))
        placed_files = []
        for start_at in range(0, len(files), 2000):
            placed_files += insert(files[start_at:start_at + 2000])
        left = remaining - files_needed
        items = []
        for index, holder in enumerate(placed_files):
            count = per_file + (1 if index < left - per_file * files_needed else 0)
            for k in range(count):
                items.append((f"{TOP}-f{index}-{k}", "item", holder, k, str(k), Item.PUBLISHED, f"Item {k} of file {index}", day()))
        for start_at in range(0, len(items), 5000):
            insert(items[start_at:start_at + 5000])

        statements = []
        for pk, title, day_ in made:
            statements += [
                (pk, "title", title, "en", None, 1),
                (pk, "created", day_.isoformat(), "", None, 2),
                (pk, "description", f"{title}: a description of some length, as archivists write them, "
                                    "about what the unit holds and why it was kept.", "en", None, 3),
                (pk, "language", "nb", "", None, 4),
                (pk, "creator", f"Agent {pk % 20}", "", agents[pk % 20], 5),
                (pk, "subject", f"Topic {pk % 30}", "", concepts[pk % 30], 6),
            ]
            if len(statements) >= 30_000:
                insert_rows(Statement, ["item_id", "term", "value", "lang", "authority_id", "position"], statements)
                statements = []
        insert_rows(Statement, ["item_id", "term", "value", "lang", "authority_id", "position"], statements)
    print(Item.objects.count(), "units")


if __name__ == "__main__":
    main()
