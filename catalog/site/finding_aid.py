"""The EAD finding aid of a published unit, as a download (catalog/exports/ead writes it).

Streamed from the same generator as `manage.py export_ead`: a fonds of any size is never held
in memory, and the first bytes leave before the last units are read. Only published units are
served, and only what is published below them, for staff too: a download is what the public
may read. An unknown format is a missing page; so is apeEAD when the repository's codes do not
fit Archives Portal Europe's profile (`manage.py check` says so, arkiv.ead.W001).
"""
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from ..exports import ead
from ..models import Item
from .addresses import base_url

CONTENT_TYPE = "application/xml"


def download(request, identifier, format):
    try:
        ead.get(format)
    except (ead.UnknownFormat, ead.NotExportable) as problem:
        raise Http404(str(problem)) from None
    unit = get_object_or_404(Item.objects.published().select_related("level"), identifier=identifier)
    response = StreamingHttpResponse(
        ead.stream(unit, format, site_url=base_url(request).rstrip("/")), content_type=CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{identifier}.{format}.xml"'
    return response
