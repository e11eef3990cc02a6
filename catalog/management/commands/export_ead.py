"""Write a finding aid: `manage.py export_ead UNIT --out FILE [--format ead3|apeead]`.

UNIT is the identifier of a published unit, usually a fonds: the file holds it and every
published unit below it (catalog.exports.ead). The file is replaced only once it is complete;
stopped halfway (an error, Ctrl-C, `kill`) the export removes its partial file and leaves what
was at FILE as it was.
"""
import sys
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import formats as number_formats
from django.utils.translation import gettext, gettext_lazy as _, ngettext, pgettext
from tqdm import tqdm

from catalog import arrangement
from catalog.exports import ead
from catalog.management.commands.export_xml import INTERRUPTED, _Stopped, _stopping_cleanly
from catalog.management.translated import TranslatedCommand
from catalog.models import Item

HELP = _(
    "Write the finding aid of a published unit (a fonds, a series …) and of every published unit "
    "below it as one EAD document: EAD3, or apeEAD for Archives Portal Europe. The file is "
    "replaced only once it is complete."
)
NO_SUCH_UNIT = _("There is no unit “%(unit)s”: give the identifier of a unit, as in its address /items/<identifier>/.")
NOT_PUBLISHED = _(
    "“%(unit)s” is not published, or a unit above it is a draft: a finding aid holds only what "
    "the public may read. Publish it (and the units above it) first."
)
PROGRESS_EVERY = 500  # units between updates of the progress bar


class Command(TranslatedCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("unit", metavar="UNIT", help=_("Identifier of the unit at the top of the finding aid."))
        parser.add_argument("--out", required=True, help=_("The file to write (replaced atomically)."))
        parser.add_argument(
            "--format", choices=list(ead.FORMATS), default="ead3",
            help=_("ead3 (default), or apeead for Archives Portal Europe."),
        )
        parser.add_argument(
            "--site-url", default=settings.ARKIV_BASE_URL,
            help=_("The public site's address, to link units to their pages and public files "
                   "(default: ARKIV_BASE_URL; without one the finding aid has no links)."),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("Do not show a progress bar."))

    def handle(self, *args, **options):
        identifier, out = options["unit"], options["out"]
        unit = Item.objects.select_related("level").filter(identifier=identifier).first()
        if unit is None:
            raise CommandError(str(NO_SUCH_UNIT % {"unit": identifier}))
        if not unit.is_public:
            raise CommandError(str(NOT_PUBLISHED % {"unit": identifier}))
        try:
            ead.get(options["format"])
        except ead.NotExportable as problem:
            raise CommandError(str(problem)) from None
        started = time.perf_counter()
        written = 0
        total = 1 + Item.objects.published().filter(arrangement.subtree_q(unit)).count()
        with tqdm(
            total=total, unit=" " + pgettext("progress bar unit", "units"), file=sys.stderr,
            disable=options["no_progress"], desc=gettext("Exporting"),
        ) as bar:
            try:
                with _stopping_cleanly(), ead.atomic(out) as handle:
                    for _unit in ead.units_written(unit, handle, options["format"], site_url=options["site_url"] or ""):
                        written += 1
                        if written % PROGRESS_EVERY == 0:
                            bar.update(PROGRESS_EVERY)
                bar.update(written % PROGRESS_EVERY)
            except ead.CannotWrite as problem:
                raise CommandError(str(problem)) from None
            except _Stopped as stopped:
                # The shell's convention for a process ended by a signal: 128 + its number.
                raise CommandError(str(INTERRUPTED % {"out": out}), returncode=128 + stopped.signum) from None
        seconds = time.perf_counter() - started
        self.stdout.write(ngettext(
            "Wrote %(count)d unit to %(out)s in %(seconds)s s (%(rate)s units/s).",
            "Wrote %(count)d units to %(out)s in %(seconds)s s (%(rate)s units/s).", written,
        ) % {
            "count": written, "out": out, "seconds": number_formats.number_format(seconds, 1),
            "rate": number_formats.number_format(written / seconds if seconds else 0, 0, force_grouping=True),
        })
