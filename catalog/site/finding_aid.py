"""The EAD finding aid of a published unit, as a download (catalog/exports/ead writes it).

Streamed from the same generator as `manage.py export_ead`: a fonds of any size is never held
in memory, and the first bytes leave before the last units are read. Only published units are
served, and only what is published below them (the same rule for staff: a download is what
the public may read)."""
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from ..exports import ead
from ..models import Item

CONTENT_TYPE = "application/xml"


def download(request, identifier, format):
    if format not in ead.FORMATS:
        raise Http404(str(ead.UNKNOWN_FORMAT % {"format": format, "offered": ", ".join(ead.FORMATS)}))
    unit = get_object_or_404(Item.objects.published().select_related("level"), identifier=identifier)
    response = StreamingHttpResponse(ead.stream(unit, format), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{identifier}.{format}.xml"'
    return response
