"""Items: the description form with its statements and files, the list, publish and withdraw.

Publishing, withdrawing and deleting belong to Editors (the permission catalog.publish_item and
delete_item). For everyone else the status is read-only, so a crafted POST cannot set it, and
the actions are not offered; the services check the permission once more.

The statements of an item are edited here up to ARKIV_MAX_STATEMENTS_PER_ITEM; an item that has
more (written before the cap, or under a higher one) opens without them, since a form row for
each of 20,000 statements took 700 MB to draw.
"""
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .. import services
from ..forms import DigitalFileFormSet, ItemForm, StatementForm, StatementFormSet
from ..models import Item, Statement
from ..search import search_items
from .files import DigitalFileInline
from .filters import AuthorityFilter, CollectionFilter, DecadeFilter, HasFileFilter
from .imports import export_csv, import_urls

STATEMENTS_NOT_SHOWN = _(
    "%(identifier)s has %(count)d statements, more than the %(limit)d an item may have, so they "
    "are not shown here: export the item as CSV (“Export selected items as CSV” in the list), "
    "shorten its lists and import the file again."
)
# How a date was read (dates.parse): None on a side is an open end, on both a statement that the
# item is undated.
DATE_OPEN_END = _("“%(text)s”: from %(earliest)s, open at the end")
DATE_OPEN_START = _("“%(text)s”: to %(latest)s, open at the start")
DATE_UNDATED = _("“%(text)s”: undated, so the item is not sorted or faceted by date")
DATE_READ = _("“%(text)s”: from %(earliest)s to %(latest)s")
DATE_UNREADABLE = _(
    "“%(text)s” could not be read, so the item is not sorted or faceted by date: write it as "
    "1945-09-24, 1945-09, 1945, circa 1945, 1940s or 1944/1945."
)
NO_DATE = _("No date statement yet (dcterms:created, dc:date, …).")
DATE_NOT_READ_TITLE = _("This date could not be read")

ITEMS = ngettext_lazy("%(count)d item", "%(count)d items", "count")
# What the list actions did, by the status they moved the items to.
MOVED = {
    Item.PUBLISHED: ngettext_lazy("%(count)d item published.", "%(count)d items published.", "count"),
    Item.WITHDRAWN: ngettext_lazy("%(count)d item withdrawn.", "%(count)d items withdrawn.", "count"),
}
ALREADY = {
    Item.PUBLISHED: ngettext_lazy(
        "%(count)d item already published: left unchanged.",
        "%(count)d items already published: left unchanged.", "count",
    ),
    Item.WITHDRAWN: ngettext_lazy(
        "%(count)d item already withdrawn: left unchanged.",
        "%(count)d items already withdrawn: left unchanged.", "count",
    ),
}
# The item's history (LogEntry): written in the language of whoever acted.
MOVED_LOG = {
    Item.PUBLISHED: _("Published through the list action."),
    Item.WITHDRAWN: _("Withdrawn through the list action."),
}


def counted_items(number):
    """“1 item”, “2 items”, in the active language."""
    return ITEMS % {"count": number}


