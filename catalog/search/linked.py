"""The search rows of the items linked to one authority record: rebuilt in the request when they
are few, by a task when they are many.

Every label and variant of a record is indexed with each item linked to it, so renaming a record,
adding or removing a variant, or merging another record into it changes the rows of every linked
item: 16,000 items for a common place in a large catalogue, minutes of work that once ran inside
the admin request. Up to settings.ARKIV_REINDEX_INLINE_ITEMS linked items are reindexed at once;
above that the request only enqueues catalog.tasks.reindex_authority once its transaction commits
(once per record and transaction, however many of its variants the request changed), and the
task reindexes the record's items in batches, one transaction each, so that the index is never
locked for long. A deleted record's items (their links already gone) are reindexed the same way,
by id (reindex_items_soon). Until the task has run, a search by the new name misses the items not yet
reindexed, and finds them by the old one.
"""
from django.conf import settings
from django.db import connection, transaction

from ..background import enqueue
from ..models import Statement
from .index import BATCH_SIZE, reindex_items


def linked_items(authority_pk):
    # order_by(): Statement's default order joins Item and sorts every row
    return Statement.objects.filter(authority_id=authority_pk).order_by().values_list("item_id", flat=True).distinct()


def reindex_soon(authority_pk):
    """Reindex the items linked to `authority_pk` now if they are few, else by a task."""
    limit = settings.ARKIV_REINDEX_INLINE_ITEMS
    # Statements, not distinct items, and in no order: reading at most limit + 1 index entries
    # costs the same whatever the record's size (sorting 100,000 linked statements cost 0.12 s).
    statements = list(
        Statement.objects.filter(authority_id=authority_pk).order_by().values_list("item_id", flat=True)[:limit + 1]
    )
    if len(statements) <= limit:
        reindex_items(statements)
        return
    pending = _pending()
    if authority_pk in pending:
        return
    pending.add(authority_pk)
    from .. import tasks  # tasks wraps the engines, this one among them

    transaction.on_commit(lambda: pending.discard(authority_pk))
    enqueue(tasks.reindex_authority, authority_pk)


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

    for start in range(0, len(item_ids), TASK_ITEMS):
        enqueue(tasks.reindex_items, item_ids[start:start + TASK_ITEMS])


def _pending():
    """The records whose task this connection's transaction will enqueue when it commits."""
    if not hasattr(connection, "arkiv_reindex_pending"):
        connection.arkiv_reindex_pending = set()
    return connection.arkiv_reindex_pending


def reindex_linked(authority_pk, progress=None):
    """Reindex every item linked to `authority_pk`, BATCH_SIZE at a time in item order; returns how
    many. A batch is one transaction: a search sees each row before or after, never half written."""
    done, after = 0, 0
    while True:
        batch = list(
            linked_items(authority_pk).filter(item_id__gt=after).order_by("item_id")[:BATCH_SIZE]
        )
        if not batch:
            return done
        with transaction.atomic():
            done += reindex_items(batch)
        after = batch[-1]
        if progress:
            progress(done)
