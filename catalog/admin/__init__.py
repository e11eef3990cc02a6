"""The archivists' admin. Importing the package (Django's admin autodiscovery does) registers the
ModelAdmins of items, authority records, collections, digital files and tombstones."""
from django.conf import settings
from django.contrib import admin

from . import authorities, collections, files, items, tombstones  # noqa: F401  (they register)

admin.site.site_header = f"{settings.ARKIV_REPOSITORY_NAME}: cataloguing"
admin.site.site_title = "Arkiv"
admin.site.index_title = "Catalogue"
