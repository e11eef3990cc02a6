"""The archivists' admin. Importing the package (Django's admin autodiscovery does) registers the
ModelAdmins of items (with their arrangement pages), levels of description, authority records,
collections, digital files and tombstones, the language
page (language.py) and the User admin with each archivist's language preference."""
from django.conf import settings
from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import authorities, collections, files, history, items, language, levels, tombstones  # noqa: F401  (they register)
from .editor import templates  # noqa: F401  (registers the templates per kind of material)

SITE_HEADER = _("%(repository)s: cataloguing")


def _site_header():
    return SITE_HEADER % {"repository": settings.ARKIV_REPOSITORY_NAME}


# Lazy, as Django's own titles are: each request shows them in its own language.
admin.site.site_header = lazy(_site_header, str)()
admin.site.site_title = "Arkiv"
admin.site.index_title = _("Catalogue")
