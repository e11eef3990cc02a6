"""The admin of templates per kind of material: a template's defaults, and its elements in order
(a term each, marked if required for publishing). The add-item links (“Add photograph”) on the
item list and the add page read these rows."""
from django.contrib import admin

from ...materials.models import MaterialTemplate, TemplateElement


class TemplateElementInline(admin.TabularInline):
    model = TemplateElement
    fields = ["position", "term", "required"]
    ordering = ["position", "id"]
    extra = 1


@admin.register(MaterialTemplate)
class MaterialTemplateAdmin(admin.ModelAdmin):
    inlines = [TemplateElementInline]
    list_display = ["label", "code", "dcmi_type", "level", "rights_uri", "language", "position"]
    fields = ["name", "code", "position", "dcmi_type", "level", "rights_uri", "language", "collection"]
    autocomplete_fields = ["collection"]
    prepopulated_fields = {"code": ["name"]}
