"""What the browse's facet counts cost, counted afresh and served from the cache.

    .venv/bin/python -m benchmarks.facets                                  # 10k and 100k, SQLite
    .venv/bin/python -m benchmarks.facets --sizes 100000 --backends sqlite postgres --repeat 5

The page benchmark (benchmarks/browse.py) asks each page many times, so after the first request
it measures facets served from the cache. This one measures both sides of that cache, in the
process itself (no HTTP), on catalogues made by benchmarks/catalog.py:
- cold: every facet counted (the cache cleared first), as after any change to the catalogue;
  the total and each facet's share, median of --repeat runs;
- warm: the same request again, which costs one query (the catalogue state) and a cache read;
- results: the count and the first page of items (with_description), which no cache serves.
The requests: no filter; the commonest type; that type with its commonest place and collection;
a search for a word common in titles; a decade sorted by date.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

from .catalog import ROOT, catalog_database

SIZES = (10_000, 100_000)


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

    names = [name for name, _, _ in facets.FACETS]
    print(f"{'request':26} {'N':>3} {'cold ms':>9} {'warm ms':>8} {'results ms':>10}   slowest facets (cold ms)")
    for label, query in requests.items():
        cold, warm, results, per_facet = [], [], [], {name: [] for name in names}
        for _ in range(repeat):
            cache.clear()
            chosen = filterset(query)
            chosen.errors
            started = time.perf_counter()
            for name, _, counter in facets.FACETS:
                one = time.perf_counter()
                counter(chosen.queryset_without(name), set())
                per_facet[name].append(time.perf_counter() - one)
            cold.append(time.perf_counter() - started)
            facets.cached_facets(chosen)  # fills the cache
            started = time.perf_counter()
            facets.cached_facets(filterset(query))
            warm.append(time.perf_counter() - started)
            started = time.perf_counter()
            chosen.qs.count()
            list(chosen.qs.with_description()[:20])
            results.append(time.perf_counter() - started)
        slowest = sorted(per_facet.items(), key=lambda pair: -statistics.median(pair[1]))[:3]
        print(
            f"{label:26} {repeat:>3} {_ms(cold):>9.0f} {_ms(warm):>8.1f} {_ms(results):>10.0f}   "
            + ", ".join(f"{name} {_ms(times):.0f}" for name, times in slowest),
            flush=True,
        )


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
