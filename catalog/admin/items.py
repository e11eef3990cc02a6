"""Items: the description form with its statements and files, the list, publish and withdraw.

Publishing, withdrawing and deleting belong to Editors (the permission catalog.publish_item and
delete_item). For everyone else the status is read-only, so a crafted POST cannot set it, and
the actions are not offered; the services check the permission once more.

The statements of an item are edited here up to ARKIV_MAX_STATEMENTS_PER_ITEM; an item that has
more (written before the cap, or under a higher one) opens without them, since a form row for
each of 20,000 statements took 700 MB to draw.

A unit's place in the arrangement is edited here too (level, part of, local code, system of
arrangement); its position among its siblings is not a field: a new unit goes after the last one
under its parent, as does a unit given another parent, and the arrangement page reorders them
(arrangement.py). A change of parent, local code or public status reaches every unit below it
(catalog/receivers.py). For a unit with more units below it than ARKIV_MOVE_INLINE_UNITS allows
in a request, the form saves everything else at once and hands that change to a background job
(arrangement.start_change), and the answer is the job's progress page. Changing the parent here
is checked as the Move page checks it (arrangement_forms): a cycle, a taken reference code, and
the permission to publish for a move that shows or hides published units.
"""
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .. import arrangement, relations, services
from ..arrangement import jobs
from ..forms import DigitalFileFormSet, ItemForm
from ..models import Item, Level, Statement
from . import sibling_order
from .arrangement import arrangement_urls, job_url, start_change
from .editor.inline import StatementEditor
from .editor.item_form import TemplateChoice
from .arrangement_forms import BEING_CHANGED, MOVE_NEEDS_PUBLISH, may_publish, plan_move
from .files import DigitalFileInline
from .batch import BatchEditMixin
from .history import ItemHistoryMixin
from .filters import AuthorityFilter, CollectionFilter, DecadeFilter, HasFileFilter, RightsFilter
from .imports import export_csv, import_urls
from .item_search import ItemSearchMixin  # the list's search and counts, at scale
from .ingest import ingest_urls

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


REFERENCE_NOT_YET = _("Composed when the unit is saved.")


def suggested_level(parent):
    """The level a new unit under `parent` most likely has: that of the last unit under it, else
    the next narrower level after the parent's (by Level.position)."""
    last = Item.objects.filter(parent=parent).order_by("-position", "-id").select_related("level").first()
    if last is not None and last.level is not None:
        return last.level
    if parent.level is None:
        return None
    return Level.objects.filter(position__gt=parent.level.position).order_by("position", "code").first()


def counted_items(number):
    """“1 item”, “2 items”, in the active language."""
    return ITEMS % {"count": number}


class StatementInline(StatementEditor, admin.TabularInline):
    """The statements, drawn and enhanced as the editor by StatementEditor (editor/inline.py)."""

    model = Statement
    fk_name = "item"  # not `target`, the item a relation statement names
    fields = ["position", "term", "value", "lang", "authority", "target"]
    autocomplete_fields = ["authority", "target"]
    ordering = ["position", "id"]
    verbose_name = _("Dublin Core statement")
    verbose_name_plural = _("Dublin Core statements")

    class Media:
        js = ["catalog/statement-target.js"]  # the related item, offered on relation terms only

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "target":
            # Which terms the related item belongs to, for statement-target.js.
            field.widget.attrs["data-relation-terms"] = " ".join(relations.RELATION_TERMS)
        return field

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj else 4

    def get_max_num(self, request, obj=None, **kwargs):
        # No row to add beyond the cap; StatementFormSet gives the reason if a POST has more.
        return settings.ARKIV_MAX_STATEMENTS_PER_ITEM

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("authority", "target")


class ArrangedItemForm(TemplateChoice, ItemForm):
    """The item form with the checks of a change of parent that Item.clean() cannot make: the
    permission to publish when the move shows or hides published units, and no background job
    still working on the unit. ItemAdmin.get_form() gives each request's form class its user."""

    user = None

    def clean(self):
        data = super().clean()
        stored = self.instance  # the form's values are put on it only after clean()
        if stored.pk is None or "parent" not in self.changed_data or "parent" in self.errors:
            return data
        if jobs.Job.running_for(stored.pk):
            raise ValidationError(BEING_CHANGED, code="being_changed", params={"unit": stored.identifier})
        if not may_publish(self.user) and plan_move(stored, data.get("parent")).needs_publish:
            self.add_error("parent", ValidationError(MOVE_NEEDS_PUBLISH, code="move_needs_publish"))
        return data


