"""A folder of scans becomes draft items, through the one import engine:

    result = ingest_folder(Path("scans"), log=FolderLog(path), collection="", parent="", apply=True)

The folder is walked as a stream (walk.py): each file directly in it is one item, each folder
below it that holds files one item of those files as pages. The units are taken a chunk at a
time (CHUNK_FILES files), and each chunk becomes rows of the CSV import's shape (identifier,
type, status=draft, dc:title from the name, dcterms:created from the EXIF DateTimeOriginal,
files, and parent and collections if asked), which the engine plans and, with apply=True,
writes, as it does a spreadsheet's rows (csv.import_rows): the files go in by the engine's own
path (imaging.ingest: the type sniffed, the caps, SHA-256, EXIF, derivatives), a dry run
(apply=False) is the same planning without the writing, and each chunk is written in one
transaction or not at all.

Why chunks, each its own import, rather than the whole folder as one import: a folder of a
thousand scans takes minutes, and an interruption (Ctrl-C, a crash, a server restart) should
cost at most the chunk it fell in, not the whole run; and on SQLite a write transaction holds
the database's one write lock, which a chunk of files holds for seconds and a whole folder for
minutes. The cost is that a folder is not atomic: an interrupted run leaves the chunks written
before it. That is what makes it resumable: run again, it continues where it stopped.

How a rerun knows what it made, by both of two means. The identifiers come from the paths
(walk.py), so a unit an earlier run made is found by its identifier and left as it is (never
written again: an archivist may have given it a better title meanwhile), once its files' hashes
show it is the same unit. And every file's SHA-256 is looked up in the catalogue before it is
planned: a file the archive holds already, in any item (or earlier in the same run), is reported
with the item that holds it and not ingested again, which also catches a folder renamed or moved
between runs, where the identifiers differ.

Refusals: a file is examined (imaging.examine, without decoding pixels) before it becomes part
of a row, so that a file the archive cannot keep (not an image or PDF, too large, too many
pixels, empty, damaged: imaging.decodes decodes its pixels once, making nothing of them) is
refused on its own, and the engine's planning is told so (Options.files_checked), which spares
it describing every image only to throw the derivatives away: they are made once, as the files
are written. The unit a refused file belongs to is not made, since a book is not made with a page missing (a page
already in the archive is left out, and said so); the refusal names the file, and every other
unit goes in. Mend the file and run again: the rest is skipped as made.
"""
import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ... import dates, imaging
from ...models import Collection, DigitalFile, Item
from ...validators import validate_identifier
from .. import format as fmt
from ..csv import import_rows
from ..lookup import Authorities
from ..plan import COLLECTION_UNKNOWN, CREATE, ERROR, FILE_OUTSIDE, Options
from ..store import PlanStore
from . import walk
from .log import DUPLICATE, EARLIER, MADE, REFUSED, WOULD_MAKE, FolderLog

CHUNK_FILES = 25
"""Files planned and written together, in one transaction: what an interruption may cost."""

NO_FOLDER = _("“{path}” is not a folder: give the folder that holds the scans.")
NO_PARENT = _(
    "“{value}” is not the identifier of a unit in the catalogue: give the identifier of the fonds, "
    "series or file the new items go under."
)
NOT_A_FILE = _("“{name}” is not a file (a link to a folder, or a device): it is passed over.")
CANNOT_READ = _("“{name}” cannot be read ({reason}): check that Arkiv may read it.")
IDENTIFIER_TAKEN = _(
    "{identifier} is already the identifier of an item that holds none of these files: ingest the "
    "folder with another prefix."
)
NOT_IN_EARLIER = _(
    "“{name}” is not among the files of {identifier}, which an earlier run made: add it to that item "
    "in the admin."
)
PAGE_REFUSED = _(
    "“{path}” is not made while one of its files is refused (see above): mend or remove that file, "
    "and run the ingest again."
)
NOT_WRITTEN = _("The items of this part of the folder were not saved: {message}")

_EXIF_DATE = re.compile(r"^(\d{4}):(\d{2}):(\d{2})")
_HASH_CHUNK = 1024 * 1024


class FolderError(Exception):
    """The folder, or an option, makes the whole run impossible; nothing was changed."""


@dataclass
class FolderResult:
    counts: dict  # log lines by outcome (log.OUTCOMES)
    files: int  # files offered by the folder, examined or not
    files_made: int  # files ingested (or to be, in a dry run)
    applied: bool

    def as_json(self):
        return self.__dict__.copy()


