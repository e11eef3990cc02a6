"""Authority records: one admin for every kind (the authority autocomplete searches it) and one
per kind (agents, places, concepts), with variants and external links inline and a merge action.
"""
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .. import services
from ..forms import AuthorityMergeForm, check_merge_selection
from ..models import Agent, Authority, AuthorityLink, AuthorityVariant, Concept, Place, Statement
from .items import counted_items
from .history import RecordHistoryMixin

MERGED = ngettext_lazy(
    "Merged %(count)d record into “%(target)s”; its label is now a variant, so searches for it "
    "still find the items.",
    "Merged %(count)d records into “%(target)s”; their labels are now its variants, so searches "
    "for them still find the items.",
    "count",
)
# The kept record's history (LogEntry), in the language of whoever merged.
MERGED_LOG = _("Merged %(records)s into this record.")
QUOTED = _("“%(text)s”")
MERGE_TITLE = _("Merge authority records")


class VariantInline(admin.TabularInline):
    model = AuthorityVariant
    fields = ["label", "lang"]
    extra = 1
    verbose_name = _("variant label")
    verbose_name_plural = _("variant labels (other spellings, transliterations, earlier names)")


class LinkInline(admin.TabularInline):
    model = AuthorityLink
    fields = ["source", "uri"]
    extra = 1
    verbose_name = _("same entity elsewhere")
    verbose_name_plural = _("same entity elsewhere (Wikidata, VIAF, GeoNames, …)")
    # An address typed without a scheme is taken as https, as authority files all serve it.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


def linked_item_count():
    """Items that name the record, as a subquery: one query for the whole list, not one per row."""
    per_record = (
        Statement.objects.filter(authority=OuterRef("pk")).order_by().values("authority")
        .annotate(items=Count("item", distinct=True)).values("items")
    )
    return Coalesce(Subquery(per_record, output_field=IntegerField()), 0)


@admin.register(Authority)
class AuthorityAdmin(RecordHistoryMixin, admin.ModelAdmin):
    list_display = ["preferred_label", "kind", "dates", "variant_labels", "items_linked"]
    list_filter = ["kind"]
    search_fields = ["preferred_label", "variants__label", "=links__uri"]
    inlines = [VariantInline, LinkInline]
    actions = ["merge_authorities"]
    readonly_fields = ["items_linked"]
    list_per_page = 50
    record_fields = ["kind", "preferred_label", "agent_type", "dates", "latitude", "longitude"]

    search_help_text = _("Matches the preferred label, any variant label, or an exact external URI.")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.statements.exists():
            # Its statements chose it for its kind (a creator is an agent): changing the kind
            # would leave them pointing at a record their term does not take.
            fields.append("kind")
        return fields

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": self.record_fields}),
            (_("Notes"), {"fields": ["note"]}),
            (_("On the public site"), {"fields": ["slug", "items_linked"]}),
        ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .annotate(item_count=linked_item_count())
            .prefetch_related("variants")
        )

    @admin.display(description=_("variants"))
    def variant_labels(self, record):
        return "; ".join(variant.label for variant in record.variants.all()) or "—"

    @admin.display(description=_("items linked"), ordering="item_count")
    def items_linked(self, record):
        count = getattr(record, "item_count", None)
        if record.pk is None:
            return 0
        if count is None:  # a record not loaded through get_queryset()
            count = services.items_linked_to(record).count()
        url = reverse("admin:catalog_item_changelist") + f"?authority={record.pk}"
        return format_html('<a href="{}">{}</a>', url, counted_items(count))

    @admin.action(description=_("Merge selected records into one…"), permissions=["delete"])
    def merge_authorities(self, request, queryset):
        """Ask which record to keep, then fold the others into it with services.authority_merge."""
        records = list(queryset.order_by("preferred_label", "pk"))
        try:
            check_merge_selection(records)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        form = AuthorityMergeForm(request.POST if "apply" in request.POST else None, records=records)
        if form.is_valid():
            target = form.cleaned_data["target"]
            sources = form.sources()
            with transaction.atomic():
                for source in sources:
                    services.authority_merge(source=source, target=target)
                quoted = ", ".join(QUOTED % {"text": source} for source in sources)
                self.log_change(request, target, MERGED_LOG % {"records": quoted})
            self.message_user(
                request, MERGED % {"count": len(sources), "target": target}, messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": MERGE_TITLE,
            "subtitle": None,
            "opts": self.model._meta,
            "records": records,
            "form": form,
            "action_name": "merge_authorities",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/catalog/merge_authorities.html", context)


class KindAdmin(AuthorityAdmin):
    """The records of one kind: the kind is fixed by the proxy model, so it is not asked."""

    list_display = ["preferred_label", "dates", "variant_labels", "items_linked"]
    list_filter = []


@admin.register(Agent)
class AgentAdmin(KindAdmin):
    list_display = ["preferred_label", "agent_type", "dates", "variant_labels", "items_linked"]
    list_filter = ["agent_type"]
    record_fields = ["preferred_label", "agent_type", "dates"]


@admin.register(Place)
class PlaceAdmin(KindAdmin):
    list_display = ["preferred_label", "latitude", "longitude", "variant_labels", "items_linked"]
    record_fields = ["preferred_label", "latitude", "longitude"]


@admin.register(Concept)
class ConceptAdmin(KindAdmin):
    record_fields = ["preferred_label", "dates"]
