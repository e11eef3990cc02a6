"""Levels of description: data the archivists keep (an archive that describes “pieces” adds one).

A level that units have cannot be deleted (Item.level is PROTECT). Django's own delete page would
list every unit of it as a “protected related object”, a page of a million lines for the item
level; instead the page says how many units have the level and what to do, in one count.
"""
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..models import Item, Level

LEVEL_IN_USE = ngettext_lazy(
    "%(level)s is the level of %(count)d unit: give it another level first (filter the list of "
    "items by this level to find it).",
    "%(level)s is the level of %(count)d units: give them another level first (filter the list of "
    "items by this level to find them).",
    "count",
)


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "label", "ead_level", "position"]
    list_editable = ["position"]
    list_display_links = ["code"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "ead_level", "position"]
    ordering = ["position", "code"]

    @admin.display(description=_("name in your language"))
    def label(self, level):
        return level.label

    def get_deleted_objects(self, objs, request):
        """Django's delete page and the delete action ask this what deleting `objs` takes: the
        levels in use come back as refusals (`protected`), counted, never listed unit by unit."""
        levels = list(objs)
        in_use = dict(
            Item.objects.filter(level__in=levels).order_by().values("level").annotate(n=Count("pk")).values_list("level", "n")
        )
        protected = [
            LEVEL_IN_USE % {"level": level.label, "count": in_use[level.pk]} for level in levels if level.pk in in_use
        ]
        if protected:
            return [], {}, set(), protected
        return super().get_deleted_objects(levels, request)
