"""CSV import and export in the admin: upload → preview of the plan → confirm → summary.

The views only move files and requests about; the import engine (catalog.imports) reads,
plans and applies, and catalog.imports.jobs keeps an import's state between requests. Large
files are planned and applied by a task (catalog.tasks) while the page shows their progress,
whether the task still waits for a worker, and, if its worker died, a button to run it again.
"""
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..exports.csv import csv_response
from ..imports import jobs
from ..imports.plan import CREATE, ERROR, UPDATE
from ..models import Item

# Importing is a permission of its own (an archive may keep bulk changes to a few people), and an
# import adds and changes items. Both groups have it; rows that publish or withdraw need
# catalog.publish_item as well, which the planner checks row by row.
IMPORT_PERMISSIONS = ("catalog.import_items", "catalog.add_item", "catalog.change_item")
PAGE_SIZE = 50

IMPORT_NOT_ALLOWED = _(
    "Importing needs the permissions to import, add and change items: ask an administrator to "
    "put you in the Cataloguer or Editor group."
)
NO_SUCH_IMPORT = _("No such import: it may have been removed after a week. Upload the file again.")
IMPORT_TITLE = _("Import items from CSV")
IMPORTING_TITLE = _("Importing %(file_name)s")
PREVIEW_TITLE = _("Preview of %(file_name)s")
IMPORTED_TITLE = _("Imported %(file_name)s")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(part, initial) for part in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("CSV or EAD file"),
        help_text=_("One row per item, saved as “CSV UTF-8”; or a finding aid in EAD (from AtoM or "
                    "ArchivesSpace). Nothing is changed until you confirm the preview."),
    )
    fonds_identifier = forms.CharField(
        required=False, max_length=100, label=_("Identifier of the new fonds (EAD)"),
        help_text=_("An EAD file becomes a new fonds with this identifier, its units numbered below it "
                    "(KF-1, KF-2 …). Empty: made from the finding aid's unitid."),
    )
    files = MultipleFileField(
        required=False, label=_("Files"),
        help_text=_("The images or PDFs the files column names, if any (select them all at once)."),
    )
    create_authorities = forms.BooleanField(
        required=False, label=_("Create authority records for names that match none"),
        help_text=_("Otherwise a creator, contributor, subject or place that matches no record "
                    "(by its name or a variant) is reported as an error."),
    )
    accept_unreadable_dates = forms.BooleanField(
        required=False, label=_("Keep dates Arkiv cannot read as they are written"),
        help_text=_("Otherwise a date such as “undated” is reported as an error; kept, it flags its "
                    "item, which is then not sorted or found by date."),
    )


class ConfirmForm(forms.Form):
    label_suffix = ""
    skip_bad_rows = forms.BooleanField(required=False, label=_("Skip the rows with errors and import the others"))


class PlanEntries:
    """A page-able view of a plan's entries, for Paginator: it reads only the page shown."""

    def __init__(self, store, actions):
        self.store, self.actions = store, actions

    def count(self):
        return self.store.count(self.actions)

    def __getitem__(self, window):
        return self.store.entries(self.actions, offset=window.start, limit=window.stop - window.start)


def import_urls(model_admin):
    wrap = model_admin.admin_site.admin_view
    name = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    return [
        path("import/", wrap(partial(upload_view, model_admin)), name=f"{name}_import"),
        path("import/<str:token>/", wrap(partial(job_view, model_admin)), name=f"{name}_import_job"),
    ]


def _check_permission(request):
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied(IMPORT_NOT_ALLOWED)


def _context(model_admin, request, **extra):
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **extra}


def _job_url(token):
    return reverse("admin:catalog_item_import_job", kwargs={"token": token})


