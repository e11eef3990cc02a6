"""/oai is the baseURL: no trailing slash, and it must answer without a redirect."""
from django.urls import path

from . import endpoint

urlpatterns = [
    path("oai", endpoint.oai, name="oai"),
    path("oai/schemas/<str:name>", endpoint.schema, name="oai-schema"),
]
