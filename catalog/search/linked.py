"""The search rows and datestamps of the items linked to one authority record: refreshed in the
request when they are few, by a task when they are many.

Every label and variant of a record is indexed with each item linked to it, and every harvested
format writes its label, variants, links, kind, address, coordinates and dates into the records
of those items; so renaming a record, adding or removing a variant or an external link, or
merging another record into it changes the search rows (`reindex`) and the OAI datestamps
(`touch`) of every linked item: 100,000 items for a common place in a large catalogue, two
100,000-row UPDATEs and minutes of reindexing that once ran inside the admin request. Up to
settings.ARKIV_REINDEX_INLINE_ITEMS linked items are refreshed at once; above that the request
only enqueues catalog.tasks.reindex_authority once its transaction commits (once per record and
transaction, however many of its fields and variants the request changed, with what they need),
and the task refreshes the record's items in batches, one transaction each, so that neither the
index nor the item table is locked for long. A deleted record's items (their links already gone)
are reindexed the same way, by id (reindex_items_soon).

Until the task has run, a search by the new name misses the items not yet reindexed (and finds
them by the old one), and the linked items keep their datestamps: a harvester is served their
stored records (catalog/oai/cache, keyed on the datestamp) with the old label, and an incremental
harvest does not list them. The task bumps each batch's datestamps to the time it runs, so the
next incremental harvest (from= any time before the task) lists every linked item with the new
label. Pages do not wait: the request moves the catalogue version (catalog/facets/receivers.py),
and the facet index stores record ids, not labels.
"""
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..facets import version
from ..models import Item, Statement
from .index import BATCH_SIZE, STATISTICS_AFTER, refresh_statistics, reindex_items


def linked_items(authority_pk):
    # order_by(): Statement's default order joins Item and sorts every row
    return Statement.objects.filter(authority_id=authority_pk).order_by().values_list("item_id", flat=True).distinct()


def reindex_soon(authority_pk):
    """Reindex the items linked to `authority_pk` now if they are few, else by a task."""
    refresh_soon(authority_pk, reindex=True)


def touch_soon(authority_pk):
    """Bump the datestamps of the items linked to `authority_pk` now if they are few, else by a task."""
    refresh_soon(authority_pk, touch=True)


def refresh_soon(authority_pk, *, reindex=False, touch=False):
    limit = settings.ARKIV_REINDEX_INLINE_ITEMS
    # Statements, not distinct items, and in no order: reading at most limit + 1 index entries
    # costs the same whatever the record's size (sorting 100,000 linked statements cost 0.12 s).
    statements = list(
        Statement.objects.filter(authority_id=authority_pk).order_by().values_list("item_id", flat=True)[:limit + 1]
    )
    if len(statements) <= limit:
        if reindex:
            reindex_items(statements)
        if touch:
            Item.objects.filter(pk__in=set(statements)).touch()
        return
    _Enqueued.once(authority_pk, reindex=reindex, touch=touch)


class _Enqueued:
    """The task of one record, enqueued when the transaction commits, with everything the
    transaction asked of it. A record renamed and given its old label as a variant in one request
    gets one task that reindexes and touches, not two."""

    def __init__(self, authority_pk):
        self.authority_pk, self.reindex, self.touch = authority_pk, False, False

    @classmethod
    def once(cls, authority_pk, reindex, touch):
        pending = _pending()
        waiting = pending.get(authority_pk)
        if waiting is None or not waiting.registered():
            # None yet, or the transaction that would have sent it was rolled back (its
            # on_commit callbacks went with it): a task of its own.
            waiting = pending[authority_pk] = cls(authority_pk)
            waiting.reindex, waiting.touch = reindex, touch
            transaction.on_commit(waiting)  # runs at once outside a transaction
            return
        waiting.reindex |= reindex
        waiting.touch |= touch

    def registered(self):
        return any(callback is self for _savepoints, callback, _robust in connection.run_on_commit)

    def __call__(self):
        from .. import tasks  # tasks wraps the engines, this one among them

        if _pending().get(self.authority_pk) is self:
            del _pending()[self.authority_pk]
        tasks.reindex_authority.enqueue(self.authority_pk, reindex=self.reindex, touch=self.touch)


TASK_ITEMS = 10_000
"""Item ids one reindex task of a deleted record's items carries (its arguments are stored as JSON)."""


def reindex_items_soon(item_ids):
    """Reindex `item_ids` now if they are few, else by tasks of TASK_ITEMS ids each, enqueued on
    commit: the items of a deleted record, whose links are gone by the time a task could look."""
    item_ids = sorted(set(item_ids))
    if len(item_ids) <= settings.ARKIV_REINDEX_INLINE_ITEMS:
        reindex_items(item_ids)
        return
    from .. import tasks
    from ..background import enqueue

    for start in range(0, len(item_ids), TASK_ITEMS):
        enqueue(tasks.reindex_items, item_ids[start:start + TASK_ITEMS])


def _pending():
    """{record id: _Enqueued} of the tasks this connection's transaction will enqueue when it commits."""
    if not hasattr(connection, "arkiv_linked_pending"):
        connection.arkiv_linked_pending = {}
    return connection.arkiv_linked_pending


def reindex_linked(authority_pk, progress=None, *, reindex=True, touch=False):
    """Reindex (and, with `touch`, bump the datestamps of) every item linked to `authority_pk`,
    BATCH_SIZE at a time in item order; returns how many. A batch is one transaction: a search and
    a harvest see each item before or after, never half written; each moves the catalogue version,
    so cached search answers and pages that were computed before it are not served after it."""
    done, after = 0, 0
    while True:
        batch = list(
            linked_items(authority_pk).filter(item_id__gt=after).order_by("item_id")[:BATCH_SIZE]
        )
        if not batch:
            # Once, not after every batch: on PostgreSQL each refresh is an ANALYZE of the item,
            # statement and search tables, and a task of 100,000 linked items that ran fifty of
            # them took 76.6 s against 40.8 s with one.
            if reindex and done >= STATISTICS_AFTER:
                refresh_statistics()
            return done
        with transaction.atomic():
            if reindex:
                reindex_items(batch, statistics=False)
            if touch:
                # Now, batch by batch: later than any harvest that began before this batch.
                Item.objects.filter(pk__in=batch).update(modified=timezone.now())
            version.bump()
        done += len(batch)
        after = batch[-1]
        if progress:
            progress(done)
