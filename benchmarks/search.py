"""Top-k search (catalog/search/topk.py) against ranking every match, on synthetic catalogues.

    nice .venv/bin/python -m benchmarks.search --sizes 100000 1000000 --backends sqlite postgres

For each catalogue (benchmarks/catalog.py) a worker process points Django at it and asks, for a
common word (the commonest of four letters or more in the first titles and descriptions) and for
new words (the next commonest, each asked once, so nothing of it is warm in any cache):

  exact   what a best-match result head cost before top-k: the first 500 ids ordered by
          search_rank over every match (ORDER BY -search_rank, sort_title, pk), and the count
  top-k   the same head from Ranking (the first ARKIV_SEARCH_CANDIDATES matches scored), and
          the same exact count
  page    the whole browse page /items/?q=word through Django's test client, Django's cache
          emptied first (facets included: their cost is the facet index's, not the search's)

Medians in ms, the top-k/exact ratio within the run, and the load average beside them (two
cores are shared: compare ratios, not absolute times). Nothing is asserted.

--no-migrate reads the cached catalogue as it is (catalog_database() would first apply every
migration in the working tree, some of them other engineers' unfinished ones).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from collections import Counter

from .catalog import ROOT, catalog_database, catalog_name, store_for

SIZES = (100_000,)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--new-words", type=int, default=5, help="new words asked, each once (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the common word (default 3)")
    parser.add_argument("--no-migrate", action="store_true", help="use the cached catalogue unmigrated")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        return measure(arguments)
    print(f"{'backend':9} {'items':>9}  {'search':28} {'matches':>9} {'exact ms':>9} {'top-k ms':>9} "
          f"{'ratio':>6} {'page ms':>8}  load")
    for backend in arguments.backends:
        for size in arguments.sizes:
            if arguments.no_migrate:
                url = store_for(backend).url(catalog_name(size))
            else:
                url = catalog_database(size, backend)
            subprocess.run(
                [sys.executable, "-m", "benchmarks.search", "--worker", url, "--new-words",
                 str(arguments.new_words), "--repeat", str(arguments.repeat)],
                check=True, cwd=ROOT, env={**os.environ, "DATABASE_URL": url, "DEBUG": "0"},
            )


def measure(arguments):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from catalog.models import Item, Statement
    from catalog.search import search_items
    from catalog.search.topk import Ranking

    settings.ALLOWED_HOSTS = ["testserver"]
    backend = "sqlite" if connection.vendor == "sqlite" else "postgres"
    size = Item.objects.count()
    texts = Statement.objects.filter(term__in=("title", "description")).order_by("pk").values_list("value", flat=True)[:50_000]
    counts = Counter(word for text in texts for word in text.lower().split() if len(word) >= 4 and word.isalpha())
    ranked_words = [word for word, _ in counts.most_common(arguments.new_words + 1)]
    common, new_words = ranked_words[0], ranked_words[1:]
    client = Client()

    def exact(word):
        queryset = search_items(Item.objects.published(), word)
        ids = list(queryset.order_by("-search_rank", "sort_title", "pk").values_list("pk", flat=True)[:500])
        return ids, queryset.count()

    def top_k(word):
        return Ranking(Item.objects.published(), word)(0, 500), search_items(Item.objects.published(), word).count()

    def page(word):
        cache.clear()
        response = client.get("/items/", {"q": word})
        assert response.status_code == 200, response.status_code

    def timed(function, word):
        started = time.perf_counter()
        function(word)
        return (time.perf_counter() - started) * 1000

    def row(name, words, rounds):
        exact_ms, top_ms, page_ms = [], [], []
        for _ in range(rounds):
            for word in words:
                # Each word first through top-k, so that exact ranking never finds it warmer.
                top_ms.append(timed(top_k, word))
                exact_ms.append(timed(exact, word))
                page_ms.append(timed(page, word))
        matches = statistics.median(search_items(Item.objects.published(), word).count() for word in words)
        e, t = statistics.median(exact_ms), statistics.median(top_ms)
        print(f"{backend:9} {size:>9}  {name:28} {int(matches):>9} {e:>9.1f} {t:>9.1f} {t / e:>6.2f} "
              f"{statistics.median(page_ms):>8.1f}  {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    row(f"common word “{common}”", [common], arguments.repeat)
    row(f"{len(new_words)} new words, once each", new_words, 1)


if __name__ == "__main__":
    main()
