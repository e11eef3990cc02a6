"""/oai is the baseURL: no trailing slash, and it must answer without a redirect. /oai/browse
answers the same requests as pages for people (pages.py)."""
from django.urls import path

from . import endpoint, pages

urlpatterns = [
    path("oai", endpoint.oai, name="oai"),
    path("oai/schemas/<str:name>", endpoint.schema, name="oai-schema"),
    path("oai/browse", pages.browse, name="oai-browse"),  # the same verbs, as pages for people
]
