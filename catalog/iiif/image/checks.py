"""System check: behind nginx the IIIF cache must lie where the internal location points."""
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext_lazy as _

from . import cache

CACHE_OUTSIDE_MEDIA = _(
    "ARKIV_IIIF_CACHE_DIR “%(path)s” is outside MEDIA_ROOT, which nginx's internal location "
    "maps: with ARKIV_FILE_SENDING=x-accel-redirect no cached IIIF image could be sent."
)
CACHE_OUTSIDE_MEDIA_HINT = _("Leave ARKIV_IIIF_CACHE_DIR unset, or choose a folder inside MEDIA_ROOT.")


@register("delivery")
def check_cache_location(app_configs=None, **kwargs):
    if settings.ARKIV_FILE_SENDING != "x-accel-redirect":
        return []
    if cache.root().resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        return []
    return [Error(
        CACHE_OUTSIDE_MEDIA % {"path": cache.root()}, hint=str(CACHE_OUTSIDE_MEDIA_HINT),
        id="arkiv.iiif.E001",
    )]
