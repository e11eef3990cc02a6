"""Writing the arrangement: moving a subtree, reordering siblings, and carrying a unit's place and
status down to the units below it.

What harvesters see of a unit below changes when its reference code changes (a move, a new local
code above it), when it moves to another fonds (its set), and when it becomes visible or hidden
(a unit above is published or withdrawn). `refresh_below` bumps the datestamp of exactly those
units, writes or removes their tombstones, and nothing else: reordering siblings changes no
record. It works in batches of BATCH units, inside the caller's transaction, so memory stays
flat and a harvester never sees half a move.
"""
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from catalog import bulk
from catalog.lookups import StartsWithExactly
from catalog.models import Item, Statement, Tombstone
from catalog.models.items import TYPE_SET, fonds_set

BATCH = 1000


def subtree_size(unit):
    """How many units lie below `unit` (what a move of it changes besides itself)."""
    return Item.objects.filter(StartsWithExactly(F("ancestry"), unit.subtree_prefix)).count()


@transaction.atomic
def move(unit, *, parent, before=None, progress=None):
    """Place `unit` (and everything below it) under `parent` (None: at the top), before the
    sibling `before` or after the last one. Validated like any edit: a cycle, a depth beyond
    MAX_DEPTH or a taken reference code raises ValidationError and changes nothing."""
    unit.parent = parent
    if before is not None:
        Item.objects.filter(parent=parent, position__gte=before.position).update(position=F("position") + 1)
        unit.position = before.position
    else:
        last = Item.objects.filter(parent=parent).exclude(pk=unit.pk).order_by("-position").values_list("position", flat=True).first()
        unit.position = 0 if last is None else last + 1
    unit.full_clean(validate_unique=False, exclude=["identifier"])
    previous = snapshot(unit.pk)
    unit._arrangement_progress = progress
    unit.save()  # catalog/receivers.py carries the new place down (refresh_below)
    return previous


@transaction.atomic
def reorder(parent, ordered):
    """Put the units `ordered` (siblings under `parent`, a bounded list) first, in that order,
    and the rest after them as they were. No record changes for harvesters."""
    ordered = list(ordered)
    if any(unit.parent_id != (parent.pk if parent else None) for unit in ordered):
        raise ValueError("reorder() takes siblings of one parent")
    rows = [(unit.pk, number) for number, unit in enumerate(ordered)]
    bulk.update_rows(Item, ["position"], rows)
    rest = Item.objects.filter(parent=parent).exclude(pk__in=[unit.pk for unit in ordered])
    rest.update(position=F("position") + len(ordered))


def snapshot(pk):
    """What refresh_below compares with: the unit's derived place as stored now."""
    return Item.objects.filter(pk=pk).values("parent_id", "ancestry", "reference", "ancestors_public", "status").first()


def touch_lone_tops(parents, unit_pk, *, when=None):
    """Bump the datestamp of each of `parents` (pks; None is skipped) that is a top unit with no
    unit below it but `unit_pk`: the unit has just come under it (its first) or left it (its
    last). A top unit is in the set of its own fonds only while units lie below it (OAI's
    fonds sets), so that is a change to its record, and harvesters must see it."""
    parents = [pk for pk in parents if pk is not None]
    if not parents:
        return 0
    others_below = Item.objects.filter(parent_id=OuterRef("pk")).exclude(pk=unit_pk)
    return (
        Item.objects.filter(pk__in=parents, parent__isnull=True).exclude(Exists(others_below))
        .update(modified=when or timezone.now())
    )


def lone_tops(pks):
    """Those of `pks` that are top units with no unit below them. Read before units are written
    under them in bulk (an import); touch_filled_tops() bumps them afterwards, as
    touch_lone_tops() does for one unit's save."""
    pks = list(pks)
    found = set()
    for start in range(0, len(pks), BATCH):
        found.update(
            Item.objects.filter(pk__in=pks[start:start + BATCH], parent__isnull=True)
            .exclude(Exists(Item.objects.filter(parent_id=OuterRef("pk")))).values_list("pk", flat=True)
        )
    return found


def touch_filled_tops(lone, when):
    """Bump the datestamp of those of `lone` (lone_tops() before a write) that have units below
    them now: their first units came below them, so they joined the set of their fonds."""
    lone = list(lone)
    for start in range(0, len(lone), BATCH):
        Item.objects.filter(pk__in=lone[start:start + BATCH]).filter(
            Exists(Item.objects.filter(parent_id=OuterRef("pk")))
        ).update(modified=when)