@admin.register(Item)
class ItemAdmin(ItemSearchMixin, ItemHistoryMixin, BatchEditMixin, admin.ModelAdmin):
    form = ArrangedItemForm
    inlines = [StatementInline, DigitalFileInline]
    list_display = ["identifier", "title", "reference_column", "level", "dcmi_type", "status", "date", "modified"]
    list_filter = [
        "status", "level", "dcmi_type", ("collections", CollectionFilter),
        DecadeFilter, HasFileFilter, AuthorityFilter, RightsFilter,
    ]
    actions = ["publish_items", "withdraw_items", "batch_edit", export_csv]
    change_list_template = "admin/catalog/item/change_list.html"  # adds “Import CSV”, “Arrangements”
    autocomplete_fields = ["collections", "parent"]
    readonly_fields = ["dating", "created", "modified", "reference_code"]
    fieldsets = [
        (None, {"fields": ["template", "identifier", "dcmi_type", "status", "rights_uri", "collections"]}),
        (_("Place in the arrangement"), {
            "fields": ["level", "parent", "local_code", "reference_code", "arrangement"],
        }),
        (_("Full text"), {"fields": ["full_text"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["dating", "created", "modified"]}),
    ]
    list_per_page = 50
    # Named: a nullable foreign key is not followed by the select_related() Django adds by itself.
    list_select_related = ["level"]

    def get_urls(self):
        return import_urls(self) + ingest_urls(self) + arrangement_urls(self) + super().get_urls()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request):
        """?parent=<pk> (the “Add a unit below” link) presets the parent, and suggests the level
        and type of a new child: the level of its last sibling, else the next narrower level
        after the parent's; a DCMI type of Collection for a unit above the item level."""
        initial = super().get_changeform_initial_data(request)
        parent = Item.objects.filter(pk=initial["parent"]).select_related("level").first() if str(
            initial.get("parent", "")).isdigit() else None
        if parent is None:
            initial.pop("parent", None)
            return initial
        if "level" not in initial:
            level = suggested_level(parent)
            if level is not None:
                initial["level"] = level.pk
                if "dcmi_type" not in initial and level.code != "item":
                    initial["dcmi_type"] = "Collection"
        return initial

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and _statement_count(obj) > settings.ARKIV_MAX_STATEMENTS_PER_ITEM:
            inlines = [inline for inline in inlines if not isinstance(inline, StatementInline)]
        return inlines

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_move"] = obj is not None and self.has_change_permission(request, obj)
        if obj is not None and _statement_count(obj) > settings.ARKIV_MAX_STATEMENTS_PER_ITEM:
            self.message_user(request, STATEMENTS_NOT_SHOWN % {
                "identifier": obj.identifier, "count": _statement_count(obj),
                "limit": settings.ARKIV_MAX_STATEMENTS_PER_ITEM,
            }, messages.WARNING)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("title"), ordering="sort_title")
    def title(self, item):
        return item.sort_title or "—"

    @admin.display(description=_("reference code"), ordering="reference")
    def reference_column(self, item):
        return item.reference_code

    @admin.display(description=_("reference code"))
    def reference_code(self, item):
        return item.reference_code if item.pk else REFERENCE_NOT_YET

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
        form.carried = self._carried_in_background(obj, form) if change else None
        if not change or ("parent" in form.changed_data and not form.carried):
            obj.position = sibling_order.end_position(obj.parent)  # after the last one
        super().save_model(request, obj, form, change)

    def _carried_in_background(self, obj, form):
        """If this save changes the parent, the local code or the public status of a unit with
        more units below it than a request may carry (ARKIV_MOVE_INLINE_UNITS), put the stored
        parent and code back on `obj` (saved now with everything else) and return what the
        background job is to change; otherwise None."""
        stored = Item.objects.filter(pk=obj.pk).values(
            "parent_id", "position", "local_code", "status", "ancestors_public",
        ).first()
        changes = {}
        if obj.parent_id != stored["parent_id"]:
            changes["parent"] = obj.parent_id
        if obj.local_code != stored["local_code"]:
            changes["local_code"] = obj.local_code
        status_shows = (form.requested_status == Item.PUBLISHED) != (stored["status"] == Item.PUBLISHED)
        if not changes and not (status_shows and stored["ancestors_public"]):
            return None
        below = arrangement.subtree_size(obj)
        if below + 1 <= settings.ARKIV_MOVE_INLINE_UNITS:
            return None
        obj.parent_id, obj.position, obj.local_code = stored["parent_id"], stored["position"], stored["local_code"]
        status = form.requested_status if form.requested_status != stored["status"] else None
        return {"changes": changes, "status": status, "count": below}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item, requested = form.instance, getattr(form, "requested_status", None)
        carried = getattr(form, "carried", None)
        if carried:
            # A task, enqueued once this save is committed (it reads what the save wrote).
            request.arkiv_job = start_change(
                request, item, changes=carried["changes"], status=carried["status"], count=carried["count"],
            )
            return
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

    def response_change(self, request, obj):
        job = getattr(request, "arkiv_job", None)
        return redirect(job_url(job)) if job else super().response_change(request, obj)

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
