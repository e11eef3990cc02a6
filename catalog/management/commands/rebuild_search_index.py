"""Rebuild the whole search index from the catalogue: now, or (--background) as a task that the
task worker runs (catalog.tasks.reindex_items), so that the command returns at once."""
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

    def add_arguments(self, parser):
        parser.add_argument(
            "--background", action="store_true",
            help=_("Leave the rebuild to the task worker (manage.py db_worker) and return at once."),
        )

    def handle(self, *args, background=False, **options):
        if background:
            from catalog import tasks

            result = tasks.reindex_items.enqueue()
            self.stdout.write(_("Search index: the rebuild is queued for the task worker (task %(id)s).") % {
                "id": result.id,
            })
            return
        started = time.perf_counter()
        indexed = reindex_items()
        seconds = formats.number_format(time.perf_counter() - started, 1)
        self.stdout.write(ngettext(
            "Search index: %(count)d item in %(seconds)s s", "Search index: %(count)d items in %(seconds)s s", indexed,
        ) % {"count": indexed, "seconds": seconds})
