"""Batch edit in the admin: select items in the list → choose the edit → preview of the plan →
confirm → applied, as one change set that can be undone as one.

The views only move requests about: the edit is planned and applied by the one import engine
(catalog/imports/batch.py, csv.import_rows), and the job's state lives in a BatchJob between
requests; a large selection is applied by a task (BatchJob.apply), whose progress the preview's
address shows until it is done. Editing items is what it takes (catalog.change_item); nothing in a batch edit changes
an item's status, and the engine checks the publish permission row by row besides.
"""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..imports.batch import run_batch
from ..imports.batch_jobs import APPLIED, APPLYING, EDIT_GONE, BatchJob, gone
from ..imports.plan import ERROR, UPDATE
from ..models import Item
from .batch_forms import BatchEditForm, edit_as_json, edit_from_json
from .imports import PlanEntries

MAX_BATCH_ITEMS = 20_000
PAGE_SIZE = 50
TOO_MANY = _("A batch edit takes at most %(limit)d items at a time: select fewer (filter the list first).")
NO_SUCH_BATCH = _("No such batch edit: it may have been removed after a day. Select the items again.")
BATCH_TITLE = _("Batch edit of %(count)s")
PREVIEW_TITLE = _("Preview: %(edit)s")
APPLYING_TITLE = _("Saving: %(edit)s")
NOTHING_TO_DO = _("The edit changes none of the selected items.")


class BatchEditMixin:
    """For ItemAdmin: the action, and the form and preview pages."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("batch-edit/<str:token>/", view(self.batch_form_view), name="catalog_item_batch_edit"),
            path("batch-edit/<str:token>/preview/", view(self.batch_preview_view), name="catalog_item_batch_preview"),
        ] + super().get_urls()

    @admin.action(description=_("Batch edit selected items"), permissions=["change"])
    def batch_edit(self, request, queryset):
        pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:MAX_BATCH_ITEMS + 1])
        if len(pks) > MAX_BATCH_ITEMS:
            self.message_user(request, TOO_MANY % {"limit": MAX_BATCH_ITEMS}, messages.ERROR)
            return None
        job = BatchJob.create(user=request.user, pks=pks)
        return redirect(reverse("admin:catalog_item_batch_edit", args=[job.token]))

    def _batch_job(self, request, token):
        if not self.has_change_permission(request):
            raise PermissionDenied
        job = BatchJob.get(token, request.user)
        if job is None:
            raise Http404(NO_SUCH_BATCH)
        return job

    def _context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **context}

    def batch_form_view(self, request, token):
        job = self._batch_job(request, token)
        state = job.read()
        if state.get("state") is not None:  # being applied (or applied): its page says how far
            return redirect(reverse("admin:catalog_item_batch_preview", args=[job.token]))
        count = len(state["pks"])
        form = BatchEditForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            edit = form.cleaned_data["edit"]
            store = job.store()
            try:
                result = run_batch(edit, state["pks"], store=store, user=request.user)
            finally:
                store.close()
            job.update(edit=edit_as_json(edit), digest=result.digest, description=edit.describe())
            return redirect(reverse("admin:catalog_item_batch_preview", args=[job.token]))
        items = ngettext("%(count)d item", "%(count)d items", count) % {"count": count}
        return TemplateResponse(request, "admin/catalog/item/batch_edit.html", self._context(
            request, title=BATCH_TITLE % {"count": items}, form=form, count=count, token=token,
        ))

    def batch_preview_view(self, request, token):
        job = self._batch_job(request, token)
        state = job.read()
        if not state.get("edit"):
            return redirect(reverse("admin:catalog_item_batch_edit", args=[job.token]))
        edit = edit_from_json(state["edit"])
        if request.method == "POST":
            if request.POST.get("retry"):
                if job.stalled:
                    job.retry()
            elif gone(edit, state["edit"]):
                self.message_user(request, EDIT_GONE, messages.ERROR)
                return redirect(reverse("admin:catalog_item_batch_edit", args=[job.token]))
            elif state.get("state") is None:  # a second confirmation while it applies changes nothing
                job.apply(user=request.user, expected_digest=request.POST.get("digest"))
                state = job.read()
                if state.get("state") == APPLIED:  # applied here (a small selection): its change set
                    return self._applied(request, job, state)
            return redirect(reverse("admin:catalog_item_batch_preview", args=[job.token]))
        if state.get("state") == APPLIED:
            return self._applied(request, job, state)
        if state.get("state") == APPLYING:
            url = reverse("admin:catalog_item_batch_preview", args=[job.token])
            stalled = job.stalled
            return TemplateResponse(request, "admin/catalog/item/batch_progress.html", self._context(
                request, title=APPLYING_TITLE % {"edit": state.get("description", "")}, count=len(state["pks"]),
                token=token, waiting=job.waiting, stalled=stalled, stalled_message=job.stalled_message if stalled else "",
                job_url=url,
            ))
        if state.get("message"):  # why the last confirmation saved nothing: said once
            self.message_user(request, state["message"], messages.ERROR)
            job.update(message="")
        store = job.store()
        try:
            counts, planned = store.counts(), store.get("result") or {}
            # A plan the engine could not make at all (a pattern too slow): its messages alone.
            errors = store.errors(limit=PAGE_SIZE) if not planned.get("readable", True) else []
            page = Paginator(PlanEntries(store, [UPDATE, ERROR]), PAGE_SIZE).get_page(request.GET.get("page"))
            _link_items(page.object_list)
        finally:
            store.close()
        return TemplateResponse(request, "admin/catalog/item/batch_preview.html", self._context(
            request, title=PREVIEW_TITLE % {"edit": state.get("description", "")}, counts=counts, page=page,
            errors=errors, digest=state["digest"], token=token,
            may_apply=counts["update"] > 0 and counts["error"] == 0 and not errors,
            nothing=counts["update"] == 0 and counts["error"] == 0,
        ))

    def _applied(self, request, job, state):
        job.remove()
        if state.get("change_set") is None:
            self.message_user(request, NOTHING_TO_DO, messages.INFO)
            return redirect(reverse("admin:catalog_item_changelist"))
        text = ngettext(
            "%(count)d item changed, as change set #%(number)s: it can be undone from its page.",
            "%(count)d items changed, as change set #%(number)s: it can be undone from its page.",
            state["changed_items"],
        ) % {"count": state["changed_items"], "number": state["change_set"]}
        self.message_user(request, text, messages.SUCCESS)
        return redirect(reverse("admin:history_changeset_undo", args=[state["change_set"]]))


def _link_items(entries):
    found = dict(Item.objects.filter(identifier__in=[e["identifier"] for e in entries]).values_list("identifier", "pk"))
    for entry in entries:
        pk = found.get(entry["identifier"])
        entry["admin_url"] = reverse("admin:catalog_item_change", args=[pk]) if pk else ""
        entry["public_url"] = ""
