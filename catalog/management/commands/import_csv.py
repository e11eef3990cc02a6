"""Import items from a CSV file: see the README's “CSV import and export”."""
import sys
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy
from tqdm import tqdm

from catalog.imports.csv import Options, PlanStore, import_csv
from catalog.imports.plan import CREATE, ERROR, UNCHANGED, UPDATE
from catalog.management.translated import TranslatedCommand

HELP = gettext_lazy(
    "Import items from a CSV file (one row per item, columns named by Dublin Core term). "
    "Rows are matched to items by identifier: new identifiers create items, known ones are "
    "updated in the columns the file has. With --dry-run, print the plan and change nothing."
)
NOT_A_FILE = gettext_lazy("%(path)s is not a file: give the path of the CSV file to import.")
NOT_A_FOLDER = gettext_lazy("%(path)s is not a folder: --files names the folder holding the item files.")
ROWS_HAVE_ERRORS = gettext_lazy("Some rows have errors: see above.")
EMPTY = gettext_lazy("(empty)")
SUMMARY_DRY_RUN = gettext_lazy(
    "%(created)d item(s) would be created, %(updated)d updated, %(unchanged)d unchanged; "
    "%(errors)d row(s) with errors."
)
SUMMARY_APPLIED = gettext_lazy(
    "%(created)d item(s) were created, %(updated)d updated, %(unchanged)d unchanged; "
    "%(errors)d row(s) with errors."
)
SUMMARY_SKIPPED = gettext_lazy(
    "%(created)d item(s) were created, %(updated)d updated, %(unchanged)d unchanged; "
    "%(errors)d row(s) with errors (skipped)."
)
SUMMARY_NOT_APPLIED = gettext_lazy(
    "%(created)d item(s) would have been created, %(updated)d updated, %(unchanged)d unchanged; "
    "%(errors)d row(s) with errors."
)


def describe(values):
    return " | ".join(values) if values else str(EMPTY)


def shorten(text, limit=200):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Command(TranslatedCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=gettext_lazy("the CSV file (UTF-8; a byte order mark is fine)"))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("show the plan; change nothing"))
        parser.add_argument(
            "--files", type=Path, metavar="DIR", help=gettext_lazy("folder holding the files the files column names"),
        )
        parser.add_argument(
            "--create-authorities", action="store_true",
            help=gettext_lazy("create authority records for names that match none (default: report them as errors)"),
        )
        parser.add_argument(
            "--accept-unreadable-dates", action="store_true",
            help=gettext_lazy(
                "keep dates Arkiv cannot read as written, flagging their items (default: report them as errors)"
            ),
        )
        parser.add_argument(
            "--skip-bad-rows", action="store_true",
            help=gettext_lazy("import the good rows even if some rows have errors (default: import nothing then)"),
        )

    def handle(self, *args, file, dry_run, files, create_authorities, accept_unreadable_dates, skip_bad_rows, **options):
        if not file.is_file():
            raise CommandError(NOT_A_FILE % {"path": file})
        if files is not None and not files.is_dir():
            raise CommandError(NOT_A_FOLDER % {"path": files})
        verbosity = options["verbosity"]
        settings = Options(
            create_authorities=create_authorities, accept_unreadable_dates=accept_unreadable_dates,
            skip_bad_rows=skip_bad_rows, files_dir=files,
            history_detail=f"manage.py import_csv {file.name}",  # the change set's detail in history
        )
        with tempfile.TemporaryDirectory(prefix="arkiv-import-") as work, file.open("rb") as stream:
            store = PlanStore(Path(work) / "plan.sqlite3")
            size = file.stat().st_size
            with tqdm(total=size, unit="B", unit_scale=True, desc=_("Planning") if dry_run else _("Importing"),
                      disable=verbosity == 0 or None, file=sys.stderr) as bar:
                result = import_csv(stream, store=store, options=settings, apply=not dry_run,
                                    progress=lambda done: bar.update(done - bar.n))
                bar.update(size - bar.n)
            if dry_run or verbosity >= 2:
                self._print_plan(store, with_unchanged=verbosity >= 3)
            self._print_errors(store)
            self._print_summary(result, dry_run)
            store.close()
        if not dry_run and not result.applied:
            raise CommandError(result.message)
        if dry_run and (result.counts[ERROR] or result.message):
            raise CommandError(result.message or str(ROWS_HAVE_ERRORS))

    def _print_plan(self, store, with_unchanged):
        actions = [CREATE, UPDATE, UNCHANGED] if with_unchanged else [CREATE, UPDATE]
        offset = 0
        while page := store.entries(actions, offset=offset, limit=1000):
            for entry in page:
                self._print_entry(entry)
            offset += len(page)

    def _print_entry(self, entry):
        where = {"row": entry["row"], "identifier": entry["identifier"]}
        action = entry["action"]
        if action == UNCHANGED:
            self.stdout.write("  " + _("row %(row)s %(identifier)s: unchanged") % where)
            return
        heading = _("Row %(row)s %(identifier)s: new item") if action == CREATE else _("Row %(row)s %(identifier)s: changes")
        self.stdout.write(self.style.MIGRATE_HEADING(heading % where))
        for change in entry["changes"]:
            if action == CREATE:
                self.stdout.write(f"    {change['column']}: {shorten(describe(change['new']))}")
            else:
                old, new = shorten(describe(change["old"])), shorten(describe(change["new"]))
                self.stdout.write(f"    {change['column']}: {old} → {new}")
            for note in change["notes"]:
                self.stdout.write(f"        {note}")

    def _print_errors(self, store):
        for error in store.errors():
            if error["row"] and error["column"]:
                line = _("Row %(row)s, %(column)s: %(message)s") % error
            elif error["row"]:
                line = _("Row %(row)s: %(message)s") % error
            elif error["column"]:
                line = f"{error['column']}: {error['message']}"
            else:
                line = error["message"]
            self.stderr.write(line)

    def _print_summary(self, result, dry_run):
        counts = result.counts
        if dry_run:
            summary = SUMMARY_DRY_RUN
        elif result.applied:
            summary = SUMMARY_SKIPPED if counts[ERROR] else SUMMARY_APPLIED
        else:
            summary = SUMMARY_NOT_APPLIED
        self.stdout.write(summary % {
            "created": counts[CREATE], "updated": counts[UPDATE], "unchanged": counts[UNCHANGED], "errors": counts[ERROR],
        })