def ingest_folder(folder, *, log=None, collection="", parent="", prefix="", apply=True, user=None,
                  progress=None, chunk_files=None):
    """Make draft items of the files in `folder` (see the module docstring); with apply=False,
    plan them only. `log` (a FolderLog) receives what became of every unit and file; `progress(files
    done)` is called after every chunk; `user` is the admin user it runs for (None: the command
    line). Raises FolderError, changing nothing, for a folder or option that cannot be used."""
    folder = Path(folder)
    chunk_files = chunk_files or CHUNK_FILES
    prefix = prefix or walk.prefix_for(folder)
    _check(folder, collection, parent, prefix)
    with tempfile.TemporaryDirectory(prefix="arkiv-folder-") as work:
        own_log = log is None
        log = log or FolderLog(Path(work) / "log.sqlite3")
        store = PlanStore(Path(work) / "plan.sqlite3")
        try:
            log.reset()
            run = _Run(folder, log, store, collection, parent, apply, user)
            chunk, files = [], 0
            for unit in walk.units(folder, prefix):
                chunk.append(unit)
                files += len(unit.files)
                if files >= chunk_files:
                    run.chunk(chunk)
                    chunk, files = [], 0
                    if progress:
                        progress(run.files)
            if chunk:
                run.chunk(chunk)
                if progress:
                    progress(run.files)
            made = log.files(MADE if apply else WOULD_MAKE)
            return FolderResult(counts=log.counts(), files=run.files, files_made=made, applied=apply)
        finally:
            store.close()
            if own_log:
                log.close()


def _check(folder, collection, parent, prefix):
    if not folder.is_dir():
        raise FolderError(NO_FOLDER.format(path=folder))
    try:
        validate_identifier(prefix)
    except ValidationError as error:
        raise FolderError(error.messages[0]) from None
    if collection and not Collection.objects.filter(identifier=collection).exists():
        raise FolderError(COLLECTION_UNKNOWN.format(value=collection))
    if parent and not Item.objects.filter(identifier=parent).exists():
        raise FolderError(NO_PARENT.format(value=parent))


@dataclass
class _File:
    path: str
    sha256: str = ""
    refusal: str = ""
    taken: str = ""  # ISO date from the EXIF, or ""
    is_pdf: bool = False


