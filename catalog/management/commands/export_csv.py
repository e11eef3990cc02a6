"""Export items as CSV, in the layout import_csv reads."""
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy, ngettext, pgettext
from tqdm import tqdm

from catalog.exports import csv as csv_export
from catalog.management.translated import TranslatedCommand
from catalog.models import Collection, Item

HELP = gettext_lazy(
    "Write items as CSV (one row per item), ready to edit in a spreadsheet and import again "
    "with import_csv. Exports every item unless told otherwise."
)
NO_SUCH_COLLECTION = gettext_lazy(
    "There is no collection “%(code)s”: give a collection's code, as in its address."
)


class Command(TranslatedCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help=gettext_lazy("where to write (default: standard output)"))
        parser.add_argument(
            "--published", action="store_true", help=gettext_lazy("only published items, as the public sees them"),
        )
        parser.add_argument(
            "--collection", metavar="CODE", help=gettext_lazy("only items in this collection or the ones inside it"),
        )

    def handle(self, *args, file, published, collection, **options):
        items = Item.objects.published() if published else Item.objects.all()
        if collection:
            found = Collection.objects.filter(identifier=collection).first()
            if found is None:
                raise CommandError(NO_SUCH_COLLECTION % {"code": collection})
            items = items.filter(collections__in=found.descendants_and_self()).distinct()
        items = csv_export.by_arrangement(items)  # every parent before its children
        if file is None:
            count = csv_export.write(items, self.stdout._out)
        else:
            total = items.count()
            with file.open("w", encoding="utf-8", newline="") as stream, tqdm(
                total=total, unit=" " + pgettext("progress bar unit", "items"), desc=_("Exporting"), disable=options["verbosity"] == 0 or None, file=sys.stderr,
            ) as bar:
                count = csv_export.write(items, stream, progress=bar.update)
            self.stderr.write(ngettext(
                "Exported %(count)d item to %(file)s.", "Exported %(count)d items to %(file)s.", count,
            ) % {"count": count, "file": file})
