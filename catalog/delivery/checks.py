"""System checks of the file-sending settings: a wrong value would answer every file with an
empty body, so `manage.py check` says so first."""
from django.conf import settings
from django.core.checks import Error, register

from .sending import SENDERS


@register("delivery")
def check_file_sending(app_configs=None, **kwargs):
    if settings.ARKIV_FILE_SENDING in SENDERS:
        return []
    return [Error(
        f"ARKIV_FILE_SENDING “{settings.ARKIV_FILE_SENDING}” is none of {', '.join(SENDERS)}.",
        hint="Leave it unset (Django sends files), or set x-accel-redirect behind nginx or "
             "x-sendfile behind Apache or lighttpd, as the README's deployment section shows.",
        id="arkiv.delivery.E001",
    )]
