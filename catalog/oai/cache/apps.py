from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FragmentCacheConfig(AppConfig):
    name = "catalog.oai.cache"
    label = "oai_cache"
    verbose_name = _("OAI-PMH record cache")
    default_auto_field = "django.db.models.BigAutoField"
