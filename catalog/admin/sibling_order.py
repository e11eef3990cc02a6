"""The order of units under one parent, as the admin edits it: a unit's number among its siblings,
and putting a unit at another number.

Units are ordered by (position, id). Rows written in bulk (the CSV import, generate_catalog) all
have position 0 and are ordered by id; such ties are numbered 0, 1, 2 … in their present order
the first time one of them is placed, after which every sibling has a position of its own and a
unit changes place by shifting only the siblings between its old and new number (one UPDATE),
whatever the number of siblings. Positions are not part of any record harvesters see: nothing
here touches a datestamp (QuerySet.update, never save()), as arrangement.reorder does not.
"""
from django.db import transaction
from django.db.models import Count, F, Q

from .. import bulk
from ..models import Item

RENUMBER_BATCH = 1000


def siblings(unit):
    """Every unit under `unit`'s parent, `unit` included, whoever may see them."""
    return Item.objects.filter(parent_id=unit.parent_id)


def end_position(parent):
    """The position after the last unit under `parent` (None: the top of an arrangement)."""
    last = Item.objects.filter(parent=parent).order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def number_of(unit):
    """`unit`'s number among its siblings, from 1, in arrangement order."""
    before = siblings(unit).filter(Q(position__lt=unit.position) | Q(position=unit.position, pk__lt=unit.pk))
    return before.count() + 1


@transaction.atomic
def place(unit, number):
    """Put `unit` at `number` (from 1; beyond either end means that end) among its siblings.
    Returns the number it has now. Changes no datestamp."""
    if unit.parent_id is None:
        raise ValueError("place() orders the units under a parent")
    _untie(unit)
    unit.position = Item.objects.values_list("position", flat=True).get(pk=unit.pk)
    count = siblings(unit).count()
    number = max(1, min(number, count))
    target_pk, target = siblings(unit).order_by("position", "id").values_list("pk", "position")[number - 1]
    if target_pk == unit.pk:
        return number
    if target < unit.position:  # earlier: those from the target up to the unit move one later
        siblings(unit).filter(position__gte=target, position__lt=unit.position).update(position=F("position") + 1)
    else:  # later: those after the unit up to the target move one earlier
        siblings(unit).filter(position__gt=unit.position, position__lte=target).update(position=F("position") - 1)
    Item.objects.filter(pk=unit.pk).update(position=target)
    unit.position = target
    return number


def _untie(unit):
    """Number the siblings 0, 1, 2 … in their present order if any two share a position."""
    tied = siblings(unit).values("position").annotate(n=Count("pk")).filter(n__gt=1)
    if not tied.exists():
        return
    # Read whole before writing: a cursor still reading the rows it rewrites (SQLite) may meet
    # them again. Ids only: 100,000 siblings are a few megabytes.
    ordered = list(siblings(unit).order_by("position", "id").values_list("pk", flat=True))
    for start in range(0, len(ordered), RENUMBER_BATCH):
        chunk = ordered[start:start + RENUMBER_BATCH]
        bulk.update_rows(Item, ["position"], [(pk, start + offset) for offset, pk in enumerate(chunk)])
