from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("catalog.oai.urls")),  # /oai, the OAI-PMH baseURL: no trailing slash, no redirect
    path("", include("catalog.urls")),
]


def serve_media(request, path):
    # MEDIA_ROOT is read per request, not when this module is imported, so a changed setting
    # (a test's temporary media folder) is the one served.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.ARKIV_SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [re_path(rf"^{media_prefix}/(?P<path>.*)$", serve_media)]
