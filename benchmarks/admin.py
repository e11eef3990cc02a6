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

Issue 14's list besides: a rare word (a title word found once), a list filtered by type and
status, the change form and the history page of an item given 50 statements, and a batch edit
(add a subject) of 10,000 items, planned (preview) and applied, in items/s. The 50 statements
and the batch edit are written inside a transaction that is rolled back, so the cached catalogue
keeps exactly its n generated items. The load average is printed at the end.

--no-migrate measures the cached catalogue as it is (catalog_database() first applies every
migration of the working tree, some of them other engineers' unfinished ones).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

from .catalog import ROOT, catalog_database, catalog_name, store_for

SIZES = (10_000,)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="catalogue sizes, in items")
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time cap per page (default 60)")
    parser.add_argument("--batch-items", type=int, default=10_000, help="items of the batch edit (0: none)")
    parser.add_argument("--no-migrate", action="store_true", help="use the cached catalogue unmigrated")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # DATABASE_URL of the catalogue to measure
    arguments = parser.parse_args()
    if arguments.worker:
        return measure(arguments)

    print(f"{'backend':9} {'items':>9}  {'page':34} {'N':>4} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for backend in arguments.backends:
        for size in arguments.sizes:
            url = store_for(backend).url(catalog_name(size)) if arguments.no_migrate else catalog_database(size, backend)
            subprocess.run(
                [sys.executable, "-m", "benchmarks.admin", "--worker", url, "--batch-items", str(arguments.batch_items),
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
    def timed(page, path):
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

    for page, path in pages().items():
        timed(page, path)
    with rolled_back():
        item = with_statements(50)
        timed("item change form, 50 statements", f"/admin/catalog/item/{item.pk}/change/")
        timed("item history, 50 statements", f"/admin/catalog/item/{item.pk}/history/")
    if arguments.batch_items:
        batch_edit(arguments.batch_items, user, backend, size)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


class rolled_back:
    """A transaction that is always rolled back: what is written inside leaves no trace."""

    def __enter__(self):
        from django.db import transaction

        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def __exit__(self, *exc):
        from django.db import transaction

        transaction.set_rollback(True)
        return self.atomic.__exit__(*exc)


def with_statements(n):
    """The middle item, given statements up to `n` (descriptions, through the model's save, so
    the index and the history see them as they would an archivist's)."""
    from catalog.models import Item, Statement

    item = Item.objects.order_by("pk")[Item.objects.count() // 2]
    have = item.statements.count()
    for position in range(have, n):
        Statement.objects.create(item=item, term="description", value=f"Benchmark note {position}",
                                 lang="en", position=position + 1)
    return item


def batch_edit(count, user, backend, size):
    """Plan and apply "add a subject" to `count` items through the batch engine, rolled back."""
    import tempfile
    from pathlib import Path

    from catalog.imports.batch import ADD_LINK, BatchEdit, run_batch
    from catalog.imports.store import PlanStore
    from catalog.models import Authority, Item

    record = Authority.objects.filter(kind=Authority.CONCEPT).order_by("pk").first()
    pks = list(Item.objects.order_by("pk").values_list("pk", flat=True)[:count])
    edit = BatchEdit(operation=ADD_LINK, term="subject", authority=record)
    with tempfile.TemporaryDirectory() as folder, rolled_back():
        rates = {}
        for phase, apply in (("preview", False), ("apply", True)):
            store = PlanStore(Path(folder) / f"{phase}.sqlite3")
            started = time.perf_counter()
            try:
                result = run_batch(edit, pks, store=store, user=user, apply=apply)
            finally:
                store.close()
            rates[phase] = len(pks) / (time.perf_counter() - started)
        applied = getattr(result, "changed_items", None)
    print(f"{backend:9} {size:>9}  batch edit, {len(pks):,} items: preview {rates['preview']:,.0f} items/s, "
          f"apply {rates['apply']:,.0f} items/s ({applied} changed, rolled back)", flush=True)


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

    rare = next((word for word, seen in reversed(words.most_common()) if seen == 1 and word.isalpha()), common)
    return {
        "item list": "/admin/catalog/item/",
        f"item search “{common}”": items({"q": common}),
        f"item search, rare “{rare}”": items({"q": rare}),
        "item list, Text + published": items({"dcmi_type__exact": "Text", "status__exact": "published"}),
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
