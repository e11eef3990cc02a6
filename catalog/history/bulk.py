"""Change sets of the import engine (CSV, EAD, folder ingest, batch edits), written in bulk.

The engine writes rows with plain INSERTs and UPDATEs (imports/apply.py), which send no signal,
so it records its change set itself, inside its write transaction:

    recorder = BulkRecorder(source=ChangeSet.CSV_IMPORT, user=user, detail="photos.csv")
    recorder.before(pks)    # before a batch writes: items about to change that have no version yet
    recorder.written(pks)   # after it: the items it created or changed
    recorder.finish()       # once every batch is written: one revision, one version per item

An item first changed by an import may have no version yet (made by an earlier import without
history, or by generate_catalog): before() records it as it stood, in a "baseline" change set
older than the import's, so the import can be undone and its diff shown. finish() has the
database write the written items' versions, one row per item, straight from their rows
(write_versions), so recording costs a fraction of writing (see the report of
benchmarks/import_csv.py).
"""
from django.db import connection, router
from django.utils import timezone
from reversion.models import Revision, Version

from ..bulk import SELECT_IN_CHUNK, table
from ..models import Item
from .models import ChangeSet
from .serializer import document_sql, label_sql
from .states import item_type


def write_versions(revision, pks):
    """Insert the versions of items `pks`, as they now stand, into `revision`. Returns how many.

    One INSERT … SELECT a chunk of ids: the database writes each document (serializer.
    document_sql) straight into its version row, so the documents, 2 kB an item, never pass
    through Python.
    """
    pks, count = list(pks), 0
    object_id = f"CAST(i.id AS {'TEXT' if connection.vendor == 'sqlite' else 'varchar'})"
    sql = (
        f"INSERT INTO {table(Version)} (revision_id, object_id, content_type_id, db, format, serialized_data, object_repr) "
        f"SELECT %s, {object_id}, %s, %s, 'arkiv', '[' || {document_sql()} || ']', {label_sql()} "
        f"FROM {table(Item)} i WHERE i.id IN ({{ids}})"
    )
    head = [revision.pk, item_type().pk, router.db_for_write(Item)]
    with connection.cursor() as cursor:
        for start in range(0, len(pks), SELECT_IN_CHUNK):
            part = pks[start:start + SELECT_IN_CHUNK]
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(part))), [*head, *part])
            count += cursor.rowcount
    return count


def unrecorded(pks):
    """Those of the items `pks` that have no version yet."""
    pks, recorded = list(pks), set()
    content_type, db = item_type(), router.db_for_write(Item)
    for start in range(0, len(pks), 500):
        part = [str(pk) for pk in pks[start:start + 500]]
        # Without reversion's ordering (newest first), which led SQLite to walk every version
        # by id instead of looking the ids up (10,000 items: 0.63 s, with 20,000 versions).
        found = Version.objects.filter(db=db, content_type=content_type, object_id__in=part).order_by()
        recorded.update(map(int, found.values_list("object_id", flat=True)))
    return [pk for pk in pks if pk not in recorded]


def new_revision(*, source, user=None, detail=""):
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    revision = Revision.objects.create(date_created=timezone.now(), user=user, comment=str(detail)[:255])
    ChangeSet.objects.create(revision=revision, source=source, detail=str(detail)[:255])
    return revision


class BulkRecorder:
    def __init__(self, *, source, user=None, detail=""):
        self.source, self.user, self.detail = source, user, detail
        self.pks = {}  # dict as an ordered set: the items written, in the order written
        self.baseline = None

    def before(self, pks):
        missing = [pk for pk in unrecorded([pk for pk in pks if pk is not None]) if pk not in self.pks]
        if missing:
            if self.baseline is None:
                self.baseline = new_revision(source=ChangeSet.BASELINE)
            write_versions(self.baseline, missing)

    def written(self, pks):
        self.pks.update(dict.fromkeys(pks))

    def finish(self):
        """The import's change set; None if it changed nothing."""
        if not self.pks:
            return None
        revision = new_revision(source=self.source, user=self.user, detail=self.detail)
        count = write_versions(revision, self.pks)
        ChangeSet.objects.filter(revision=revision).update(items=count)
        if self.baseline is not None:
            ChangeSet.objects.filter(revision=self.baseline).update(items=Version.objects.filter(revision=self.baseline).count())
        return revision
