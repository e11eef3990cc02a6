"""Routes of the Presentation API under /iiif/3/ (included by the project's urls, beside the
Image API's /iiif/3/<file id>/…, whose first segment is a number)."""
from django.urls import path

from . import views

app_name = "iiif-presentation"

urlpatterns = [
    path("iiif/3/manifest/<str:identifier>", views.manifest, name="manifest"),
    path("iiif/3/collection/unit/<str:identifier>", views.unit_collection, name="unit-collection"),
    path("iiif/3/collection/<slug:identifier>", views.collection, name="collection"),
]
