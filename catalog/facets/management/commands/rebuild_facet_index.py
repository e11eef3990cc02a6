"""Rebuild the whole facet index from the catalogue (after generate_catalog or any write that
bypassed the model's signals; `migrate` does it for a catalogue whose index is empty)."""
import time

from django.utils import formats
from django.utils.translation import gettext_lazy as _, ngettext

from catalog.facets.index import rebuild
from catalog.management.translated import TranslatedCommand


class Command(TranslatedCommand):
    help = _(
        "Rebuild the facet index (the counts of the public browse) of every published item. "
        "The browse shows the old counts until it finishes."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = rebuild()
        seconds = formats.number_format(time.perf_counter() - started, 1)
        self.stdout.write(ngettext(
            "Facet index: %(count)d row in %(seconds)s s", "Facet index: %(count)d rows in %(seconds)s s", rows,
        ) % {"count": rows, "seconds": seconds})
