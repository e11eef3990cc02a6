"""manage.py oai_fragments: store every published item's metadata in each format, and its
header, ahead of a harvest (catalog/oai/cache/fragments.py, headers.py), rather than on the first
harvest's way through.

Only what is missing or stale is built; run it again at any time. Thin: the paging is
records.page() and the building fragments.metadata() and headers.keep(), exactly as a harvest
does them.
"""
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy as _

from catalog.oai import formats, records
from catalog.oai.cache import fragments, headers

HELP = _("Store the OAI-PMH header of every published item, and its metadata in each format, where missing or stale.")
UNKNOWN = _("No metadata format “%(prefix)s”: use one of %(offered)s.")
DONE = _("%(prefix)s: %(count)s records ready in %(seconds)s s")
BATCH = 500


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--prefix", action="append", help=gettext("a metadataPrefix (default: every format)"))

    def handle(self, *args, prefix=None, **options):
        chosen = [formats.get(name) for name in prefix] if prefix else formats.all_formats()
        if None in chosen:
            unknown = prefix[chosen.index(None)]
            raise CommandError(UNKNOWN % {"prefix": unknown, "offered": ", ".join(f.prefix for f in formats.all_formats())})
        for metadata_format in chosen:
            started, count = time.perf_counter(), 0
            selection = records.Selection(include_deleted=False, condition=metadata_format.condition())
            cursor, more = records.Cursor(), True
            while more:
                found, more, cursor = records.page(selection, after=cursor, size=BATCH, stored_header=headers.stored())
                headers.keep(found)
                count += len(fragments.metadata(found, metadata_format))
            self.stdout.write(str(DONE % {
                "prefix": metadata_format.prefix, "count": count, "seconds": f"{time.perf_counter() - started:.1f}",
            }))