def upload_view(model_admin, request):
    _check_permission(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.Job.create(
            user=request.user, upload=form.cleaned_data["csv_file"], files=form.cleaned_data["files"],
            create_authorities=form.cleaned_data["create_authorities"],
            accept_unreadable_dates=form.cleaned_data["accept_unreadable_dates"],
            fonds_identifier=form.cleaned_data["fonds_identifier"].strip(),
        )
        job.plan(user=request.user, background=_is_large(job))
        return redirect(_job_url(job.token))
    return TemplateResponse(request, "admin/catalog/import_form.html", _context(
        model_admin, request, title=IMPORT_TITLE, form=form,
    ))


def _is_large(job):
    return job.status["size"] > settings.ARKIV_IMPORT_BACKGROUND_BYTES


def job_view(model_admin, request, token):
    _check_permission(request)
    job = jobs.Job.get(token, request.user)
    if job is None:
        raise Http404(NO_SUCH_IMPORT)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if request.POST.get("retry") and job.stalled:
            job.retry(user=request.user)
        elif form.is_valid():
            job.apply(user=request.user, skip_bad_rows=form.cleaned_data["skip_bad_rows"], background=_is_large(job))
        return redirect(_job_url(job.token))
    status = job.status
    state = status["state"]
    if state in jobs.RUNNING:
        return TemplateResponse(request, "admin/catalog/import_progress.html", _context(
            model_admin, request, title=IMPORTING_TITLE % {"file_name": status["file_name"]}, status=status,
            percent=int(100 * status["progress"] / max(status["size"], 1)), **task_state(job, _job_url(job.token)),
        ))
    store = job.store()
    try:
        if state == jobs.APPLIED:
            return _summary(model_admin, request, job, status, store)
        return _preview(model_admin, request, job, status, store)
    finally:
        store.close()


def task_state(job, job_url):
    """What the progress page says of the job's task (includes/task_state.html)."""
    stalled = job.stalled
    return {
        "waiting": job.waiting, "stalled": stalled, "stalled_message": job.stalled_message if stalled else "",
        "job_url": job_url,
    }


def _preview(model_admin, request, job, status, store):
    result = status.get("result") or {}
    page = Paginator(PlanEntries(store, [CREATE, UPDATE, ERROR]), PAGE_SIZE).get_page(request.GET.get("page"))
    _link_items(page.object_list)
    counts = result.get("counts", {})
    return TemplateResponse(request, "admin/catalog/import_preview.html", _context(
        model_admin, request, title=PREVIEW_TITLE % {"file_name": status["file_name"]}, status=status, result=result,
        counts=counts, page=page, file_errors=[] if result.get("readable", True) else store.errors(limit=200),
        ead=store.get("ead"),
        can_apply=status["state"] == jobs.PLANNED and result.get("readable") and (counts.get(CREATE) or counts.get(UPDATE)),
        confirm_form=ConfirmForm(), job_url=_job_url(job.token),
    ))


def _summary(model_admin, request, job, status, store):
    page = Paginator(PlanEntries(store, [CREATE, UPDATE]), PAGE_SIZE).get_page(request.GET.get("page"))
    _link_items(page.object_list)
    return TemplateResponse(request, "admin/catalog/import_summary.html", _context(
        model_admin, request, title=IMPORTED_TITLE % {"file_name": status["file_name"]}, status=status,
        result=status["result"], counts=status["result"]["counts"], page=page,
    ))


def _link_items(entries):
    """Give each entry the admin and public addresses of its item, in one query."""
    found = Item.objects.filter(identifier__in=[e["identifier"] for e in entries]).values_list("identifier", "pk", "status")
    items = {identifier: (pk, item_status) for identifier, pk, item_status in found}
    for entry in entries:
        pk, item_status = items.get(entry["identifier"], (None, None))
        entry["admin_url"] = reverse("admin:catalog_item_change", args=[pk]) if pk else ""
        entry["public_url"] = reverse("catalog:item", kwargs={"identifier": entry["identifier"]}) if item_status == Item.PUBLISHED else ""


@admin.action(description=_("Export selected items as CSV"), permissions=["view"])
def export_csv(model_admin, request, queryset):
    return csv_response(queryset.order_by("identifier"), f"arkiv-items-{timezone.now():%Y%m%d-%H%M}.csv")
