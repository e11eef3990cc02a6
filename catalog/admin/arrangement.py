"""The arrangement in the admin: the list of arrangements, a unit's place and children, reordering
them, moving a subtree (form → confirmation → done, or a background job with its progress), and
the job page. Every page works without JavaScript.

The views only read requests and pick templates: the tree comes from catalog.arrangement (tree.py),
the order from sibling_order, the checks and the plan of a move from arrangement_forms, the
background work from catalog.arrangement (jobs, run as tasks, and the work they do).

Every list is paged: a unit's children PAGE_SIZE at a time, and of the branches opened on the page
(?open=<pk>, at most MAX_OPEN of them) the first OPEN_PAGE children each, with a link to the rest.
"""
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .. import arrangement
from ..arrangement import jobs, work
from ..models import Item
from . import sibling_order
from .arrangement_forms import MoveForm, PlaceForm

PAGE_SIZE = 50
OPEN_PAGE = 10
MAX_OPEN = 10

TOPS_TITLE = _("Arrangements")
TREE_TITLE = _("Arrangement of %(unit)s")
MOVE_TITLE = _("Move %(unit)s")
CONFIRM_TITLE = _("Move %(unit)s: confirm")
JOB_TITLE = _("Changing %(unit)s")
NO_SUCH_JOB = _("No such job: it may have been removed after a week.")
MOVE_DESCRIPTION = _("Moving %(unit)s (%(old)s) to %(new)s")
CHANGE_DESCRIPTION = _("Carrying the change of %(unit)s to the units below it")
STALLED = _(
    "The change stopped without finishing (the server may have restarted), so nothing was changed: "
    "start it again."
)
# Messages begin with a word, not the identifier: the admin capitalises a message's first letter.
PLACED = _("Placed %(unit)s at number %(number)d of %(count)d under %(parent)s.")
MOVED = ngettext_lazy(
    "Moved %(unit)s: its reference code is now %(reference)s. %(count)d record changed for harvesters.",
    "Moved %(unit)s: its reference code is now %(reference)s. %(count)d records changed for harvesters.",
    "count",
)
MOVE_STARTED = _(
    "Moving %(unit)s in the background: this page shows how far it has got. Harvesters see "
    "the whole subtree moved once it is done, never half of it."
)
CHANGE_STARTED = _(
    "Saved %(unit)s. The change is being carried to the %(count)d units below it in the "
    "background: this page shows how far it has got."
)
# The unit's history (LogEntry), in the language of whoever moved it.
MOVED_LOG = _("Moved from %(old)s to %(new)s.")


def arrangement_urls(model_admin):
    wrap = model_admin.admin_site.admin_view
    name = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    return [
        path("arrangement/", wrap(partial(tops_view, model_admin)), name=f"{name}_arrangements"),
        path("arrangement/jobs/<str:token>/", wrap(partial(job_view, model_admin)), name=f"{name}_arrangement_job"),
        path("<int:pk>/arrangement/", wrap(partial(tree_view, model_admin)), name=f"{name}_arrangement"),
        path("<int:pk>/arrangement/order/", wrap(partial(order_view, model_admin)), name=f"{name}_order"),
        path("<int:pk>/move/", wrap(partial(move_view, model_admin)), name=f"{name}_move"),
    ]


def tree_url(unit, **query):
    return _with_query(reverse("admin:catalog_item_arrangement", args=[unit.pk]), **query)


def _with_query(address, **query):
    query = {key: value for key, value in query.items() if value}
    return f"{address}?{urlencode(query, doseq=True)}" if query else address


def job_url(job):
    return reverse("admin:catalog_item_arrangement_job", kwargs={"token": job.token})


def _context(model_admin, request, **extra):
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **extra}


def _may_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def _may_change(model_admin, request, unit):
    if not model_admin.has_change_permission(request, unit):
        raise PermissionDenied


# --- the list of arrangements and a unit's place ----------------------------------------------


