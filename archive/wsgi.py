"""WSGI entry point (gunicorn archive.wsgi, runserver): each web process loads Django, then reads
the facet index into memory beside serving (catalog/facets/bitmaps.py)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

from catalog.facets import bitmaps  # noqa: E402 - needs the apps loaded above

bitmaps.read_in_background()
