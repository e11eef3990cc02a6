"""The one import engine, used by the admin, by `manage.py import_csv`, and by any other source
of rows of the same shape (the EAD importer):

    result = import_csv(stream, store=PlanStore(path), options=Options(...), apply=False)
    result = import_rows(open_rows, store=PlanStore(path), options=Options(...), apply=False)

A dry run (apply=False) reads the file, validates every row and writes the plan to `store`.
Applying (apply=True) runs exactly the same planning, chunk by chunk, and then writes every
chunk inside one transaction; if any row has an error (and bad rows are not to be skipped), if the
file turns out unreadable halfway, or if anything fails, nothing is written, or the transaction is
rolled back and files already stored are removed, so the catalogue is as it was.

Where the units stand in the arrangement is checked once every row is planned, since a row's
parent may come further down the file (plan.py, arrangement.py): rows that fail there become
errors like the others, and their units, and the units below them, are not written. The rows are
written first and the places last (placing.py), in one transaction with them.

Planning happens before the transaction, not in it. On SQLite a transaction that writes holds the
database's one write lock until it ends, and every admin login and save waits for it: so the lock
is held only while prepared rows are sent (apply.Writer.write), not while the file is read,
checked, compared and prepared. Each chunk is prepared as it is planned and kept on disk
(store.PlannedWrites) until the plan is known to be good. Since the catalogue may change between
planning and writing, the writer first checks that each item is as it was planned against; if
someone edited one meanwhile, the transaction is undone and the file planned again, against the
catalogue as it now is. After PLANNING_ATTEMPTS - 1 such attempts (a catalogue whose items keep
changing under the import), or for a stream that cannot be read twice, the last attempt plans and
writes inside the transaction, as one, so that the import ends.

Why plan twice rather than keep the preview's plan: the plan is a comparison with the catalogue,
which may change between preview and confirmation. Applying recomputes it against the catalogue
as it then is, and if `expected_digest` (the preview's fingerprint) is given, a plan that came
out different is not applied: the archivist sees the new plan and confirms again.
"""
import gc
import hashlib
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import sqlite
from ..arrangement.moves import lone_tops, touch_filled_tops
from ..history.bulk import BulkRecorder
from .apply import CatalogueChanged, Writer
from .header import HeaderError, parse_header
from .lookup import Authorities, Collections, PendingAuthority
from .plan import ERROR, Options, Planner
from .reader import EMPTY_FILE, CsvRows, ImportFileError
from .store import PlannedWrites, PlanStore

__all__ = ["ImportResult", "Options", "PlanStore", "import_csv", "import_rows"]

CHUNK_ROWS = 1000
"""Rows planned (and written) together: each chunk costs a fixed number of queries."""

CHUNK_CHARACTERS = 32 * 1024 * 1024
"""A chunk also ends once its cells hold this much text, so that rows with long transcriptions
keep memory bounded too."""

IMPORT_CACHE_KIB = 64 * 1024
"""SQLite's page cache while an import writes (see _page_cache)."""

FULL_COLLECTION_CHUNKS = 4
"""Chunks between full garbage collections; the others collect only the young objects."""

PLANNING_ATTEMPTS = 3
"""Times an import is planned before it is written; all but the last plan outside the write
transaction, and are planned again if an item changed before it was written (see above)."""

HEADER_ONLY = _("The file has a header row but no rows of items: add one row per item below it.")
PLAN_CHANGED = _(
    "The catalogue changed since the preview (someone edited an item in this file, or the file "
    "was replaced), so the plan below is new: check it and confirm again. Nothing was imported."
)
UNREADABLE = _("The file cannot be imported as it is: see the errors. Nothing was changed.")
ROWS_HAVE_ERRORS = _(
    "{count} row(s) have errors, so nothing was imported: correct them and import again, or "
    "choose to skip bad rows."
)


@dataclass
class ImportResult:
    counts: dict  # rows by action: create, update, unchanged, error
    errors: int  # error messages (a row may have several)
    digest: str  # fingerprint of the plan, to confirm a preview with
    applied: bool
    readable: bool = True  # False: the file as a whole cannot be imported
    message: str = ""  # why the import was not applied, if it was not
    changed_items: int = 0

    @property
    def rows(self):
        return sum(self.counts.values())

    def as_json(self):
        return self.__dict__.copy()


class _Stop(Exception):
    """Leave the transaction, rolling it back."""


def import_csv(stream, *, store, options=None, apply=False, expected_digest=None, progress=None, authorities=None):
    """Plan (and, with apply=True, apply) the import of a binary CSV stream; see the module
    docstring. `progress(bytes_read)` is called after every chunk planned."""
    start = stream.tell() if apply and stream.seekable() else None

    def open_rows():
        if start is not None:
            stream.seek(start)
        return CsvRows(stream)

    return import_rows(open_rows, store=store, options=options, apply=apply, expected_digest=expected_digest,
                       progress=progress, repeatable=start is not None, authorities=authorities)