class StatementInline(admin.TabularInline):
    model = Statement
    form = StatementForm
    formset = StatementFormSet
    fields = ["position", "term", "value", "lang", "authority"]
    autocomplete_fields = ["authority"]
    ordering = ["position", "id"]
    verbose_name = _("Dublin Core statement")
    verbose_name_plural = _("Dublin Core statements")

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj else 4

    def get_max_num(self, request, obj=None, **kwargs):
        # No row to add beyond the cap; StatementFormSet gives the reason if a POST has more.
        return settings.ARKIV_MAX_STATEMENTS_PER_ITEM

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("authority")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    form = ItemForm
    inlines = [StatementInline, DigitalFileInline]
    list_display = ["identifier", "title", "dcmi_type", "status", "date", "modified"]
    list_filter = [
        "status", "dcmi_type", ("collections", CollectionFilter),
        DecadeFilter, HasFileFilter, AuthorityFilter,
    ]
    search_fields = ["identifier"]  # and the full-text index: see get_search_results()
    search_help_text = _(
        "Finds any part of an identifier, and words of any statement, of the full text, and of "
        "linked authority records' labels and variant spellings."
    )
    actions = ["publish_items", "withdraw_items", export_csv]
    change_list_template = "admin/catalog/import_changelist.html"  # adds “Import CSV”
    autocomplete_fields = ["collections"]
    readonly_fields = ["dating", "created", "modified"]
    fieldsets = [
        (None, {"fields": ["identifier", "dcmi_type", "status", "collections"]}),
        (_("Full text"), {"fields": ["full_text"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["dating", "created", "modified"]}),
    ]
    list_per_page = 50

    def get_urls(self):
        return import_urls(self) + super().get_urls()

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and _statement_count(obj) > settings.ARKIV_MAX_STATEMENTS_PER_ITEM:
            inlines = [inline for inline in inlines if not isinstance(inline, StatementInline)]
        return inlines

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and _statement_count(obj) > settings.ARKIV_MAX_STATEMENTS_PER_ITEM:
            self.message_user(request, STATEMENTS_NOT_SHOWN % {
                "identifier": obj.identifier, "count": _statement_count(obj),
                "limit": settings.ARKIV_MAX_STATEMENTS_PER_ITEM,
            }, messages.WARNING)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("title"), ordering="sort_title")
    def title(self, item):
        return item.sort_title or "—"

    @admin.display(description=_("date"), ordering="date_earliest")
    def date(self, item):
        if item.date_unparsed:
            return format_html('{} <span title="{}">⚠</span>', item.date_text, DATE_NOT_READ_TITLE)
        return item.date_text or "—"

    @admin.display(description=_("date as read"))
    def dating(self, item):
        if not item.date_text:
            return NO_DATE
        if item.date_unparsed:
            return DATE_UNREADABLE % {"text": item.date_text}
        if item.date_earliest is None and item.date_latest is None:
            return DATE_UNDATED % {"text": item.date_text}
        if item.date_latest is None:
            return DATE_OPEN_END % {"text": item.date_text, "earliest": f"{item.date_earliest:%Y-%m-%d}"}
        if item.date_earliest is None:
            return DATE_OPEN_START % {"text": item.date_text, "latest": f"{item.date_latest:%Y-%m-%d}"}
        return DATE_READ % {
            "text": item.date_text, "earliest": f"{item.date_earliest:%Y-%m-%d}",
            "latest": f"{item.date_latest:%Y-%m-%d}",
        }

    def get_search_results(self, request, queryset, search_term):
        # Words go through the full-text index: a substring scan of every statement value and
        # authority label, joined and de-duplicated, takes seconds on a catalogue of 100,000 items.
        term = search_term.strip()
        if not term:
            return queryset, False
        indexed = search_items(Item.objects.all(), term).values("pk")
        return queryset.filter(Q(identifier__icontains=term) | Q(pk__in=indexed)), False

    # --- who may do what ------------------------------------------------------------------

    def has_publish_permission(self, request):
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("status")
        if obj is not None and obj.ever_published:
            fields.append("identifier")  # part of the OAI identifier harvesters keep forever
        return fields

    # --- validating: images are decoded once the rest of the page is valid -----------------

    def save_form(self, request, form, change):
        request.arkiv_item_form_valid = True  # Django calls this only for a valid item form
        return super().save_form(request, form, change)

    def _create_formsets(self, request, obj, change):
        # The one place where the admin holds the item form's outcome and every formset of the
        # page; Django offers no public hook that sees both.
        formsets, inlines = super()._create_formsets(request, obj, change)
        others = [f for f in formsets if not isinstance(f, DigitalFileFormSet)]
        for formset in formsets:
            if isinstance(formset, DigitalFileFormSet):
                formset.ready = lambda: getattr(request, "arkiv_item_form_valid", False) and all(
                    other.is_valid() for other in others
                )
        return formsets, inlines

    # --- saving: a new status waits until the statements are saved --------------------------

    def save_model(self, request, obj, form, change):
        # Publishing needs a title, and the statements are saved after the item: the item is
        # saved with its old status, and save_related() moves it through the services.
        form.requested_status = obj.status
        if "status" in form.changed_data:
            obj.status = form.initial.get("status", Item.DRAFT)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item, requested = form.instance, getattr(form, "requested_status", None)
        if requested is None or requested == item.status:
            return
        # Saving the statements recomputed the title and date caches in the database; saving
        # this instance as it was would write the old ones back.
        item.refresh_from_db()
        if requested == Item.PUBLISHED:
            services.item_publish(item=item, user=request.user)
        elif requested == Item.WITHDRAWN:
            services.item_withdraw(item=item, user=request.user)
        else:
            if not self.has_publish_permission(request):
                raise PermissionDenied(services.PUBLISH_DENIED)
            item.status = requested
            item.save()

    # --- actions ----------------------------------------------------------------------------

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish_items(self, request, queryset):
        self._move(request, queryset, Item.PUBLISHED, services.item_publish)

    @admin.action(description=_("Withdraw selected items from the public"), permissions=["publish"])
    def withdraw_items(self, request, queryset):
        self._move(request, queryset, Item.WITHDRAWN, services.item_withdraw)

    def _move(self, request, queryset, status, service):
        """Apply a status service to each selected item; one refusal does not stop the others."""
        already = queryset.filter(status=status).count()
        moved, refusals = 0, []
        for item in queryset.exclude(status=status):
            try:
                with transaction.atomic():
                    service(item=item, user=request.user)
            except ValidationError as error:
                refusals.extend(error.messages)
            else:
                moved += 1
                self.log_change(request, item, str(MOVED_LOG[status]))
        if moved:
            self.message_user(request, MOVED[status] % {"count": moved}, messages.SUCCESS)
        if already:
            self.message_user(request, ALREADY[status] % {"count": already}, messages.INFO)
        for refusal in refusals:
            self.message_user(request, refusal, messages.ERROR)


def _statement_count(item):
    """How many statements `item` has, counted once per instance (the admin asks several times
    a request)."""
    if getattr(item, "_statement_count", None) is None:
        item._statement_count = Statement.objects.filter(item=item).count()
    return item._statement_count
