"""Import items from a CSV file: see the README's “CSV import and export”."""
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.imports.csv import Options, PlanStore, import_csv
from catalog.imports.plan import CREATE, ERROR, UNCHANGED, UPDATE


def describe(values):
    return " | ".join(values) if values else "(empty)"


def shorten(text, limit=200):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Command(BaseCommand):
    help = (
        "Import items from a CSV file (one row per item, columns named by Dublin Core term). "
        "Rows are matched to items by identifier: new identifiers create items, known ones are "
        "updated in the columns the file has. With --dry-run, print the plan and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file (UTF-8; a byte order mark is fine)")
        parser.add_argument("--dry-run", action="store_true", help="show the plan; change nothing")
        parser.add_argument("--files", type=Path, metavar="DIR", help="folder holding the files the files column names")
        parser.add_argument(
            "--create-authorities", action="store_true",
            help="create authority records for names that match none (default: report them as errors)",
        )
        parser.add_argument(
            "--accept-unreadable-dates", action="store_true",
            help="keep dates Arkiv cannot read as written, flagging their items (default: report them as errors)",
        )
        parser.add_argument(
            "--skip-bad-rows", action="store_true",
            help="import the good rows even if some rows have errors (default: import nothing then)",
        )

    def handle(self, *args, file, dry_run, files, create_authorities, accept_unreadable_dates, skip_bad_rows, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file: give the path of the CSV file to import.")
        if files is not None and not files.is_dir():
            raise CommandError(f"{files} is not a folder: --files names the folder holding the item files.")
        verbosity = options["verbosity"]
        settings = Options(
            create_authorities=create_authorities, accept_unreadable_dates=accept_unreadable_dates,
            skip_bad_rows=skip_bad_rows, files_dir=files,
        )
        with tempfile.TemporaryDirectory(prefix="arkiv-import-") as work, file.open("rb") as stream:
            store = PlanStore(Path(work) / "plan.sqlite3")
            size = file.stat().st_size
            with tqdm(total=size, unit="B", unit_scale=True, desc="Planning" if dry_run else "Importing",
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
            raise CommandError(result.message or "Some rows have errors: see above.")

    def _print_plan(self, store, with_unchanged):
        actions = [CREATE, UPDATE, UNCHANGED] if with_unchanged else [CREATE, UPDATE]
        offset = 0
        while page := store.entries(actions, offset=offset, limit=1000):
            for entry in page:
                self._print_entry(entry)
            offset += len(page)

    def _print_entry(self, entry):
        row, identifier, action = entry["row"], entry["identifier"], entry["action"]
        if action == UNCHANGED:
            self.stdout.write(f"  row {row} {identifier}: unchanged")
            return
        verb = "new item" if action == CREATE else "changes"
        self.stdout.write(self.style.MIGRATE_HEADING(f"Row {row} {identifier}: {verb}"))
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
            where = f"Row {error['row']}" if error["row"] else ""
            where += f", {error['column']}" if error["column"] else ""
            self.stderr.write(f"{where}: {error['message']}" if where else error["message"])

    def _print_summary(self, result, dry_run):
        counts = result.counts
        would = "would be" if dry_run else ("were" if result.applied else "would have been")
        self.stdout.write(
            f"{counts[CREATE]} item(s) {would} created, {counts[UPDATE]} updated, {counts[UNCHANGED]} "
            f"unchanged; {counts[ERROR]} row(s) with errors"
            + (" (skipped)." if result.applied and counts[ERROR] else ".")
        )
