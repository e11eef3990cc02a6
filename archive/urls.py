from django.contrib import admin
from django.urls import include, path

from catalog.admin.language import language_page

# MEDIA_ROOT has no route of its own: digital files go out through catalog.delivery, which asks
# the visibility rule first.
urlpatterns = [
    path("admin/language/", language_page, name="admin_language"),  # an archivist's own language
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the switcher's cookie
    path("", include("catalog.oai.urls")),  # /oai, the OAI-PMH baseURL: no trailing slash, no redirect
    path("", include("catalog.delivery.urls")),
    path("", include("catalog.iiif.image.urls")),  # IIIF Image API, /iiif/3/<file id>/…
    path("", include("catalog.iiif.presentation.urls")),  # IIIF manifests and Collections, /iiif/3/…
    path("", include("catalog.site.urls")),
]

handler500 = "catalog.busy.server_error"  # a busy database is answered 503 “try again”, not 500
