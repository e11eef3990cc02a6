"""Make draft items of a folder of scans: see the README's “A folder of scans”."""
import sys
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy
from tqdm import tqdm

from catalog.imports.folder import ingest_folder
from catalog.imports.folder.log import DUPLICATE, EARLIER, MADE, REFUSED, WOULD_MAKE, FolderLog
from catalog.imports.folder.run import FolderError
from catalog.imports.folder.walk import count_files
from catalog.management.translated import TranslatedCommand

HELP = gettext_lazy(
    "Make draft items of a folder of scans: one item per file in the folder, and one item per "
    "folder below it, its files as pages in natural order. The title comes from the name, the date "
    "from the EXIF; a file already in the archive (the same SHA-256) is reported, not ingested again. "
    "Run it again after an interruption: it continues where it stopped."
)
SUMMARY = gettext_lazy(
    "%(made)d item(s) made (%(files)d file(s)), %(earlier)d made by an earlier run, %(duplicates)d "
    "file(s) already in the archive, %(refused)d refused."
)
INTERRUPTED = gettext_lazy(
    "Interrupted: %(made)d item(s) were made before it and are kept. Run the same command again to "
    "continue where it stopped."
)
SUMMARY_DRY_RUN = gettext_lazy(
    "%(made)d item(s) would be made (%(files)d file(s)), %(earlier)d made by an earlier run, "
    "%(duplicates)d file(s) already in the archive, %(refused)d refused."
)


class Command(TranslatedCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help=gettext_lazy("the folder of scans (images or PDFs)"))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("show what would be made; change nothing"))
        parser.add_argument(
            "--collection", default="", metavar="C",
            help=gettext_lazy("add the new items to this collection (its code, as in its address)"),
        )
        parser.add_argument(
            "--parent", default="", metavar="UNIT",
            help=gettext_lazy("place the new items under this unit of the arrangement (its identifier)"),
        )
        parser.add_argument(
            "--prefix", default="", help=gettext_lazy("the start of the new identifiers (default: the folder's name)"),
        )

    def handle(self, *args, folder, dry_run, collection, parent, prefix, **options):
        quiet = options["verbosity"] == 0
        total = count_files(folder) if folder.is_dir() else 0
        with tempfile.TemporaryDirectory(prefix="arkiv-ingest-") as work:
            log = FolderLog(Path(work) / "log.sqlite3")
            try:
                with tqdm(total=total, unit=_("files"), desc=_("Checking") if dry_run else _("Ingesting"),
                          disable=quiet or None, file=sys.stderr) as bar:
                    result = ingest_folder(
                        folder, log=log, collection=collection.strip(), parent=parent.strip(), prefix=prefix.strip(),
                        apply=not dry_run, progress=lambda done: bar.update(done - bar.n),
                    )
                self._report(log, dry_run, options["verbosity"])
            except FolderError as error:
                raise CommandError(str(error)) from None
            except KeyboardInterrupt:
                # The chunks written before it are kept; the one it fell in was undone.
                raise CommandError(str(INTERRUPTED % {"made": log.counts()[MADE]})) from None
            finally:
                log.close()
        counts = result.counts
        self.stdout.write((SUMMARY_DRY_RUN if dry_run else SUMMARY) % {
            "made": counts[WOULD_MAKE if dry_run else MADE], "files": result.files_made, "earlier": counts[EARLIER],
            "duplicates": counts[DUPLICATE], "refused": counts[REFUSED],
        })

    def _report(self, log, dry_run, verbosity):
        shown = [WOULD_MAKE if dry_run else MADE, EARLIER] if verbosity >= 2 or dry_run else []
        offset = 0
        while page := log.lines([*shown, DUPLICATE, REFUSED], offset=offset, limit=1000):
            for line in page:
                self._line(line)
            offset += len(page)

    def _line(self, line):
        outcome = line["outcome"]
        if outcome in (MADE, WOULD_MAKE):
            self.stdout.write(_("%(identifier)s: “%(title)s”, %(files)d file(s) from %(path)s") % {
                "identifier": line["identifier"], "title": line["detail"], "files": line["files"], "path": line["path"],
            })
        elif outcome == EARLIER:
            self.stdout.write(_("%(identifier)s: made by an earlier run from %(path)s") % line)
        elif outcome == DUPLICATE:
            self.stdout.write(self.style.WARNING(
                _("%(path)s: already in the archive, in %(detail)s; not ingested again") % line
            ))
        else:
            self.stderr.write(_("%(path)s: refused: %(detail)s") % line)
