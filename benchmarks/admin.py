"""Latency and query counts of the archivists' admin pages on synthetic catalogues.

    .venv/bin/python -m benchmarks.admin                          # 10k items, SQLite
    .venv/bin/python -m benchmarks.admin --sizes 10000 100000 --backends sqlite postgres

For each catalogue (benchmarks/catalog.py builds and caches them) a worker process points Django
at it, logs in a superuser named `benchmark-admin` (made once, left in the catalogue) with the
test client, and asks each page `--requests` times after one warm-up request: the item list
plain, searched for a common title word and for an authority's variant label, filtered by decade;
the authority list; the authority autocomplete for a variant; an item's change form. It prints
the median and slowest latency and the number of SQL queries of each page. The client runs the
whole Django stack (middleware, admin, templates) in process; no web server is timed.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

from .catalog import ROOT, catalog_database

SIZES = (10_000,)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="catalogue sizes, in items")
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time cap per page (default 60)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # DATABASE_URL of the catalogue to measure
    arguments = parser.parse_args()
    if arguments.worker:
        return measure(arguments)

    print(f"{'backend':9} {'items':>9}  {'page':34} {'N':>4} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for backend in arguments.backends:
        for size in arguments.sizes:
            url = catalog_database(size, backend)
            subprocess.run(
                [sys.executable, "-m", "benchmarks.admin", "--worker", url,
                 "--requests", str(arguments.requests), "--max-seconds", str(arguments.max_seconds)],
                check=True, cwd=ROOT, env={**os.environ, "DATABASE_URL": url, "DEBUG": "0"},
            )


def measure(arguments):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Item

    settings.ALLOWED_HOSTS = ["testserver"]
    user, _ = User.objects.get_or_create(
        username="benchmark-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    backend = "sqlite" if connection.vendor == "sqlite" else "postgres"
    size = Item.objects.count()
    for page, path in pages().items():
        client.get(path)  # warm-up: connection, templates, the query planner's statistics
        seconds, deadline = [], time.perf_counter() + arguments.max_seconds
        while len(seconds) < arguments.requests and time.perf_counter() < deadline:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                seconds.append(time.perf_counter() - started)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
        print(
            f"{backend:9} {size:>9}  {page:34} {len(seconds):>4} "
            f"{statistics.median(seconds) * 1000:>10.1f} {max(seconds) * 1000:>8.1f} {len(queries):>8}",
            flush=True,
        )


def pages():
    """{page name: path}; the searched words and labels come from the catalogue's own rows."""
    from collections import Counter
    from urllib.parse import urlencode

    from catalog.models import AuthorityVariant, Item

    titles = Item.objects.order_by("pk").values_list("sort_title", flat=True)[:5000]
    words = Counter(word.lower() for title in titles for word in title.split() if len(word) > 4)
    common = words.most_common(1)[0][0]
    variant = AuthorityVariant.objects.order_by("pk").values_list("label", flat=True).first()
    dated = Item.objects.exclude(date_earliest=None).order_by("pk").values_list("date_earliest", flat=True).first()
    item = Item.objects.order_by("pk")[Item.objects.count() // 2]

    def items(query):
        return "/admin/catalog/item/?" + urlencode(query)

    return {
        "item list": "/admin/catalog/item/",
        f"item search “{common}”": items({"q": common}),
        f"item search variant “{variant}”": items({"q": variant}),
        f"item list, decade {dated.year // 10 * 10}s": items({"decade": dated.year // 10 * 10}),
        "authority list": "/admin/catalog/authority/",
        "autocomplete (variant)": "/admin/autocomplete/?" + urlencode({
            "term": variant, "app_label": "catalog", "model_name": "statement", "field_name": "authority",
        }),
        "item change form": f"/admin/catalog/item/{item.pk}/change/",
    }


if __name__ == "__main__":
    main()
