"""Renaming an authority record linked to every item of a large catalogue: the admin request, and
the task that reindexes the linked items' search rows.

    .venv/bin/python -m benchmarks.rename                                   # 100k items, SQLite
    .venv/bin/python -m benchmarks.rename --size 100000 --backends sqlite postgres

For each backend, a copy of the cached catalogue of --size items (benchmarks/catalog.py) is made,
so the cached one is never changed, and a worker process pointed at it links one place record to
every item (statements written in bulk; the task below rebuilds their search rows), then renames it through the
admin's change form (Django's test client, a signed-in superuser): above ARKIV_REINDEX_INLINE_ITEMS
that request only enqueues the task that reindexes the linked items and bumps their datestamps
(catalog/search/linked.py). Then `manage.py db_worker --batch` runs the task, timed from start to
exit and by the task's own started/finished times; a search for the new name must then find every
item, and every item's datestamp must be later than the request. Then SAMPLES more renames give
the request's median (one request alone is one sample on a shared machine). For comparison, in the same run,
the record is renamed again with the limit set above the item count: the reindex and the two
datestamp UPDATEs (the rename, the old label kept as a variant) happen inside the request, as they
did before tasks. Figures are printed
beside the machine's load average (one minute); no timing is asserted. Target (issue 15): the
request under 200 ms. --profile prints where the request's time goes (cProfile, by cumulative
time, Arkiv's own functions).
"""
import argparse
import os
import sqlite3
import subprocess
import sys
import time

from .catalog import ROOT, catalog_database, store_for


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="catalogue size, in items (default 100,000)")
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--profile", action="store_true", help="profile the request that enqueues the task")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        return measure(arguments.profile)
    print(f"{'backend':9} {'items':>8}  {'step':52} {'linked':>7} {'seconds':>8} {'load':>5}")
    for backend in arguments.backends:
        url, drop = copy_of(backend, catalog_database(arguments.size, backend), arguments.size)
        try:
            subprocess.run(
                [sys.executable, "-m", "benchmarks.rename", "--worker", url] + (["--profile"] if arguments.profile else []),
                check=True, cwd=ROOT, env={**os.environ, "DATABASE_URL": url, "DEBUG": "0"},
            )
        finally:
            drop()


def copy_of(backend, source_url, size):
    """A copy of the cached catalogue of `size` items, and the function that drops it."""
    store, name = store_for(backend), f"arkiv_bench_rename_{size}"
    store.drop(name)
    if backend == "sqlite":  # SQLite's backup: a consistent copy while other benchmarks read it
        source, target = sqlite3.connect(store.path(f"arkiv_bench_{size}")), sqlite3.connect(store.path(name))
        source.backup(target)
        source.close()
        target.close()
    else:
        store._psql(f'CREATE DATABASE "{name}" TEMPLATE "arkiv_bench_{size}"')
    return store.url(name), lambda: store.drop(name)


SAMPLES = 5


def line(backend, size, step, linked, seconds):
    print(f"{backend:9} {size:>8}  {step:52} {linked:>7} {seconds:>8.3f} {os.getloadavg()[0]:>5.1f}", flush=True)