def refresh_below(unit, previous, *, progress=None):
    """Carry `unit`'s new place and status (it is saved already; `previous` is its snapshot()
    from before) to every unit below it. `progress(done, total)` is called after each batch.
    Returns how many units below had a record change."""
    old_prefix = f"{previous['ancestry']}{unit.pk}/"
    old_reference = previous["reference"] or unit.identifier
    old_public = previous["status"] == Item.PUBLISHED and previous["ancestors_public"]
    if (old_prefix, old_reference, old_public) == (unit.subtree_prefix, unit.reference, unit.is_public):
        return 0
    below = Item.objects.filter(StartsWithExactly(F("ancestry"), old_prefix))
    total = below.count() if progress else None
    # Units below that are not published and have units below them: each hides its own subtree.
    hiding = set(below.exclude(status=Item.PUBLISHED).filter(Exists(Item.objects.filter(parent=OuterRef("pk")))).values_list("pk", flat=True))
    changed = done = 0
    after = 0
    now = timezone.now()
    while True:
        rows = list(
            below.filter(pk__gt=after).order_by("pk")
            .values_list("pk", "identifier", "ancestry", "reference", "ancestors_public", "status", "ever_published")[:BATCH]
        )
        if not rows:
            break
        after = rows[-1][0]
        updates, hidden, shown, bumped, seen_otherwise = [], [], [], [], []
        for pk, identifier, ancestry, reference, ancestors_public, status, ever_published in rows:
            tail = ancestry[len(old_prefix):]
            new_ancestry = unit.subtree_prefix + tail
            new_reference = (unit.reference + (reference or identifier)[len(old_reference):])[:255]
            new_above_public = unit.is_public and not any(int(part) in hiding for part in tail.strip("/").split("/") if part)
            was_public = status == Item.PUBLISHED and ancestors_public
            is_public = status == Item.PUBLISHED and new_above_public
            record_changed = new_reference != reference or was_public != is_public or (
                new_ancestry.split("/")[1] != ancestry.split("/")[1]
            )
            if (new_ancestry, new_reference, new_above_public) == (ancestry, reference, ancestors_public):
                continue
            updates.append((pk, new_ancestry, new_reference, new_above_public))
            if record_changed:
                bumped.append(pk)
            if was_public != is_public:
                seen_otherwise.append(pk)
            if was_public and not is_public and ever_published:
                hidden.append(pk)
            elif is_public and not was_public:
                shown.append(identifier)
        bulk.update_rows(Item, ["ancestry", "reference", "ancestors_public"], updates)
        Item.objects.filter(pk__in=bumped).update(modified=now)
        if seen_otherwise:
            # Records whose relations name these units now carry their addresses, or no longer do.
            Item.objects.filter(pk__in=Statement.objects.filter(target_id__in=seen_otherwise).values("item_id")).update(modified=now)
        Tombstone.objects.filter(identifier__in=shown).delete()
        _bury(hidden, now)
        changed += len(bumped)
        done += len(rows)
        if progress:
            progress(done, total)
    return changed


def _bury(pks, when):
    """Tombstones for units that were public and are hidden now, with the sets they were in."""
    if not pks:
        return
    units = Item.objects.filter(pk__in=pks).prefetch_related("collections")
    tops = {}
    for unit in units:
        top = unit.ancestor_ids()[:1]
        if top and top[0] not in tops:
            tops[top[0]] = Item.objects.filter(pk=top[0]).values_list("identifier", flat=True).first()
    existing = set(Tombstone.objects.filter(identifier__in=[unit.identifier for unit in units]).values_list("identifier", flat=True))
    Tombstone.objects.bulk_create([
        Tombstone(
            identifier=unit.identifier, datestamp=when, item=unit,
            set_specs=Tombstone.pack_set_specs(sorted(
                {c.set_spec for c in unit.collections.all()}
                | ({f"{TYPE_SET}:{unit.dcmi_type}"} if unit.dcmi_type else set())
                | ({fonds_set(tops[unit.ancestor_ids()[0]])} if unit.ancestor_ids() else set())
            )),
        )
        for unit in units if unit.identifier not in existing
    ])
