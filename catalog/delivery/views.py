"""The one view that hands out stored files, after the visibility rule."""
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..models import DigitalFile
from ..querysets import previews
from . import sending


@require_safe
def stored_file(request, pk, role, name):
    # A file that may not be seen is as absent as one that does not exist: 404 either way, so
    # the answer tells nothing about drafts or private originals.
    digital_file = get_object_or_404(DigitalFile.objects.visible_to(request.user).select_related("item"), pk=pk)
    preview = previews(request.user)
    stored = digital_file.stored(role, preview=preview)
    if stored is None or name != digital_file.delivered_name(role):
        raise Http404(_("No such file."))
    public = digital_file.stored(role) is not None and digital_file.item.is_published
    return sending.send(
        request, stored, content_type=_content_type(digital_file, role, stored),
        download_name=name, etag=f"{digital_file.sha256[:32]}-{role}", public=public,
    )


def _content_type(digital_file, role, stored):
    if role == "original":
        return digital_file.mime_type
    # Derivatives are JPEG, or PNG where the image has transparency (imaging._viewable).
    return "image/png" if stored.name.endswith(".png") else "image/jpeg"
