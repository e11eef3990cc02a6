"""The work of an arrangement job, named so that a task can be told which (catalog.tasks
.run_arrangement): moving a subtree, and carrying a change made on a unit's form down to every
unit below it. Each takes ids and plain values, reads the units afresh (the request that started
it is long gone, its instances stale), and is one transaction: a harvester sees the subtree
before or after, never half-moved, and a refusal or a crash changes nothing.

`progress(done, total)` is the job's callback. The admin's history line of a move is written
once the move is committed, by whoever started it; a refused move leaves none. Each is one
change set of the item history, in the name of whoever started it, as the same change made
within an admin request is (the worker has no request, so no middleware opens one).
"""
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import services
from ..history.models import ChangeSet
from ..history.recording import changes as recorded_as
from ..models import Item
from .moves import move, subtree_size


@transaction.atomic
def move_unit(progress, *, unit_pk, parent_pk, user_pk=None, log=""):
    """Move unit `unit_pk` under `parent_pk` (None: to the top); move() checks the place again.
    With `log`, the history of the unit says so in the name of `user_pk`."""
    unit = Item.objects.get(pk=unit_pk)
    parent = Item.objects.get(pk=parent_pk) if parent_pk else None
    count = subtree_size(unit) + 1
    user = get_user_model().objects.filter(pk=user_pk).first() if user_pk else None
    with recorded_as(source=ChangeSet.ADMIN, user=user, detail=log):
        move(unit, parent=parent, progress=progress)
    unit.refresh_from_db()
    if log and user_pk:
        LogEntry.objects.log_actions(
            user_id=user_pk, queryset=[unit], action_flag=CHANGE, change_message=log, single_object=True,
        )
    return {"reference": unit.reference_code, "count": count}


@transaction.atomic
def carry_change(progress, *, unit_pk, user_pk, changes, status):
    """Apply `changes` (field → value: parent, local_code) and a new `status` (or None) to unit
    `unit_pk`, as `user_pk` may, and carry them to every unit below it."""
    user = get_user_model().objects.get(pk=user_pk)
    with recorded_as(source=ChangeSet.ADMIN, user=user):
        return _carry_change(progress, unit_pk=unit_pk, user=user, changes=changes, status=status)


def _carry_change(progress, *, unit_pk, user, changes, status):
    unit = Item.objects.get(pk=unit_pk)
    if "parent" in changes:
        parent = Item.objects.get(pk=changes["parent"]) if changes["parent"] else None
        move(unit, parent=parent, progress=progress)
        unit.refresh_from_db()
    if "local_code" in changes:
        unit.local_code = changes["local_code"]
        unit.full_clean(validate_unique=False, exclude=["identifier"])
        unit._arrangement_progress = progress
        unit.save()
    if status is not None and status != unit.status:
        unit._arrangement_progress = progress  # the services save this instance
        if status == Item.PUBLISHED:
            services.item_publish(item=unit, user=user)
        elif status == Item.WITHDRAWN:
            services.item_withdraw(item=unit, user=user)
        else:
            if not user.has_perm(services.PUBLISH_PERMISSION):
                raise PermissionDenied(services.PUBLISH_DENIED)
            unit.status = status
            unit.save()
    unit.refresh_from_db()
    return {"reference": unit.reference_code, "count": subtree_size(unit) + 1}


WORK = {"move": move_unit, "change": carry_change}
"""The work a task may be told to run, by name."""
