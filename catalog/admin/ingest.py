"""“Ingest files” in the admin: scans (many files, or one zip) → preview → confirm → summary.

The views move requests about; catalog.imports.folder makes the items (the same engine as
`manage.py ingest_folder`), and its FolderJob keeps the job between requests and runs the
preview and the ingest as tasks (catalog.tasks), outside the request.
"""
from functools import partial

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..imports import jobs
from ..imports.folder.jobs import FolderJob
from ..imports.folder.log import DUPLICATE, EARLIER, MADE, REFUSED, WOULD_MAKE
from ..imports.folder.uploads import UnsafeZip
from ..models import Collection, Item
from ..validators import validate_identifier
from .imports import MultipleFileField, task_state

INGEST_PERMISSION = "catalog.add_item"
PAGE_SIZE = 50

INGEST_NOT_ALLOWED = _("Ingesting files makes items: ask an administrator for the permission to add items.")
NO_SUCH_INGEST = _("No such ingest: it may have been removed after a week. Upload the files again.")
ONE_OR_THE_OTHER = _("Choose the scans, or one zip of them, not both.")
NOTHING_CHOSEN = _("Choose the scans to ingest, or one zip of them.")
NO_UNIT = _("“%(value)s” is not the identifier of a unit in the catalogue.")
INGEST_TITLE = _("Ingest files")
INGESTING_TITLE = _("Ingesting the files")
PREVIEW_TITLE = _("Preview of the ingest")
INGESTED_TITLE = _("Files ingested")


class IngestForm(forms.Form):
    files = MultipleFileField(
        required=False, label=_("Scans"),
        help_text=format_lazy(
            _("Images (JPEG, PNG, TIFF, GIF, WebP) or PDFs: select them all at once, up to {count} (more in a zip). "
              "Each becomes a draft item."),
            count=settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        ),
    )
    zip_file = forms.FileField(
        required=False, label=_("Or a zip of a folder"),
        help_text=_("Each file in it becomes a draft item, and each folder in it one item with its files as pages."),
    )
    prefix = forms.CharField(
        required=False, max_length=60, label=_("Start of the identifiers"),
        help_text=_("The new items are named by it and their file names (“box7.img_0001”). Empty: the zip's name, or “scans”."),
    )
    collection = forms.ModelChoiceField(
        Collection.objects.order_by("title"), required=False, to_field_name="identifier", label=_("Add to collection"),
    )
    parent = forms.CharField(
        required=False, max_length=100, label=_("Place under unit"),
        help_text=_("The identifier of the fonds, series or file the new items go under. Empty: at the top."),
    )

    def clean_prefix(self):
        prefix = self.cleaned_data["prefix"].strip()
        if prefix:
            validate_identifier(prefix)
        return prefix

    def clean_parent(self):
        parent = self.cleaned_data["parent"].strip()
        if parent and not Item.objects.filter(identifier=parent).exists():
            raise forms.ValidationError(NO_UNIT, params={"value": parent})
        return parent

    def clean(self):
        data = super().clean()
        if data.get("files") and data.get("zip_file"):
            raise forms.ValidationError(ONE_OR_THE_OTHER)
        if not data.get("files") and not data.get("zip_file") and not self.errors:
            raise forms.ValidationError(NOTHING_CHOSEN)
        return data


def ingest_urls(model_admin):
    wrap = model_admin.admin_site.admin_view
    name = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    return [
        path("ingest/", wrap(partial(upload_view, model_admin)), name=f"{name}_ingest"),
        path("ingest/<str:token>/", wrap(partial(job_view, model_admin)), name=f"{name}_ingest_job"),
    ]


def _check_permission(request):
    if not request.user.has_perm(INGEST_PERMISSION):
        raise PermissionDenied(INGEST_NOT_ALLOWED)


def _context(model_admin, request, **extra):
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **extra}


def _job_url(token):
    return reverse("admin:catalog_item_ingest_job", kwargs={"token": token})


def upload_view(model_admin, request):
    _check_permission(request)
    form = IngestForm(request.POST, request.FILES) if request.method == "POST" else IngestForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            job = FolderJob.create(
                user=request.user, files=data["files"], zip_file=data["zip_file"], prefix=data["prefix"],
                collection=data["collection"].identifier if data["collection"] else "", parent=data["parent"],
            )
        except UnsafeZip as error:
            form.add_error("zip_file", str(error))
        else:
            job.plan(user=request.user, background=True)
            return redirect(_job_url(job.token))
    return TemplateResponse(request, "admin/catalog/ingest_form.html", _context(
        model_admin, request, title=INGEST_TITLE, form=form,
        limits={"files": settings.ARKIV_MAX_ZIP_FILES, "bytes": filesizeformat(settings.ARKIV_MAX_ZIP_BYTES)},
    ))


class LogLines:
    """A page-able view of a job's log, for Paginator: it reads only the page shown."""

    def __init__(self, log, outcomes):
        self.log, self.outcomes = log, outcomes

    def count(self):
        return self.log.count(self.outcomes)

    def __getitem__(self, window):
        return self.log.lines(self.outcomes, offset=window.start, limit=window.stop - window.start)


def job_view(model_admin, request, token):
    _check_permission(request)
    job = FolderJob.get(token, request.user)
    if job is None:
        raise Http404(NO_SUCH_INGEST)
    if request.method == "POST":
        if request.POST.get("retry") and job.stalled:
            job.retry(user=request.user)
        else:
            job.apply(user=request.user, background=True)
        return redirect(_job_url(job.token))
    status = job.status
    if status["state"] in jobs.RUNNING:
        return TemplateResponse(request, "admin/catalog/ingest_progress.html", _context(
            model_admin, request, title=INGESTING_TITLE, status=status,
            percent=int(100 * status["progress"] / max(status["size"], 1)), **task_state(job, _job_url(job.token)),
        ))
    applied = status["state"] == jobs.APPLIED
    log = job.log()
    try:
        outcomes = [MADE if applied else WOULD_MAKE, EARLIER, DUPLICATE, REFUSED]
        page = Paginator(LogLines(log, outcomes), PAGE_SIZE).get_page(request.GET.get("page"))
        _link_items(page.object_list)
        result = status.get("result") or {}
        counts = result.get("counts", {})
        return TemplateResponse(request, "admin/catalog/ingest_summary.html", _context(
            model_admin, request, title=INGESTED_TITLE if applied else PREVIEW_TITLE, status=status, result=result,
            counts=counts, made=counts.get(MADE if applied else WOULD_MAKE, 0), applied=applied, page=page,
            can_apply=status["state"] == jobs.PLANNED and counts.get(WOULD_MAKE), job_url=_job_url(job.token),
        ))
    finally:
        log.close()


def _link_items(lines):
    """The admin address of the item each line names (the one made, or the one that holds a duplicate)."""
    named = {line["detail"] if line["outcome"] == DUPLICATE else line["identifier"] for line in lines}
    found = dict(Item.objects.filter(identifier__in=named).values_list("identifier", "pk"))
    for line in lines:
        pk = found.get(line["detail"] if line["outcome"] == DUPLICATE else line["identifier"])
        line["admin_url"] = reverse("admin:catalog_item_change", args=[pk]) if pk else ""
