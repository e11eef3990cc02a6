from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacetsConfig(AppConfig):
    """The facet index, an app of its own so that its tables have migrations of their own."""

    name = "catalog.facets"
    label = "facets"
    verbose_name = _("Facet index")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (keeps the index and the catalogue version in step)
