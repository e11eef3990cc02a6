"""Import an EAD finding aid (EAD 2002 or EAD3, as AtoM and ArchivesSpace export it) as a new
fonds: see catalog/imports/ead/."""
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy, ngettext

from catalog.imports.csv import Options, PlanStore
from catalog.imports.ead import import_ead
from catalog.imports.plan import CREATE, ERROR
from catalog.management.translated import TranslatedCommand

HELP = gettext_lazy(
    "Import an EAD finding aid (EAD 2002 or EAD3, as AtoM and ArchivesSpace export it) as a new "
    "fonds: one unit for the archdesc and one for each component, in their arrangement, as drafts. "
    "Names become authority records, matched by preferred label or variant. With --dry-run, print "
    "what would be created and change nothing."
)
NOT_A_FILE = gettext_lazy("%(path)s is not a file: give the path of the EAD file to import.")
HAS_ERRORS = gettext_lazy("The finding aid has errors: see above. Nothing was imported.")
UNIT_LINE = gettext_lazy("Line %(line)s: %(identifier)s %(level)s “%(title)s”")
ERROR_AT = gettext_lazy("Line %(line)s (%(identifier)s), %(column)s: %(message)s")
ERROR_IN_UNIT = gettext_lazy("Line %(line)s (%(identifier)s): %(message)s")


def plural_summary(dry_run, created, matched, new):
    if dry_run:
        units = ngettext("%(count)d unit would be created", "%(count)d units would be created", created)
    else:
        units = ngettext("%(count)d unit was created", "%(count)d units were created", created)
    names = ngettext(
        "%(matched)d name matched an authority record", "%(matched)d names matched authority records", matched,
    )
    records = ngettext("%(new)d new authority record", "%(new)d new authority records", new)
    return "; ".join([units % {"count": created}, names % {"matched": matched}, records % {"new": new}]) + "."


class Command(TranslatedCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=gettext_lazy("the EAD file (XML)"))
        parser.add_argument(
            "--fonds-identifier", required=True, metavar="IDENTIFIER",
            help=gettext_lazy("identifier of the new fonds; the units below it get IDENTIFIER-1, IDENTIFIER-2 …"),
        )
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("show the plan; change nothing"))
        parser.add_argument(
            "--publish", action="store_true",
            help=gettext_lazy("publish the units at once (default: import them as drafts, to publish after review)"),
        )

    def handle(self, *args, file, fonds_identifier, dry_run, publish, **options):
        if not file.is_file():
            raise CommandError(NOT_A_FILE % {"path": file})
        with tempfile.TemporaryDirectory(prefix="arkiv-import-") as work, file.open("rb") as stream:
            store = PlanStore(Path(work) / "plan.sqlite3")
            try:
                outcome = import_ead(
                    stream, store=store, fonds_identifier=fonds_identifier, options=Options(),
                    apply=not dry_run, publish=publish,
                )
                self._report(outcome, store, dry_run, verbosity=options["verbosity"])
            finally:
                store.close()
        result = outcome.result
        if not result.readable or result.counts[ERROR]:
            raise CommandError(str(HAS_ERRORS))
        if not dry_run and not result.applied:
            raise CommandError(result.message)

    def _report(self, outcome, store, dry_run, verbosity):
        for note in outcome.notes:
            self.stdout.write(note)
        offset = 0
        while page := store.entries([CREATE, ERROR], offset=offset, limit=1000):
            for entry in page:
                self._entry(outcome, entry, show=dry_run or verbosity >= 2)
            offset += len(page)
        for error in store.errors():
            if error["row"] is None:
                self.stderr.write(error["message"])
        if outcome.result.readable:
            self.stdout.write(plural_summary(
                dry_run, outcome.result.counts[CREATE], len(outcome.matched), len(outcome.new_records),
            ))
            for note in outcome.matched:
                self.stdout.write("  " + note)

    def _entry(self, outcome, entry, show):
        line = outcome.where(entry["row"])
        changes = {change["column"]: change["new"] for change in entry["changes"]}
        if show and entry["action"] == CREATE:
            title = next((values[0] for column, values in changes.items() if column.startswith("dc:title") and values), "")
            self.stdout.write(str(UNIT_LINE % {
                "line": line, "identifier": entry["identifier"], "level": " ".join(changes.get("level", [])), "title": title,
            }).replace("  ", " "))
        for error in entry["errors"]:
            where = {"line": line, "identifier": entry["identifier"], "column": error["column"], "message": error["message"]}
            self.stderr.write(str((ERROR_AT if error["column"] else ERROR_IN_UNIT) % where))