class _Run:
    """The state a run keeps from chunk to chunk: the hashes it has planned, and counts."""

    def __init__(self, folder, log, store, collection, parent, apply, user):
        self.folder, self.log, self.store = folder, log, store
        self.collection, self.parent, self.apply, self.user = collection, parent, apply, user
        self.resolved = folder.resolve()
        self.planned = {}  # SHA-256 -> identifier of the unit of this run that holds it
        self.files = 0

    def chunk(self, units):
        files = {unit.identifier: [self._read(path) for path in unit.files] for unit in units}
        self.files += sum(map(len, files.values()))
        hashes = {f.sha256 for found in files.values() for f in found if f.sha256}
        # The item that has held a file longest names it (the last of the pairs wins in dict()).
        held = dict(DigitalFile.objects.filter(sha256__in=hashes).order_by("-pk").values_list("sha256", "item__identifier"))
        existing = {identifier: set() for identifier in Item.objects.filter(identifier__in=files).values_list("identifier", flat=True)}
        if existing:  # what those items hold (a file may be in more items than the one `held` names)
            for identifier, sha256 in DigitalFile.objects.filter(item__identifier__in=existing).values_list("item__identifier", "sha256"):
                existing[identifier].add(sha256)
        lines, rows = {}, []
        for unit in units:
            if unit.identifier in existing:
                lines[unit.identifier] = self._earlier(unit, files[unit.identifier], existing[unit.identifier], held)
            else:
                lines[unit.identifier], pages = self._pages(unit, files[unit.identifier], held)
                if pages:
                    rows.append((unit, pages))
        if rows:
            self._plan(rows, lines)
        self.log.add([line for unit in units for line in lines[unit.identifier]])

    def _read(self, path):
        """A file's hash, or why it is refused before it is read further."""
        found = _File(path)
        full = self.folder / path
        try:
            if not full.is_file():
                found.refusal = str(NOT_A_FILE.format(name=path))
            elif not full.resolve().is_relative_to(self.resolved):
                found.refusal = str(FILE_OUTSIDE.format(name=path))
            else:
                found.sha256 = _sha256(full)
        except OSError as error:
            found.refusal = str(CANNOT_READ.format(name=path, reason=error.strerror or error))
        return found

    def _earlier(self, unit, files, its_files, held):
        """A unit whose identifier is taken: made by an earlier run if it holds these files."""
        ours = [f for f in files if f.sha256 and f.sha256 in its_files]
        if not ours:
            return [(REFUSED, unit.path, unit.identifier, len(files), str(IDENTIFIER_TAKEN.format(identifier=unit.identifier)))]
        lines = [(EARLIER, unit.path, unit.identifier, len(ours), "")]
        for f in files:
            if f in ours:
                self.planned.setdefault(f.sha256, unit.identifier)
            elif f.refusal:
                lines.append((REFUSED, f.path, unit.identifier, 1, f.refusal))
            elif f.sha256 in held:
                lines.append((DUPLICATE, f.path, unit.identifier, 1, held[f.sha256]))
            else:
                lines.append((REFUSED, f.path, unit.identifier, 1, str(NOT_IN_EARLIER.format(name=f.path, identifier=unit.identifier))))
        return lines

    def _pages(self, unit, files, held):
        """The files of a new unit that are to be ingested, and the lines of the others."""
        lines, pages = [], []
        for f in files:
            if not f.refusal and (holder := held.get(f.sha256) or self.planned.get(f.sha256)):
                lines.append((DUPLICATE, f.path, unit.identifier, 1, holder))
                continue
            if not f.refusal:
                self._examine(f)
            if f.refusal:
                lines.append((REFUSED, f.path, unit.identifier, 1, f.refusal))
                continue
            self.planned[f.sha256] = unit.identifier
            pages.append(f)
        if len(unit.files) > 1 and any(line[0] == REFUSED for line in lines):
            # A book is not made with a page missing: mend the page and run again.
            for page in pages:
                del self.planned[page.sha256]
            lines.append((REFUSED, unit.path, unit.identifier, len(pages), str(PAGE_REFUSED.format(path=unit.path))))
            return lines, []
        return lines, pages

    def _examine(self, found):
        """What the archive makes of the file, without decoding its pixels (the engine does)."""
        try:
            with (self.folder / found.path).open("rb") as source:
                examination = imaging.examine(source, name=found.path, decode=False)
                imaging.decodes(examination)
                found.taken = _iso_date(imaging.date_taken(examination))
                found.is_pdf = examination.file_type is imaging.PDF
        except ValidationError as error:
            found.refusal = error.messages[0]
        except OSError as error:
            found.refusal = str(CANNOT_READ.format(name=found.path, reason=error.strerror or error))

    def _plan(self, rows, lines):
        header = [fmt.IDENTIFIER, fmt.TYPE, fmt.STATUS, fmt.term_column("title"), fmt.term_column("created"), fmt.FILES]
        extra = ([self.parent] if self.parent else []) + ([self.collection] if self.collection else [])
        header += ([fmt.PARENT] if self.parent else []) + ([fmt.COLLECTIONS] if self.collection else [])
        by_row = {}

        def open_rows():
            yield 1, header
            for number, (unit, pages) in enumerate(rows, start=2):
                by_row[number] = (unit, pages)
                yield number, [
                    unit.identifier, "Text" if all(p.is_pdf for p in pages) else "StillImage", Item.DRAFT,
                    _cell(unit.title), _cell(_created(pages)), fmt.neutralise(fmt.join_values(p.path for p in pages)),
                    *map(_cell, extra),
                ]

        # The rows name no authority records: an empty index spares loading the catalogue's.
        # The files' pixels were decoded already (_examine), so planning does not make their
        # derivatives only to throw them away: writing makes them, once. Should writing still
        # refuse a file (ValidationError: the chunk is undone), the chunk is planned again the
        # slow way, where such a file is its row's error.
        try:
            options = Options(files_dir=self.folder, skip_bad_rows=True, user=self.user, files_checked=True, history_source="ingest")
            result = import_rows(open_rows, store=self.store, options=options, apply=self.apply, authorities=Authorities)
        except ValidationError:
            by_row.clear()
            options = Options(files_dir=self.folder, skip_bad_rows=True, user=self.user, history_source="ingest")
            result = import_rows(open_rows, store=self.store, options=options, apply=self.apply, authorities=Authorities)
        made = MADE if self.apply else WOULD_MAKE
        entries = {entry["row"]: entry for entry in self.store.entries([CREATE, ERROR, "update", "unchanged"])}
        for number, (unit, pages) in by_row.items():
            entry = entries.get(number)
            if entry is None or entry["action"] == ERROR or (self.apply and not result.applied):
                why = "; ".join(e["message"] for e in entry["errors"]) if entry and entry["errors"] else ""
                why = why or str(NOT_WRITTEN.format(message=result.message))
                lines[unit.identifier].append((REFUSED, unit.path, unit.identifier, len(pages), why))
                for page in pages:
                    if self.planned.get(page.sha256) == unit.identifier:
                        del self.planned[page.sha256]  # not in the archive after all
            elif entry["action"] == CREATE:
                lines[unit.identifier].insert(0, (made, unit.path, unit.identifier, len(pages), unit.title))
            else:  # made meanwhile by someone else (another run of the same folder)
                lines[unit.identifier].insert(0, (EARLIER, unit.path, unit.identifier, len(pages), ""))


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(_HASH_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _cell(value):
    return fmt.neutralise(fmt.escape_value(value))


def _iso_date(taken):
    """EXIF's “2024:05:17 14:03:22” as 2024-05-17, if it is a date (cameras write 0000:00:00)."""
    match = _EXIF_DATE.match(taken)
    if not match:
        return ""
    text = "-".join(match.groups())
    return text if dates.parse(text) is not None else ""


def _created(pages):
    """The day the pages were taken, or the span of days (EDTF), from those that say."""
    days = sorted({p.taken for p in pages if p.taken})
    if not days:
        return ""
    return days[0] if len(days) == 1 else f"{days[0]}/{days[-1]}"
