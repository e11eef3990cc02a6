"""Make the tiled pyramids the IIIF Image API cuts tiles from (catalog/pyramids.py).

Ingest queues an image's pyramid by itself; this command makes those of files ingested before
pyramids existed (the demo's, an upgraded archive's), or makes all of them again after the
pyramid format changed. `--missing` leaves existing pyramids alone, so it can be run again
after an interruption and carries on where it stopped.
"""
import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_lazy as _, pgettext
from tqdm import tqdm

from catalog import pyramids
from catalog.management.translated import TranslatedCommand
from catalog.models import DigitalFile

SUMMARY = _("{made} pyramids made, {kept} already there, {failed} could not be made.")
FAILED = _("Could not make the pyramid of %(identifier)s %(path)s: %(reason)s")
ADVICE = _("Check the files named above (check_fixity tells whether they changed), then run make_pyramids --missing again.")


class Command(TranslatedCommand):
    help = _(
        "Make the tiled pyramid of every image, from which the IIIF Image API serves tiles; "
        "--missing: only of images that have none yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help=_("Leave existing pyramids as they are; make the others."),
        )
        parser.add_argument(
            "--item", dest="identifiers", action="append", metavar="IDENTIFIER",
            help=_("Only the files of this item (repeat for more items)."),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("Do not show a progress bar."))

    def handle(self, *args, **options):
        files = DigitalFile.objects.filter(mime_type__startswith="image/").select_related("item").only(
            "file", "mime_type", "item", "item__identifier"
        ).order_by("pk")
        if options["identifiers"]:
            files = files.filter(item__identifier__in=options["identifiers"])
        made = kept = failed = 0
        with tqdm(
            total=files.count(), unit=" " + pgettext("progress bar unit", "files"), file=sys.stderr,
            desc=gettext("Making pyramids"), disable=options["no_progress"] or options["verbosity"] == 0,
        ) as progress:
            for digital_file in files.iterator(chunk_size=500):
                if options["missing"] and pyramids.pyramid_path(digital_file):
                    kept += 1
                else:
                    try:
                        pyramids.make_pyramid(digital_file, replace=True)
                        made += 1
                    except Exception as error:  # libvips and the file system fail in many ways
                        failed += 1
                        with progress.external_write_mode():
                            self.stdout.write(FAILED % {
                                "identifier": digital_file.item.identifier, "path": digital_file.file.name,
                                "reason": str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__,
                            })
                progress.update()
        summary = SUMMARY.format(made=made, kept=kept, failed=failed)
        if failed:
            raise CommandError(f"{summary} {ADVICE}")
        self.stdout.write(summary)
