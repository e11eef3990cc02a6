"""What the browse's facet counts cost: as they were counted before the facet index, from the
index, and from the cache; and what keeping the index costs a written item.

    .venv/bin/python -m benchmarks.facets                                  # 10k and 100k, SQLite
    .venv/bin/python -m benchmarks.facets --sizes 100000 --backends sqlite postgres --repeat 5

In the process itself (no HTTP), on catalogues made by benchmarks/catalog.py, median of --repeat
runs, for each request:
- before: every facet counted by aggregates over items and statements, as the browse did before
  the facet index (tests/site/facets_reference.py, kept as the tests' reference);
- index: every facet counted as the browse counts them now (catalog/site/facets.py, facets_for:
  the kept counts where no other filter is active, else the index's rows), nothing cached; the
  ratio before/index is printed beside;
- warm: the same request served by cached_facets the second time;
- results: the count and the first page of items (with_description).
The requests: no filter; the commonest type; that type with its commonest place and collection;
a search for a word common in titles; a decade sorted by date.

Then the upkeep: the index rows (and counts) of 2,000 published items rewritten in batches of
500, as the CSV import writes them after a batch (catalog/facets/index.refresh), in a
transaction rolled back: milliseconds per item, against the 0.5 ms a row that a first import of
2,000 rows/s leaves for everything. The load average is printed with each table.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

from .catalog import ROOT, catalog_database

SIZES = (10_000, 100_000)
UPKEEP_ITEMS = 2000
UPKEEP_BATCH = 500


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="catalogue sizes, in items")
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per request (default 3)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child process
    arguments = parser.parse_args()
    if arguments.measure:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
        django.setup()
        measure(arguments.repeat)
        return
    for backend in arguments.backends:
        for size in arguments.sizes:
            url = catalog_database(size, backend)
            print(f"\n== {size:,} items, {backend}", flush=True)
            # A fresh process per catalogue: Django reads DATABASE_URL once, at setup.
            subprocess.run(
                [sys.executable, "-m", "benchmarks.facets", "--measure", "--repeat", str(arguments.repeat)],
                cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True,
            )


def measure(repeat):
    """Runs inside Django, on the catalogue of DATABASE_URL; prints one table."""
    from django.core.cache import cache
    from django.db.models import Count
    from django.http import QueryDict

    from catalog.site import facets
    from catalog.site.filters import ItemFilterSet
    from catalog.models import Item, Statement

    published = Item.objects.published()
    common_type = published.values("dcmi_type").annotate(n=Count("pk")).order_by("-n")[0]["dcmi_type"]
    typed = published.filter(dcmi_type=common_type)
    place = (
        Statement.objects.filter(item__in=typed.values("pk"), term="spatial", authority__isnull=False)
        .values("authority__slug").annotate(n=Count("pk")).order_by("-n")[0]["authority__slug"]
    )
    collection = (
        Item.collections.through.objects.filter(item__in=typed.values("pk"))
        .values("collection__identifier").annotate(n=Count("pk")).order_by("-n")[0]["collection__identifier"]
    )
    word = _common_title_word(published)
    requests = {
        "no filter": "",
        "one type": f"type={common_type}",
        "type, place, collection": f"type={common_type}&place={place}&collection={collection}",
        f"search “{word}”": f"q={word}",
        "decade, by date": "decade=1940&sort=date",
    }

    def filterset(query):
        return ItemFilterSet(QueryDict(query), queryset=Item.objects.published())

    from django.db import transaction

    from catalog.facets import index
    from tests.site import facets_reference

    print(f"load average {_load()}")
    print(f"{'request':26} {'N':>3} {'before ms':>9} {'index ms':>9} {'ratio':>6} {'warm ms':>8} {'results ms':>10}")
    for label, query in requests.items():
        before, counted, warm, results = [], [], [], []
        for _ in range(repeat):
            cache.clear()
            chosen = filterset(query)
            chosen.errors
            started = time.perf_counter()
            facets_reference.facets_for(chosen)
            before.append(time.perf_counter() - started)
            started = time.perf_counter()
            facets.facets_for(chosen)
            counted.append(time.perf_counter() - started)
            facets.cached_facets(chosen)  # fills the cache
            started = time.perf_counter()
            facets.cached_facets(filterset(query))
            warm.append(time.perf_counter() - started)
            started = time.perf_counter()
            chosen.qs.count()
            list(chosen.qs.with_description()[:20])
            results.append(time.perf_counter() - started)
        print(
            f"{label:26} {repeat:>3} {_ms(before):>9.0f} {_ms(counted):>9.0f} "
            f"{statistics.median(before) / statistics.median(counted):>6.1f} {_ms(warm):>8.1f} {_ms(results):>10.0f}",
            flush=True,
        )
    ids = list(published.order_by("-pk").values_list("pk", flat=True)[:UPKEEP_ITEMS])
    times = []
    for _ in range(repeat):
        with transaction.atomic():
            started = time.perf_counter()
            for start in range(0, len(ids), UPKEEP_BATCH):
                index.refresh(ids[start:start + UPKEEP_BATCH])
            times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    per_item = statistics.median(times) * 1000 / max(1, len(ids))
    print(
        f"upkeep: {len(ids):,} items in batches of {UPKEEP_BATCH}: {per_item:.3f} ms an item "
        f"({per_item / 0.5:.0%} of the 0.5 ms a row of a 2,000 rows/s import); load average {_load()}",
        flush=True,
    )


def _load():
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def _common_title_word(items):
    counts = {}
    for title in items.order_by("pk").values_list("sort_title", flat=True)[:2000]:
        for word in title.lower().split():
            if len(word) > 4 and word.isalpha():
                counts[word] = counts.get(word, 0) + 1
    return max(counts, key=counts.get)


def _ms(times):
    return statistics.median(times) * 1000


if __name__ == "__main__":
    main()
