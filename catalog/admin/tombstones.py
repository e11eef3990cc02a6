"""Tombstones, read-only: what harvesters are told was deleted, and since when."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Tombstone


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Tombstones follow from publishing, withdrawing and deleting items; nobody edits them,
    or harvesters would be told something other than what happened."""

    list_display = ["identifier", "datestamp", "set_specs", "item_now"]
    search_fields = ["identifier"]
    date_hierarchy = "datestamp"
    list_select_related = ["item"]
    fields = ["identifier", "datestamp", "set_specs", "item_now"]
    readonly_fields = fields
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("item now"))
    def item_now(self, tombstone):
        if tombstone.item_id is None:
            return gettext("deleted")
        url = reverse("admin:catalog_item_change", args=[tombstone.item_id])
        return format_html('<a href="{}">{} ({})</a>', url, tombstone.identifier, tombstone.item.get_status_display().lower())
