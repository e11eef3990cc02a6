"""Re-hash every stored original and compare it with the SHA-256 taken when it was ingested.

Run it from cron: it prints one line per problem (item identifier and path), a summary line with
the counts, and exits with status 1 if any file is changed, missing or unreadable.
"""
import hashlib
import sys
from collections import Counter

from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_lazy as _, pgettext, pgettext_lazy
from tqdm import tqdm

from catalog.imaging import CHUNK_BYTES
from catalog.management.translated import TranslatedCommand
from catalog.models import DigitalFile

INTACT, CHANGED, MISSING, UNREADABLE = "intact", "changed", "missing", "unreadable"
STATES = {
    CHANGED: pgettext_lazy("fixity", "CHANGED"),
    MISSING: pgettext_lazy("fixity", "MISSING"),
    UNREADABLE: pgettext_lazy("fixity", "UNREADABLE"),
}
SUMMARY = _("Checked {total} files: {intact} intact, {changed} changed, {missing} missing, {unreadable} unreadable.")
ADVICE = _(
    "Restore the files listed above from a backup copy (their SHA-256 is in the catalogue), "
    "then run check_fixity again."
)
PROBLEM = _("%(state)s: %(identifier)s %(path)s (%(note)s)")
OTHER_SIZE = _("%(size)d bytes, catalogued as %(catalogued)d")
OTHER_CHECKSUM = _("SHA-256 %(checksum)s, catalogued as %(catalogued)s")
NOT_STORED = _("not in storage")


def check(digital_file):
    """The state of one stored original, and a note on what was found."""
    storage, name = digital_file.file.storage, digital_file.file.name
    try:
        if storage.size(name) != digital_file.size:  # no need to read a file whose size changed
            return CHANGED, OTHER_SIZE % {"size": storage.size(name), "catalogued": digital_file.size}
        checksum = hashlib.sha256()
        with storage.open(name, "rb") as stored:
            while chunk := stored.read(CHUNK_BYTES):
                checksum.update(chunk)
    except FileNotFoundError:
        return MISSING, str(NOT_STORED)
    except OSError as error:
        return UNREADABLE, error.strerror or str(error)
    if checksum.hexdigest() != digital_file.sha256:
        return CHANGED, OTHER_CHECKSUM % {"checksum": checksum.hexdigest(), "catalogued": digital_file.sha256}
    return INTACT, ""


class Command(TranslatedCommand):
    help = _("Check every digital file against its SHA-256; list changed and missing files, exit 1 if any.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--item", dest="identifiers", action="append", metavar="IDENTIFIER",
            help=_("Check only the files of this item (repeat for more items)."),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("Do not show a progress bar."))

    def handle(self, *args, **options):
        files = DigitalFile.objects.select_related("item").only(
            "file", "size", "sha256", "item", "item__identifier"
        ).order_by("pk")
        if options["identifiers"]:
            files = files.filter(item__identifier__in=options["identifiers"])
        total = files.count()
        counts = Counter()
        with tqdm(
            total=total, unit=" " + pgettext("progress bar unit", "files"), file=sys.stderr, desc=gettext("Checking"),
            disable=options["no_progress"] or options["verbosity"] == 0,
        ) as progress:
            for digital_file in files.iterator(chunk_size=500):
                state, note = check(digital_file)
                counts[state] += 1
                if state != INTACT:
                    with progress.external_write_mode():  # the line stays, the bar moves below it
                        self.stdout.write(PROBLEM % {
                            "state": STATES[state], "identifier": digital_file.item.identifier,
                            "path": digital_file.file.name, "note": note,
                        })
                progress.update()
        summary = SUMMARY.format(
            total=total, intact=counts[INTACT], changed=counts[CHANGED], missing=counts[MISSING],
            unreadable=counts[UNREADABLE],
        )
        if total > counts[INTACT]:
            raise CommandError(f"{summary} {ADVICE}")
        self.stdout.write(summary)
