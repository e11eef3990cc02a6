from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "catalog.history"
    label = "history"
    verbose_name = _("History")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers, registry  # noqa: F401  (registers the models, marks changed items)

        registry.register_models()
