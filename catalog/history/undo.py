"""Undo a whole change set of the import engine (a CSV or EAD import, a folder ingest, a batch
edit) as one new change set, or refuse and say what blocks it.

It can be undone while nothing it touched has changed since: each of its items still has the
change set's version as its newest, and still stands as that version recorded it (an edit
outside recorded history would show there). Then, in one transaction, each item it created is
deleted (units below first; the tombstone rule applies as to any deletion) and each item it
changed is put back as its version before the change set stood (restore.put_back). Authority
records the import created stay: other items may link to them since.
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.models import Version

from ..models import Item
from .bulk import new_revision, write_versions
from .models import ChangeSet
from .restore import check_may_change_status, put_back
from .serializer import item_documents
from .states import item_type, latest_versions, normal

CHUNK = 500
SHOWN_BLOCKERS = 20
NOT_UNDOABLE = _("Change set #%(revision)s cannot be undone as a whole: restore its items one by one instead.")
ALREADY_UNDONE = _("Change set #%(revision)s has been undone already.")
CHANGED_SINCE = _("%(identifier)s was changed since, in change set #%(revision)s (%(source)s, %(user)s, %(date)s).")
CHANGED_UNRECORDED = _("%(identifier)s was changed since, outside the recorded history.")
DELETED_SINCE = _("%(identifier)s was deleted since.")
UNDONE = _("Undo of change set #%(revision)s (%(source)s %(detail)s)")


@dataclass
class Blocked(Exception):
    """The change set cannot be undone: `reasons` names the first few items that block it."""

    reasons: list
    count: int

    def message(self):
        more = self.count - len(self.reasons)
        text = ngettext(
            "%(count)s item changed since blocks the undo:", "%(count)s items changed since block the undo:", self.count,
        ) % {"count": self.count}
        lines = [text, *map(str, self.reasons)]
        if more > 0:
            lines.append(ngettext("and %(count)s more.", "and %(count)s more.", more) % {"count": more})
        return "\n".join(lines)


def _item_versions(revision):
    return Version.objects.filter(revision=revision, content_type=item_type()).order_by("pk")


def _chunks(revision):
    versions = _item_versions(revision)
    last = 0
    while True:
        chunk = list(versions.filter(pk__gt=last)[:CHUNK].values_list("pk", "object_id", "serialized_data"))
        if not chunk:
            return
        last = chunk[-1][0]
        yield [(int(object_id), data) for _, object_id, data in chunk]


def blockers(revision):
    """(reasons, count): why `revision` cannot be undone now; ([], 0) when it can."""
    reasons, count = [], 0
    for chunk in _chunks(revision):
        pks = [pk for pk, _ in chunk]
        latest = latest_versions(pks)
        current = item_documents(pks)
        for pk, data in chunk:
            reason = _blocker(pk, data, latest.get(pk), current.get(pk), revision)
            if reason is not None:
                count += 1
                if len(reasons) < SHOWN_BLOCKERS:
                    reasons.append(reason)
    return reasons, count


def _blocker(pk, data, newest, current, revision):
    identifier = normal(data)["fields"]["identifier"]
    if current is None:
        return DELETED_SINCE % {"identifier": identifier}
    if newest is not None and newest.revision_id != revision.pk:
        later = newest.revision
        change_set = getattr(later, "change_set", None)
        return CHANGED_SINCE % {
            "identifier": identifier, "revision": later.pk, "source": change_set.get_source_display() if change_set else "",
            "user": later.user or "—", "date": f"{later.date_created:%Y-%m-%d %H:%M}",
        }
    if normal(current) != normal(data):
        return CHANGED_UNRECORDED % {"identifier": identifier}
    return None


def undo(*, revision, user=None):
    """Undo change set `revision`; returns the new change set's revision. Raises Blocked, or
    ValidationError if it is not a change set that can be undone, or PermissionDenied if it
    would change whether an item is public and `user` may not publish."""
    change_set = ChangeSet.objects.filter(revision=revision).first()
    if change_set is None or change_set.source not in ChangeSet.UNDOABLE:
        raise ValidationError(NOT_UNDOABLE, code="not_undoable", params={"revision": revision.pk})
    if change_set.undone_by_id:
        raise ValidationError(ALREADY_UNDONE, code="already_undone", params={"revision": revision.pk})
    detail = UNDONE % {"revision": revision.pk, "source": change_set.get_source_display(), "detail": change_set.detail}
    with transaction.atomic():
        list(ChangeSet.objects.select_for_update().filter(pk=change_set.pk))  # one undo at a time
        reasons, count = blockers(revision)
        if count:
            raise Blocked(reasons, count)
        created, restored = [], []
        for chunk in _chunks(revision):
            pks = [pk for pk, _ in chunk]
            before = _versions_before(pks, revision)
            items = {item.pk: item for item in Item.objects.filter(pk__in=pks)}
            for pk, _data in chunk:
                if pk not in before:
                    created.append(pk)
                    continue
                check_may_change_status(items[pk].status, before[pk]["fields"]["status"], user)
                put_back(items[pk], before[pk], user=user)
                restored.append(pk)
        _delete_created(created, user)
        undoing = new_revision(source=ChangeSet.UNDO, user=user, detail=detail)
        count = write_versions(undoing, restored)
        ChangeSet.objects.filter(revision=undoing).update(items=count + len(created))
        ChangeSet.objects.filter(pk=change_set.pk).update(undone_by=undoing)
    return undoing


def _versions_before(pks, revision):
    """{pk: document} of each item's newest version older than `revision`."""
    older = Version.objects.filter(
        content_type=item_type(), object_id__in=[str(pk) for pk in pks], revision_id__lt=revision.pk,
        db=router.db_for_write(Item),
    ).values("object_id").annotate(newest=Max("pk")).values_list("newest", flat=True)
    return {int(v.object_id): normal(v.serialized_data) for v in Version.objects.filter(pk__in=list(older))}


def _delete_created(pks, user):
    """Delete the items the change set created, the deepest first (a unit's parent is protected
    while units are below it)."""
    items = sorted(Item.objects.filter(pk__in=pks), key=lambda item: item.depth, reverse=True)
    for item in items:
        check_may_change_status(item.status, Item.DRAFT, user)
        item.delete()
