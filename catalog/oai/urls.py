"""Included at "oai" (no trailing slash: /oai is the baseURL, and must answer without a redirect)."""
from django.urls import path

from . import endpoint

urlpatterns = [
    path("", endpoint.oai, name="oai"),
    path("/schemas/<str:name>", endpoint.schema, name="oai-schema"),
]