def tops_view(model_admin, request):
    _may_view(model_admin, request)
    units = arrangement.tops(request.user).select_related("level").order_by("reference", "id")
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = arrangement.child_counts(page.object_list, request.user)
    rows = [Node(unit=unit, count=counts[unit.pk], number=None) for unit in page.object_list]
    return TemplateResponse(request, "admin/catalog/arrangement/tops.html", _context(
        model_admin, request, title=TOPS_TITLE, page=page, rows=rows,
        pages=_page_links(page, lambda number: f"?{urlencode({'page': number})}"),
    ))


@dataclass
class Node:
    """A row of the tree: a unit, how many units it has directly below, its number among its
    siblings, and (when opened) the first of its children and how many more there are."""

    unit: Item
    count: int
    number: int | None
    branch: list | None = None
    more: int = 0
    toggle_url: str = ""
    depth: int = 0


def tree_view(model_admin, request, pk):
    _may_view(model_admin, request)
    unit = get_object_or_404(Item.objects.select_related("level"), pk=pk)
    opened = _opened(request)
    page = Paginator(arrangement.children(unit, request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page_number = page.number if page.paginator.num_pages > 1 else None
    budget = [MAX_OPEN]
    rows = _nodes(
        list(page.object_list), request.user, opened, budget, first_number=page.start_index(),
        toggle=lambda pk: tree_url(unit, page=page_number, open=sorted(opened ^ {pk})),
    )
    can_change = model_admin.has_change_permission(request, unit)
    return TemplateResponse(request, "admin/catalog/arrangement/tree.html", _context(
        model_admin, request, title=TREE_TITLE % {"unit": unit.reference or unit.identifier}, unit=unit,
        above=arrangement.path(unit), page=page, rows=rows, opened=sorted(opened), page_number=page_number,
        can_change=can_change, can_add=model_admin.has_add_permission(request),
        order_action=_with_query(reverse("admin:catalog_item_order", args=[unit.pk]), open=sorted(opened)),
        pages=_page_links(page, lambda number: tree_url(unit, page=number, open=sorted(opened))),
    ))


def _opened(request):
    """The units whose branches the page shows open (?open=<pk>), at most MAX_OPEN."""
    return {int(value) for value in request.GET.getlist("open")[:MAX_OPEN] if value.isdigit()}


def _nodes(units, user, opened, budget, *, first_number, toggle, depth=0):
    """Rows for `units`, each with its count of children, and the open ones with their first
    OPEN_PAGE children: two queries a level, and at most MAX_OPEN branches (`budget`)."""
    counts = arrangement.child_counts(units, user)
    rows = []
    for offset, unit in enumerate(units):
        node = Node(unit=unit, count=counts[unit.pk], number=first_number + offset, depth=depth)
        if node.count:
            node.toggle_url = toggle(unit.pk)
        if unit.pk in opened and node.count and budget[0] > 0:
            budget[0] -= 1
            below = list(arrangement.children(unit, user)[:OPEN_PAGE])
            node.branch = _nodes(below, user, opened, budget, first_number=1, toggle=toggle, depth=depth + 1)
            node.more = node.count - len(below)
        rows.append(node)
    return rows


def _page_links(page, address):
    """First, previous, next and last: a bounded row of links whatever the number of pages."""
    if page.paginator.num_pages < 2:
        return None
    return {
        "first": address(1) if page.number > 1 else "",
        "previous": address(page.previous_page_number()) if page.has_previous() else "",
        "next": address(page.next_page_number()) if page.has_next() else "",
        "last": address(page.paginator.num_pages) if page.number < page.paginator.num_pages else "",
    }


# --- reordering ---------------------------------------------------------------------------------


def order_view(model_admin, request, pk):
    """POST only: put one child of unit `pk` up, down, first, last or at a number."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    parent = get_object_or_404(Item, pk=pk)
    _may_change(model_admin, request, parent)
    form = PlaceForm(request.POST, parent=parent)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(tree_url(parent))
    unit, action = form.cleaned_data["unit"], form.cleaned_data["action"]
    count = sibling_order.siblings(unit).count()
    number = {
        PlaceForm.UP: lambda: sibling_order.number_of(unit) - 1,
        PlaceForm.DOWN: lambda: sibling_order.number_of(unit) + 1,
        PlaceForm.FIRST: lambda: 1,
        PlaceForm.LAST: lambda: count,
        PlaceForm.TO: lambda: form.cleaned_data["number"],
    }[action]()
    number = sibling_order.place(unit, number)
    messages.success(request, PLACED % {
        "unit": unit.identifier, "number": number, "count": count, "parent": parent.reference or parent.identifier,
    })
    opened = sorted(_opened(request))
    page = (number - 1) // PAGE_SIZE + 1
    return redirect(tree_url(parent, page=page if page > 1 else None, open=opened) + f"#unit-{unit.pk}")


# --- moving a subtree ------------------------------------------------------------------------------


def move_view(model_admin, request, pk):
    """GET: where to. POST: the confirmation that says what changes. POST with confirm: the move,
    done at once when it is small, or started in the background."""
    unit = get_object_or_404(Item.objects.select_related("level"), pk=pk)
    _may_change(model_admin, request, unit)
    form = MoveForm(request.POST if request.method == "POST" else None, unit=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = form.plan
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(request, "admin/catalog/arrangement/move_confirm.html", _context(
                model_admin, request, title=CONFIRM_TITLE % {"unit": unit.identifier}, unit=unit, plan=plan,
                form=form, above=arrangement.path(unit),
            ))
        return _move(model_admin, request, unit, plan)
    if not form.is_bound and unit.parent_id:
        form.initial["parent"] = ""
    return TemplateResponse(request, "admin/catalog/arrangement/move_form.html", _context(
        model_admin, request, title=MOVE_TITLE % {"unit": unit.identifier}, unit=unit, form=form,
        above=arrangement.path(unit),
    ))


def _move(model_admin, request, unit, plan):
    parent_pk = plan.parent.pk if plan.parent else None
    log = str(MOVED_LOG % {"old": plan.old_reference, "new": plan.new_reference})
    if plan.background:
        job = jobs.Job.create(user=request.user, unit=unit, kind="move", description=MOVE_DESCRIPTION % {
            "unit": unit.identifier, "old": plan.old_reference, "new": plan.new_reference,
        })
        # The history says so once the move is done (a refused one leaves no line).
        job.enqueue("move", unit_pk=unit.pk, parent_pk=parent_pk, user_pk=request.user.pk, log=log)
        messages.info(request, MOVE_STARTED % {"unit": unit.identifier})
        return redirect(job_url(job))
    result = work.move_unit(None, unit_pk=unit.pk, parent_pk=parent_pk)
    model_admin.log_change(request, unit, log)
    messages.success(request, MOVED % {"unit": unit.identifier, "reference": result["reference"], "count": result["count"]})
    return redirect(tree_url(unit))


# --- a change made on the unit's form, carried down a large subtree -----------------------------------


def start_change(request, unit, *, changes, status, count):
    """The job that applies `changes` (field → value: parent, local_code) and a new `status` (or
    None) to `unit` and carries them to the `count` units below it: a task, enqueued once the
    form's own transaction has committed."""
    job = jobs.Job.create(user=request.user, unit=unit, kind="change", description=CHANGE_DESCRIPTION % {
        "unit": unit.identifier,
    })
    messages.info(request, CHANGE_STARTED % {"unit": unit.identifier, "count": count})
    job.enqueue("change", unit_pk=unit.pk, user_pk=request.user.pk, changes=changes, status=status)
    return job


def job_view(model_admin, request, token):
    _may_view(model_admin, request)
    job = jobs.Job.get(token, request.user)
    if job is None:
        raise Http404(NO_SUCH_JOB)
    status = job.status
    unit = Item.objects.filter(pk=status["unit"]).select_related("level").first()
    stalled = job.stalled
    return TemplateResponse(request, "admin/catalog/arrangement/job.html", _context(
        model_admin, request, title=JOB_TITLE % {"unit": unit.identifier if unit else status["unit"]},
        status=status, unit=unit, percent=job.percent, stalled=stalled, waiting=job.waiting,
        running=status["state"] == jobs.RUNNING and not stalled, stalled_message=STALLED,
        done=status["state"] == jobs.DONE, failed=status["state"] == jobs.FAILED or stalled,
    ))
