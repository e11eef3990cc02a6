"""Collections: the fonds, series and themes items belong to, each an OAI set."""
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Collection, Item
from .items import counted_items
from .history import RecordHistoryMixin


def member_count():
    """Items directly in the collection, as a subquery: one query for the whole list."""
    membership = Item.collections.through.objects
    per_collection = (
        membership.filter(collection=OuterRef("pk")).order_by().values("collection")
        .annotate(items=Count("item")).values("items")
    )
    return Coalesce(Subquery(per_collection, output_field=IntegerField()), 0)


@admin.register(Collection)
class CollectionAdmin(RecordHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "identifier", "set_spec", "parent", "members"]
    search_fields = ["title", "identifier", "set_spec"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"identifier": ["title"]}
    readonly_fields = ["set_spec", "members"]
    fields = ["title", "identifier", "parent", "position", "description", "set_spec", "members"]
    list_select_related = ["parent"]
    ordering = ["set_spec"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=member_count())

    @admin.display(description=_("items"), ordering="item_count")
    def members(self, collection):
        if collection.pk is None:
            return 0
        count = getattr(collection, "item_count", None)
        if count is None:
            count = collection.items.count()
        url = reverse("admin:catalog_item_changelist") + f"?collections__id__exact={collection.pk}"
        return format_html('<a href="{}">{}</a>', url, counted_items(count))
