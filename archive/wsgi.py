"""WSGI entry point (gunicorn archive.wsgi, runserver): each web process loads Django, freezes what
it loaded for the cyclic garbage collector, then reads the facet index into memory beside serving
(catalog/facets/bitmaps.py)."""
import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

from catalog.facets import bitmaps  # noqa: E402 - needs the apps loaded above

# Django, the apps and their translations leave about 110,000 objects that live as long as the
# process. Each full collection walked them all again: 60 ms, every few requests, on top of a
# search page of 70-120 ms (100,000 items, this machine). Frozen, a full collection walks only
# what the requests left, and the frozen objects are still freed by reference counting.
gc.freeze()
bitmaps.read_in_background()
