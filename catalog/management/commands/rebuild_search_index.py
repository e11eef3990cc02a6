"""Rebuild the whole search index from the catalogue."""
import time

from django.core.management.base import BaseCommand

from catalog.search import reindex_items


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index of every item from its statements, linked records and "
        "full text. Searches find only part of the catalogue until it finishes."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        indexed = reindex_items()
        self.stdout.write(f"Search index: {indexed} items in {time.perf_counter() - started:.1f} s")