def import_rows(open_rows, *, store, options=None, apply=False, expected_digest=None, progress=None, repeatable=True,
                authorities=None):
    """Plan (and apply) rows from any source: `open_rows()` returns an iterable of (row number,
    cells), the header row first, each cell a string, and may raise reader.ImportFileError for a
    source that cannot be read. With `repeatable` it may be called again to plan the rows again
    (see the module docstring). `progress` is called after every chunk with the source's
    `consumed` (bytes read), or the number of the last row planned if it has none.
    `authorities()` loads the authority index names are matched against, for each planning
    (default lookup.Authorities.load)."""
    options = options or Options()
    arguments = (open_rows, store, options, apply, expected_digest, progress, authorities or Authorities.load)
    for _ in range(PLANNING_ATTEMPTS - 1 if apply and repeatable else 0):
        try:
            return _attempt(*arguments, in_transaction=False)
        except CatalogueChanged:  # undone: plan again, against the catalogue as it now is
            pass
    return _attempt(*arguments, in_transaction=True)


def _attempt(open_rows, store, options, apply, expected_digest, progress, authorities, *, in_transaction):
    """Plan the rows once and, with apply=True, write them; in_transaction=True plans inside the
    write transaction, and False before it (raising CatalogueChanged if the catalogue changed
    in between)."""
    store.reset()
    unchanged_mark = sqlite.unchanged_mark()  # before any row is read (Writer._check)
    digest = hashlib.sha256()
    try:
        rows = open_rows()
        lines = iter(rows)
        header = _header(lines)
    except (ImportFileError, HeaderError) as error:
        if isinstance(error, HeaderError):
            for message in error.messages:
                store.add_file_error(1, message)
        else:
            store.add_file_error(error.row, error.message)
        return _result(store, digest, applied=False, readable=False, message=str(UNREADABLE))
    planner = Planner(header, options, authorities(), Collections.load())
    planner.known_states = getattr(rows, "states", None)  # what the source read already (batch.py)
    writer = Writer(collections=planner.collections, now=timezone.now(), unchanged_mark=unchanged_mark) if apply else None
    if writer is not None:  # recorded in history as one change set (catalog/history/bulk.py)
        writer.history = BulkRecorder(source=options.history_source, user=options.user, detail=options.history_detail)
    # A dry run writes nothing, so it takes no transaction (on SQLite that would lock writers out).
    in_transaction = apply and in_transaction
    # Each chunk's writes wait on disk until the whole file is planned: only then is it known
    # which rows the arrangement lets through. Planning inside the transaction, each chunk is
    # written as soon as it is planned (so that the import ends, whatever others edit): a row
    # the arrangement fails then fails the whole import, which is undone; unless bad rows are
    # to be skipped, when the writes wait as they do outside it.
    if not apply:
        planned = None
    elif in_transaction and not options.skip_bad_rows:
        planned = _WrittenAtOnce(writer)
    else:
        planned = PlannedWrites(by_reference=[PendingAuthority])
    run = _Run(lines, rows, planner, store, writer, planned, digest, options, progress)
    try:
        with _paused_collector(), _page_cache() if apply else nullcontext(), planned or nullcontext():
            with transaction.atomic() if in_transaction else nullcontext():
                run()
                if apply and not run.message and expected_digest and digest.hexdigest() != expected_digest:
                    run.message = str(PLAN_CHANGED)
                if apply and not run.message and run.row_errors and not options.skip_bad_rows:
                    run.message = ROWS_HAVE_ERRORS.format(count=store.counts()[ERROR])
                if in_transaction and run.message:
                    raise _Stop
                if in_transaction:
                    _write(writer, planned, planner)
            if apply and not in_transaction and not run.message:
                with transaction.atomic():
                    _write(writer, planned, planner)
    except _Stop:
        _remove(writer.stored_files)
    except BaseException:
        if writer:
            _remove(writer.stored_files)
        raise
    applied = apply and not run.message
    return _result(store, digest, applied=applied, readable=run.readable, message=run.message,
                   changed_items=writer.changed_items if applied else 0)


def _write(writer, planned, planner):
    """Write the prepared batches, without the rows the arrangement failed, then the places."""
    writer.skipped = planner.arrangement.failed
    writer.arrangement = planner.arrangement
    lone = lone_tops(planner.arrangement.parents_in_catalogue())
    for batch in planned:
        writer.write(batch)
    writer.place(planner.arrangement)
    writer.link_targets()
    touch_filled_tops(lone, writer.now)
    if writer.history is not None:
        writer.history.finish()


