"""The catalogue version: a number that moves with every change a visitor could see.

The site's cache keys carry it (catalog/site/caching.py), so a cached answer is never stale,
only superseded. It is not a datestamp: datestamps may lie in the future (generate_catalog makes
them weeks ahead; an import or a clock stepped back can too), and then a real edit did not move
the latest one, and visitors saw stale pages until the cache expired.

bump() is called by every write that changes what a visitor sees (receivers.py, index.py), in
the writer's own transaction: readers see the new version exactly when they see the change. The
version is the sum of CatalogueVersion.STRIPES rows, and each thread bumps a row of its own, so
concurrent writers on PostgreSQL lock different rows and never wait for each other's commit (one
row would make every write wait for a running import to finish). Reading it is one query over
sixteen rows.
"""
import itertools
import os
import random
import threading

from django.db import connection

from .models import CatalogueVersion


_threads = itertools.count(os.getpid())
_local = threading.local()


def stripe():
    # Threads of one process take the stripes in turn, so two writing threads never share one;
    # processes start at their pid, so they rarely do (and if they do, they merely take turns).
    if not hasattr(_local, "stripe"):
        _local.stripe = next(_threads) % CatalogueVersion.STRIPES
    return _local.stripe


def bump():
    """Move the version: something a visitor sees has changed (or is changing, in this transaction)."""
    table = connection.ops.quote_name(CatalogueVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET number = number + 1 WHERE stripe = %s", [stripe()])
        if cursor.rowcount == 0:  # a table emptied by flush(): the rows come back
            ensure_rows()
            cursor.execute(f"UPDATE {table} SET number = number + 1 WHERE stripe = %s", [stripe()])


def current():
    """The version as this connection sees it now."""
    table = connection.ops.quote_name(CatalogueVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUM(number) FROM {table}")
        return cursor.fetchone()[0] or 0


def ensure_rows(model=CatalogueVersion):
    """The STRIPES rows, made where missing (by the migration, and after a flush). They start
    at a random number, so a catalogue made afresh never meets the cached answers of another that
    had the same number of changes (a cache outside the database outlives a flush)."""
    existing = set(model.objects.values_list("stripe", flat=True))
    model.objects.bulk_create([
        model(stripe=stripe, number=random.randrange(2 ** 40)) for stripe in range(CatalogueVersion.STRIPES) if stripe not in existing
    ], ignore_conflicts=True)
