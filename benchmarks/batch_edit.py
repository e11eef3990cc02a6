"""Batch edit and history at scale: a batch edit of N items (preview, apply and undo rates) and
an item's history page with 500 change sets.

    .venv/bin/python -m benchmarks.batch_edit                                 # 10,000 of 100k, SQLite
    .venv/bin/python -m benchmarks.batch_edit --size 100000 --items 10000 --backends sqlite postgres

For each backend, a copy of the cached catalogue of --size items (benchmarks/catalog.py) is
made, so the cached one is never changed, and a worker process pointed at it: adds a linked
subject (the first concept record) to the first --items items through the import engine
(catalog/imports/batch.py): the preview (a dry run: plan and diff), the apply (plan again,
check, write, record the change set), and the undo of that change set; each is timed and given
as items/s. Then one item is changed 500 times, each change its own change set (as 500 admin
saves would be), and its history page is asked for --requests times (first and last page).
Figures are printed beside the machine's load average (one minute); no timing is asserted.
Target (issue 14): apply >= 2,000 items/s on SQLite.
"""
import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time

from .catalog import ROOT, catalog_database, store_for


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="catalogue size, in items (default 100,000)")
    parser.add_argument("--items", type=int, default=10_000, help="items edited (default 10,000)")
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=10, help="requests of the history page (default 10)")
    parser.add_argument("--skip-undo", action="store_true", help="leave out the undo (item by item: slow)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        return measure(arguments)
    print(f"{'backend':9} {'items':>8}  {'step':34} {'N':>6} {'seconds':>8} {'per s':>8} {'CPU s':>6} {'per CPU s':>8} {'load':>5}")
    for backend in arguments.backends:
        url, drop = copy_of(backend, catalog_database(arguments.size, backend), arguments.size)
        try:
            subprocess.run(
                [sys.executable, "-m", "benchmarks.batch_edit", "--worker", url, "--items", str(arguments.items),
                 "--requests", str(arguments.requests), *(["--skip-undo"] if arguments.skip_undo else [])],
                check=True, cwd=ROOT, env={**os.environ, "DATABASE_URL": url, "DEBUG": "0"},
            )
        finally:
            drop()


def copy_of(backend, source_url, size):
    store, name = store_for(backend), f"arkiv_bench_batch_{size}"
    store.drop(name)
    if backend == "sqlite":
        # SQLite's backup, not a file copy: it copies the write-ahead log's pages too, and needs
        # no change of journal mode, which fails while another benchmark reads the catalogue.
        source, copy = sqlite3.connect(store.path(f"arkiv_bench_{size}")), sqlite3.connect(store.path(name))
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
    else:
        store._psql(f'CREATE DATABASE "{name}" TEMPLATE "arkiv_bench_{size}"')
    return store.url(name), lambda: store.drop(name)


def clock():
    return time.perf_counter(), time.process_time()


def line(backend, size, step, n, started):
    """A step's figures since `started` (clock()): wall seconds and rate, and the process's CPU
    seconds and the rate they give, which a busy shared machine disturbs much less (SQLite
    works inside the process; PostgreSQL's own work is not counted)."""
    seconds, cpu = time.perf_counter() - started[0], time.process_time() - started[1]
    print(f"{backend:9} {size:>8}  {step:34} {n:>6} {seconds:>8.2f} {n / seconds:>8.0f} {cpu:>6.2f} {n / cpu:>8.0f} "
          f"{os.getloadavg()[0]:>5.1f}", flush=True)


def measure(arguments):
    import tempfile
    from pathlib import Path

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # the copy gets the history tables if it lacks them
    from catalog.history.models import ChangeSet
    from catalog.history.undo import undo
    from catalog.imports import batch
    from catalog.imports.batch import BatchEdit, run_batch
    from catalog.imports.store import PlanStore
    from catalog.models import Authority, Item

    backend = "sqlite" if connection.vendor == "sqlite" else "postgres"
    size = Item.objects.count()
    pks = list(Item.objects.order_by("pk").values_list("pk", flat=True)[:arguments.items])
    record = Authority.objects.filter(kind=Authority.CONCEPT).order_by("pk").first()
    edit = BatchEdit(operation=batch.ADD_LINK, term="subject", authority=record)
    with tempfile.TemporaryDirectory() as folder:
        store = PlanStore(Path(folder) / "plan.sqlite3")
        started = clock()
        preview = run_batch(edit, pks, store=store)
        line(backend, size, "batch edit: preview (plan, diff)", len(pks), started)
        started = clock()
        applied = run_batch(edit, pks, store=store, apply=True, expected_digest=preview.digest)
        line(backend, size, "batch edit: apply (first, +baselines)", applied.changed_items, started)
        # A second edit of the same items: they have history now, so no baseline is recorded.
        second = BatchEdit(operation=batch.REMOVE_LINK, term="subject", authority=record)
        started = clock()
        removed = run_batch(second, pks, store=store, apply=True)
        line(backend, size, "batch edit: apply (items with history)", removed.changed_items, started)
        store.close()
    print(f"# preview: {preview.counts}; applied: {applied.applied} ({applied.changed_items} items changed)")
    if not arguments.skip_undo:
        change_set = ChangeSet.objects.filter(source=ChangeSet.BATCH_EDIT).order_by("-revision").first()
        started = clock()
        undo(revision=change_set.revision)
        line(backend, size, "batch edit: undo", removed.changed_items, started)
    history_page(arguments, backend, size)


def history_page(arguments, backend, size):
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.history import recording
    from catalog.history.models import ChangeSet
    from catalog.models import Item, Statement

    item = Item.objects.order_by("pk")[size // 2]
    title = Statement.objects.filter(item=item, term="title").first()
    started = clock()
    for n in range(500):
        with recording.changes(source=ChangeSet.ADMIN):
            title.value = f"{title.value.split(' #')[0]} #{n}"
            title.save()
    line(backend, size, "history: 500 single changes", 500, started)
    settings.ALLOWED_HOSTS = ["testserver"]
    user, _ = User.objects.get_or_create(username="benchmark-admin", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    for label, query in (("history page 1 (newest)", ""), ("history page 21 (oldest)", "?p=21")):
        path = f"/admin/catalog/item/{item.pk}/history/{query}"
        client.get(path)
        seconds = []
        for _ in range(arguments.requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        print(f"{backend:9} {size:>8}  {label:34} median {statistics.median(seconds) * 1000:.0f} ms, "
              f"max {max(seconds) * 1000:.0f} ms, {len(queries)} queries, load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
