"""Routes of the Image API under /iiif/3/<file id> (the Presentation API's are under
/iiif/3/manifest/ and /iiif/3/collection/, catalog/iiif/presentation/urls.py)."""
from django.urls import path

from . import views

app_name = "iiif-image"

urlpatterns = [
    path("iiif/3/<str:identifier>", views.base, name="base"),
    path("iiif/3/<str:identifier>/info.json", views.info_json, name="info"),
    path(
        "iiif/3/<str:identifier>/<str:region>/<str:size>/<str:rotation>/<str:quality_format>",
        views.image, name="image",
    ),
]
