"""Change sets around single saves: the admin's requests, merges, restores, commands.

    with changes(source=ChangeSet.ADMIN, user=request.user):
        ... saves ...

Inside, receivers.py marks every item, authority record and collection saved, and every item
whose statements, files or collections change (the admin saves those after the item: inlines
come after the form). As the change set closes, each marked object that differs from its last
version is added to the revision as it then stands (reversion's own receivers, which would
serialize an item at its first save, before its statements, are off: manage_manually). A
change set that changed nothing is not saved (reversion saves no empty revision).

A service that runs inside a change set may say what it is (note(source=MERGE)): the admin
request that merged two records is recorded as a merge, not as an edit.
"""
import contextvars
from contextlib import contextmanager

import reversion
from django.db import models, transaction

from ..models import Authority, Collection, Item
from . import states
from .models import ChangeSet

_frame = contextvars.ContextVar("arkiv_history_frame", default=None)


class _Frame:
    def __init__(self, source, detail):
        self.source, self.detail = source, detail
        self.items, self.authorities, self.collections = set(), set(), set()
        self.baselined = set()  # items checked for a version before their first change here
        self.baseline = None  # the revision their state before it went to, if any had none


def active():
    return _frame.get() is not None


def mark_items(pks):
    frame = _frame.get()
    if frame is not None:
        frame.items.update(pk for pk in pks if pk is not None)


def mark_authority(pk):
    frame = _frame.get()
    if frame is not None and pk is not None:
        frame.authorities.add(pk)


def before_change(pk):
    """Called before an item is first changed in the open change set: an item with no version
    yet (made before history was kept, or by a bulk path that records none) gets its present
    state recorded first, in a "baseline" change set, so its first diff shows the old values."""
    before_changes([pk])


def before_changes(pks):
    """before_change() for many items at once (a merge relinks thousands)."""
    frame = _frame.get()
    if frame is None:
        return
    pks = [pk for pk in dict.fromkeys(pks) if pk is not None and pk not in frame.baselined]
    if not pks:
        return
    frame.baselined.update(pks)
    from .bulk import new_revision, unrecorded, write_versions

    missing = unrecorded(pks)
    if not missing:
        return
    if frame.baseline is None:
        frame.baseline = new_revision(source=ChangeSet.BASELINE)
    write_versions(frame.baseline, missing)
    ChangeSet.objects.filter(revision=frame.baseline).update(items=models.F("items") + len(missing))


def mark_collection(pk):
    frame = _frame.get()
    if frame is not None and pk is not None:
        frame.collections.add(pk)


def note(*, source, detail=""):
    """Say what the change set that is open now was made through (if one is open)."""
    frame = _frame.get()
    if frame is not None:
        frame.source = source
        if detail:
            frame.detail = str(detail)[:255]


@contextmanager
def changes(*, source, user=None, detail=""):
    """One change set around the block (nested blocks join the outer one). The revision is
    written as the block ends without an error, in a transaction of its own."""
    if active():
        yield
        return
    frame = _Frame(source, str(detail)[:255])
    token = _frame.set(frame)
    try:
        with reversion.create_revision(manage_manually=True, atomic=False):
            yield
            changed = states.changed_items(frame.items)
            # Nothing to record (a sign-in, a page that refused, a save the busy database
            # turned away): no write at all, so a 503 for a busy database stays a 503.
            if changed or frame.authorities or frame.collections:
                with transaction.atomic():
                    _close(frame, user, changed)
    finally:
        _frame.reset(token)


def _close(frame, user, changed):
    for item in Item.objects.filter(pk__in=changed):
        reversion.add_to_revision(item)
    for record in Authority.objects.filter(pk__in=frame.authorities):
        reversion.add_to_revision(record)
    for collection in Collection.objects.filter(pk__in=frame.collections):
        reversion.add_to_revision(collection)
    if user is not None and getattr(user, "is_authenticated", False):
        reversion.set_user(user)
    reversion.set_comment(frame.detail)
    reversion.add_meta(ChangeSet, source=frame.source, detail=frame.detail, items=len(changed))


MERGE = ChangeSet.MERGE  # for services.authority_merge, which names no history model
