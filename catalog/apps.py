from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal handlers)
        from .oai import checks  # noqa: F401  (registers the checks of the OAI-PMH settings)
        from .delivery import checks as delivery_checks  # noqa: F401  (and of file sending)
        from .exports.ead import checks as ead_checks  # noqa: F401  (and of apeEAD's codes)
        from .imports.ead import checks as ead_import_checks  # noqa: F401  (and of the EAD import's cap)
        from .iiif.image import checks as iiif_checks  # noqa: F401  (and of the IIIF cache's place)
