from django.apps import AppConfig
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "catalog.materials"
    label = "materials"
    verbose_name = _("Kinds of material")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_seed, sender=self, dispatch_uid="materials-seed")


def _seed(sender, using="default", **kwargs):
    # `flush` (a transactional test's) empties the tables migration 0002 filled, then sends
    # post_migrate as migrate does: a catalogue with no template gets the shipped ones again.
    from ..models import Level
    from .models import MaterialTemplate, TemplateElement
    from .shipped import write

    if using != "default" or MaterialTemplate._meta.db_table not in connection.introspection.table_names():
        return
    if not MaterialTemplate.objects.exists():
        write(MaterialTemplate, TemplateElement, Level)
