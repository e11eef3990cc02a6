"""The history of items in the admin: each change set that changed an item, with who, when,
through what, and each field's and element's old and new values; a button to restore the item
as any version had it; and the list of change sets, where a whole import or batch edit is undone.

The item's history page replaces Django's (ItemHistoryMixin.history_view): a page of
HISTORY_PER_PAGE change sets at a time, newest first, each compared with the version before it,
in a fixed number of queries whatever the item's length of history. It answers for an item
deleted since too (its history is kept for the tombstone's sake). Only staff who may see items
reach it; visitors have no page that reads history.
"""
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ..history import states
from ..history.diff import Names, item_changes, record_changes
from ..history.models import ChangeSet
from ..history.restore import restore_version
from ..history import undo_jobs
from ..history.undo import Blocked, blockers, undo
from ..history.undo_jobs import UndoJob
from ..models import Item

HISTORY_PER_PAGE = 25
LOG_ENTRIES = 50  # the admin's own log (moves, deletions …) shown under the change sets, newest first
HISTORY_TITLE = _("History of %(item)s")
RESTORED = _("Restored to the version of change set #%(revision)s.")
UNDONE = _("Change set #%(revision)s undone (as change set #%(undoing)s).")
CHANGE_PERMISSION = "catalog.change_item"


def admin_log(model, object_id):
    """The admin's log of the object (what Django's history page showed: moves, deletions),
    the newest LOG_ENTRIES of it."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return list(LogEntry.objects.filter(content_type=content_type, object_id=str(object_id))
                .select_related("user").order_by("-action_time")[:LOG_ENTRIES])


class ItemHistoryMixin:
    """For ItemAdmin: the history page and the restore view."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/history/<int:version_id>/restore/", view(self.restore_view),
                 name="catalog_item_restore"),
        ] + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        pk = _history_pk(self, request, object_id)
        item = Item.objects.filter(pk=pk).first()
        names = Names()
        response = _history_page(
            self, request, object_id, obj=item, versions=states.versions_of(pk),
            describe=lambda document, older: {
                "changes": item_changes(document, older, names), "identifier": document["fields"]["identifier"],
            },
            label=lambda entries: item or (entries[0]["identifier"] if entries else object_id),
            may_restore=item is not None and self.has_change_permission(request, item),
            extra_context=extra_context,
        )
        names.resolve()  # before the (lazy) response renders the names it collected
        return response

    def restore_view(self, request, object_id, version_id):
        item = get_object_or_404(Item, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, item):
            raise PermissionDenied
        version = get_object_or_404(states.versions_of(item.pk), pk=version_id)
        try:
            notes = restore_version(item=item, version=version, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        else:
            self.message_user(request, RESTORED % {"revision": version.revision_id}, messages.SUCCESS)
            for note in notes:
                self.message_user(request, note, messages.WARNING)
        return redirect(reverse("admin:catalog_item_history", args=[item.pk]))


@admin.register(ChangeSet)
class ChangeSetAdmin(admin.ModelAdmin):
    """Every change set, newest first; an import or a batch edit can be undone from its page."""

    list_display = ["number", "date", "user", "source", "detail", "items", "undone"]
    list_filter = ["source"]
    list_select_related = ["revision__user", "undone_by"]
    search_fields = ["detail"]
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("change set"), ordering="revision")
    def number(self, change_set):
        return f"#{change_set.revision_id}"

    @admin.display(description=_("date"), ordering="revision__date_created")
    def date(self, change_set):
        return change_set.revision.date_created

    @admin.display(description=_("user"))
    def user(self, change_set):
        return change_set.revision.user or "—"

    @admin.display(description=_("undone by"))
    def undone(self, change_set):
        return f"#{change_set.undone_by_id}" if change_set.undone_by_id else ""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and request.user.has_perm(CHANGE_PERMISSION)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:object_id>/undo/", view(self.undo_view), name="history_changeset_undo")] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(reverse("admin:history_changeset_undo", args=[object_id]))

    def undo_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        change_set = get_object_or_404(ChangeSet.objects.select_related("revision__user"), pk=object_id)
        here = reverse("admin:history_changeset_undo", args=[change_set.pk])
        job = UndoJob.of(change_set.pk)
        if request.method == "POST":
            if job is not None and job.status["state"] == undo_jobs.RUNNING:
                if request.POST.get("retry") and job.stalled:
                    job.retry()
                return redirect(here)  # a second click while it runs starts nothing more
            if not change_set.undoable:
                return redirect(here)
            if undo_jobs.in_background(change_set):  # minutes of work: a task's, not the request's
                UndoJob.start(change_set, user=request.user)
                return redirect(here)
            try:
                undoing = undo(revision=change_set.revision, user=request.user)
            except Blocked as blocked:
                self.message_user(request, blocked.message(), messages.ERROR)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            else:
                self.message_user(request, UNDONE % {"revision": change_set.pk, "undoing": undoing.pk}, messages.SUCCESS)
                return redirect(reverse("admin:history_changeset_changelist"))
            return redirect(here)
        task = {}
        if job is not None:
            state = job.status["state"]
            if state == undo_jobs.RUNNING:
                stalled = job.stalled
                task = {"undoing": True, "waiting": job.waiting, "stalled": stalled,
                        "stalled_message": job.stalled_message if stalled else "", "job_url": here}
            else:  # its outcome, said once
                if state == undo_jobs.DONE:
                    self.message_user(request, UNDONE % {"revision": change_set.pk, "undoing": job.status["undoing"]}, messages.SUCCESS)
                else:
                    self.message_user(request, job.status["message"], messages.ERROR)
                job.remove()
                return redirect(here)
        reasons, count = blockers(change_set.revision) if change_set.undoable and not task else ([], 0)
        context = {
            **self.admin_site.each_context(request),
            "title": str(change_set), "opts": self.model._meta, "change_set": change_set,
            "reasons": reasons, "blocked": count, "more": max(0, count - len(reasons)), **task,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/history/changeset/undo.html", context)


class RecordHistoryMixin:
    """For the authority and collection admins: their history page, field by field (restoring
    them is left to editing: a record's change reaches every item linked to it)."""

    def history_view(self, request, object_id, extra_context=None):
        pk = _history_pk(self, request, object_id)
        model = self.model._meta.concrete_model
        record = model.objects.filter(pk=pk).first()
        return _history_page(
            self, request, object_id, obj=record, versions=states.record_versions(model, pk),
            describe=lambda document, older: {"changes": record_changes(model, document, older)},
            label=lambda entries: record or object_id, may_restore=False, extra_context=extra_context,
        )


def _history_pk(model_admin, request, object_id):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    try:
        return int(object_id)
    except ValueError:
        raise Http404


def _history_page(model_admin, request, object_id, *, obj, versions, describe, label, may_restore, extra_context):
    """The history page of an item or record: its versions newest first, a bounded page of them,
    each compared with the one before; `describe(document, older)` gives an entry's changes."""
    paginator = Paginator(versions, HISTORY_PER_PAGE)
    if obj is None and not paginator.count:
        raise Http404
    page = paginator.get_page(request.GET.get("p"))
    start = (page.number - 1) * HISTORY_PER_PAGE
    # One version more than the page shows: the one the page's oldest is compared with.
    shown = list(versions[start:start + HISTORY_PER_PAGE + 1])
    entries = []
    for index, version in enumerate(shown[:HISTORY_PER_PAGE]):
        older = states.document_at(shown[index + 1]) if index + 1 < len(shown) else None
        entries.append({
            "version": version, "revision": version.revision,
            "change_set": getattr(version.revision, "change_set", None), "first": older is None,
            **describe(states.document_at(version), older),
        })
    context = {
        **model_admin.admin_site.each_context(request),
        "title": HISTORY_TITLE % {"item": label(entries)}, "subtitle": None,
        "opts": model_admin.model._meta, "object": obj, "object_id": object_id,
        "entries": entries, "page": page, "paginator": paginator, "may_restore": may_restore,
        "log_entries": admin_log(model_admin.model, object_id),
        **(extra_context or {}),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/catalog/item/history_changes.html", context)
