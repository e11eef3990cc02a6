"""Rebuild the whole search index from the catalogue."""
import time

from django.utils import formats
from django.utils.translation import gettext_lazy as _, ngettext

from catalog.management.translated import TranslatedCommand
from catalog.search import reindex_items


class Command(TranslatedCommand):
    help = _(
        "Rebuild the full-text search index of every item from its statements, linked records and "
        "full text. Searches find only part of the catalogue until it finishes."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        indexed = reindex_items()
        seconds = formats.number_format(time.perf_counter() - started, 1)
        self.stdout.write(ngettext(
            "Search index: %(count)d item in %(seconds)s s", "Search index: %(count)d items in %(seconds)s s", indexed,
        ) % {"count": indexed, "seconds": seconds})