def measure(profile=False):
    import cProfile
    import pstats
    from urllib.parse import urlencode

    import django
    import lxml.html

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    call_command("migrate", verbosity=0)  # the copy gets the task table if it lacks it
    from catalog.models import Authority, Item, Statement
    from catalog.search import search_items

    backend = "sqlite" if connection.vendor == "sqlite" else "postgres"
    size = Item.objects.count()
    place = Authority.objects.filter(kind=Authority.PLACE).order_by("pk").first()
    linked = set(Statement.objects.filter(authority=place).values_list("item_id", flat=True))
    missing = Item.objects.exclude(pk__in=linked).values_list("pk", flat=True)
    started = time.perf_counter()
    added = [pk for pk in missing.iterator(chunk_size=10_000)]
    Statement.objects.bulk_create(
        [Statement(item_id=pk, term="spatial", value="", authority=place, position=900) for pk in added],
        batch_size=5000,
    )
    count = Statement.objects.filter(authority=place).values("item_id").distinct().count()
    print(f"# setup: {place.preferred_label!r} linked to {count} items ({len(added)} links added) in "
          f"{time.perf_counter() - started:.1f} s; inline limit {settings.ARKIV_REINDEX_INLINE_ITEMS}")

    user = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench-rename", password="bench-rename-passphrase")
    client = Client()
    client.force_login(user)
    address = reverse(f"admin:catalog_{place._meta.model_name}_change", args=[place.pk])
    if client.get(address).status_code != 200:  # the kind's own admin (Place), where there is one
        address = reverse("admin:catalog_place_change", args=[place.pk])

    def rename(label, profile=False):
        page = client.get(address)
        # Decoded by the response's charset: the admin's pages declare theirs only in the HTTP
        # header, and lxml would read the bytes as Latin-1, garbling every non-ASCII value it
        # sends back (a variant label grew by mojibake each round until the form refused it).
        form = lxml.html.fromstring(page.content.decode(page.charset or "utf-8")).forms
        form = next(f for f in form if f.get("method", "").lower() == "post" and "preferred_label" in f.fields)
        data = [(name, value) for name, value in form.form_values() if name != "preferred_label"]
        data += [("preferred_label", label), ("_save", "Save")]
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.post(address, urlencode(data), content_type="application/x-www-form-urlencoded")
        seconds = time.perf_counter() - started
        if profiler:
            profiler.disable()
            statistics = pstats.Stats(profiler)
            statistics.sort_stats("cumulative").print_stats(r"/catalog/.*\.py", 25)
        if response.status_code != 302:
            raise SystemExit(f"the rename was refused: {response.status_code} {response.content[:2000]!r}")
        return seconds

    DBTaskResult.objects.all().delete()
    from django.utils import timezone

    renamed_at = timezone.now()
    request = rename("Bench-Renamed-Place", profile)
    line(backend, size, "rename request (reindex enqueued)", count, request)
    queued = DBTaskResult.objects.filter(task_path="catalog.tasks.reindex_authority").count()
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload",
                    "--verbosity", "0"], check=True, cwd=ROOT, env=os.environ)
    worker = time.perf_counter() - started
    task = DBTaskResult.objects.filter(task_path="catalog.tasks.reindex_authority").get()
    line(backend, size, "task: db_worker --batch, start to exit", count, worker)
    line(backend, size, "task: the reindex itself (started to finished)", count,
         (task.finished_at - task.started_at).total_seconds())
    found = search_items(Item.objects.all(), "bench-renamed-place ").count()
    stale = Item.objects.filter(statements__authority=place, modified__lt=renamed_at).distinct().count()
    print(f"# {queued} task queued, {task.status}, returned {task.return_value}; the new name finds {found} items; "
          f"{stale} linked items kept a datestamp older than the request")

    limit = settings.ARKIV_REINDEX_INLINE_ITEMS
    settings.ARKIV_REINDEX_INLINE_ITEMS = 10 ** 9
    inline = rename("Bench-Renamed-Again")
    line(backend, size, "rename request, reindex inline (as before tasks)", count, inline)
    print(f"# request with the task / inline: {request / inline:.3f}")

    # One request is one sample on a shared machine: a few more renames (each enqueues its task,
    # left unrun) give a median.
    settings.ARKIV_REINDEX_INLINE_ITEMS = limit
    samples = []
    for number in range(SAMPLES):
        try:
            samples.append(rename(f"Bench Place {number}"))
        except SystemExit as refused:  # the form refused it: report the samples taken
            print(f"# sample {number + 1} refused: {str(refused)[:80]}")
            break
    if samples:
        samples.sort()
        line(backend, size, f"rename request, median of {len(samples)} more (min {samples[0]:.3f})", count,
             samples[len(samples) // 2])


if __name__ == "__main__":
    main()
