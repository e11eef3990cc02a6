"""System check of the EAD import's setting: the cap on a file's size is what keeps an upload
from taking the server's memory (safe.py), so a value that is no cap is reported by
`manage.py check` (and runserver, migrate …) before any file is read."""
from django.conf import settings
from django.core.checks import Error, register

from .safe import MAX_BYTES

SMALLEST = 1024 * 1024
LARGEST = 1024 * 1024 * 1024


@register("ead")
def check_ead_import_settings(app_configs=None, **kwargs):
    value = getattr(settings, "ARKIV_MAX_EAD_BYTES", MAX_BYTES)
    if not isinstance(value, int) or not SMALLEST <= value <= LARGEST:
        return [Error(
            f"ARKIV_MAX_EAD_BYTES is {value!r}.",
            hint="Give it between 1 MB and 1 GB in bytes (the default, 52428800, is 50 MB): an EAD "
                 "file is held in memory as a tree while it is imported.",
            id="arkiv.ead.E001",
        )]
    return []