@contextmanager
def _paused_collector():
    """Collect garbage once per chunk, and only among the objects made since the import began.

    Every chunk makes tens of thousands of objects that live until it is written, so the
    collector's automatic passes came often, and each full pass walked the whole program again
    (Django, the authority index): a third of the time of an import. Instead the objects that
    exist when the import begins are frozen (the collector skips them until they are unfrozen;
    reference counting still frees them), automatic collection is paused, and _Run collects the
    young objects after each chunk. A full collection every few chunks keeps memory bounded:
    the date parser (pyparsing, under edtf) keeps the exception of its last failure, whose
    traceback holds the frames, and so the plans, of a whole chunk, which become garbage only
    once they are old.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


def _page_cache():
    """On SQLite, a page cache that holds the indexes an import writes into, for the import only.

    The default 2 MB is soon smaller than the indexes of the statement table, and then every
    insert reads and writes pages through the operating system (at 100,000 rows: 12 s of system
    time, 5 s with this cache). Pages are cached only once read, so a small import stays small.
    """
    return sqlite.pragma("cache_size", -IMPORT_CACHE_KIB)


def _header(lines):
    first = next(lines, None)
    if first is None:
        raise ImportFileError(EMPTY_FILE)
    return parse_header(first[1])


class _WrittenAtOnce:
    """In place of PlannedWrites when planning inside the transaction: each batch is written as
    soon as it is prepared, so none is left to write at the end."""

    def __init__(self, writer):
        self.writer = writer

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        pass

    def put(self, batch):
        self.writer.write(batch)

    def __iter__(self):
        return iter(())


class _Run:
    """Plan the rows chunk by chunk, preparing each chunk's writes and handing them to `planned`
    while no row has failed (or bad rows are skipped). Later chunks are still planned after a
    failure, to report every error."""

    def __init__(self, lines, rows, planner, store, writer, planned, digest, options, progress):
        self.lines, self.rows, self.planner, self.store = lines, rows, planner, store
        self.writer, self.planned = writer, planned
        self.digest, self.options, self.progress = digest, options, progress
        self.row_errors = 0
        self.last_row = 0
        self.chunks = 0
        self.readable = True
        self.message = ""

    def __call__(self):
        any_row = False
        while True:
            try:
                chunk = self._next_chunk()
            except ImportFileError as error:
                self.store.add_file_error(error.row, error.message)
                self.readable, self.message = False, str(UNREADABLE)
                return
            if not chunk:
                break
            any_row = True
            self._plan_and_write(chunk)
            del chunk
            # The chunk is unreachable now; see _paused_collector.
            self.chunks += 1
            gc.collect(2 if self.chunks % FULL_COLLECTION_CHUNKS == 0 else 1)
            if self.progress:
                self.progress(getattr(self.rows, "consumed", self.last_row))
        if not any_row:
            self.store.add_file_error(None, str(HEADER_ONLY))
            self.readable, self.message = False, str(UNREADABLE)
            return
        self._finish()

    def _finish(self):
        """The errors only the whole file shows: where its units would stand (arrangement.py).
        They join the plan, its fingerprint and the count of rows with errors."""
        errors = self.planner.finish(seen=self.store.seen)
        self.store.fail([(row, column, message) for row, _, column, message in errors])
        for row, identifier, column, message in errors:
            self.digest.update(f"{row}\x1f{identifier}\x1f{ERROR}\x1f{column}\x1f{message}\n".encode())
        self.row_errors += len({row for row, *_ in errors})

    def _plan_and_write(self, chunk):
        plans = self.planner.plan_chunk(chunk, self.store.earlier_rows)
        self.store.add(plans)
        for plan in plans:
            self.digest.update(_canonical(plan))
        self.row_errors += sum(plan.action == ERROR for plan in plans)
        if self.planned is not None and (self.options.skip_bad_rows or not self.row_errors):
            self.planned.put(self.writer.prepare(plans))

    def _next_chunk(self):
        chunk, characters = [], 0
        for row in self.lines:
            chunk.append(row)
            self.last_row = row[0]
            characters += sum(map(len, row[1]))
            if len(chunk) == CHUNK_ROWS or characters >= CHUNK_CHARACTERS:
                break
        return chunk


def _canonical(plan):
    # Unit and record separators cannot occur in identifiers, and JSON escapes them in the diff.
    errors = "\x1e".join(error.message for error in plan.errors)
    return f"{plan.row}\x1f{plan.identifier}\x1f{plan.action}\x1f{plan.diff_text or ''}\x1f{errors}\n".encode()


def _remove(names):
    for name in names:
        default_storage.delete(name)


def _result(store, digest, **kwargs):
    result = ImportResult(counts=store.counts(), errors=store.error_count(), digest=digest.hexdigest(), **kwargs)
    store.set("result", result.as_json())
    return result
