"""System checks of the file-sending settings: a wrong value would answer every file with an
empty body, so `manage.py check` says so first."""
from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext_lazy as _

from .sending import SENDERS

UNKNOWN_SENDER = _("ARKIV_FILE_SENDING “%(value)s” is none of %(senders)s.")
UNKNOWN_SENDER_HINT = _(
    "Leave it unset (Django sends files), or set x-accel-redirect behind nginx or x-sendfile "
    "behind Apache or lighttpd, as the README's deployment section shows."
)


@register("delivery")
def check_file_sending(app_configs=None, **kwargs):
    if settings.ARKIV_FILE_SENDING in SENDERS:
        return []
    return [Error(
        UNKNOWN_SENDER % {"value": settings.ARKIV_FILE_SENDING, "senders": ", ".join(SENDERS)},
        hint=str(UNKNOWN_SENDER_HINT),
        id="arkiv.delivery.E001",
    )]
