"""Writing where the units of an import stand: the last step of an apply, after every batch.

The batches write the rows: new units with their level and local code, in their place where
their parent is written before them (Arrangement._mark_eager), else at the top of an arrangement
for now, with no reference code; and the other fields of units already there. This step then
puts each remaining unit in its place, inside the same
transaction, in the order Arrangement.placements() gives (by depth, then as in the file), so
that a parent always stands in its place before its children are put under it:

- a unit of the catalogue whose status changes and that has units below it is saved through
  Item.save(update_fields=["status"]), whose receivers carry its visibility down the subtree
  (catalog.arrangement.refresh_below) and keep its tombstone (services.tombstone_sync), as an
  edit in the admin does;
- a unit of the catalogue that the file moves or recodes goes the way of arrangement.move: its
  place is checked (Item.check_place), then saved, and the receivers carry the new place down to
  every unit below, bumping the datestamps of exactly the records that change;
- new units under a parent get, in bulk, what Item.place() would derive: the parent, a position
  after the parent's present children (in the order of the file), ancestry, reference code and
  ancestors_public; a new published unit below a unit that is not public gets its tombstone as
  Item.save() gives it one.

The plan was checked against the catalogue as it was; if it changed since so that a place is no
longer valid (a parent deleted, a cycle made in the admin, a reference code taken meanwhile),
CatalogueChanged undoes the import and it is planned again (csv.py).
"""
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Max

from ..bulk import update_rows
from ..models import Item, Tombstone
from ..services import tombstone_sync

BATCH = 1000
"""Units placed together: each batch costs a fixed number of queries (and one save per unit
that moves)."""

PLACE_COLUMNS = ("parent_id", "position", "ancestry", "reference", "ancestors_public")


class PlaceChanged(Exception):
    """A place the plan checked is not valid any more: the catalogue changed since."""


def place(arrangement, skipped=frozenset(), following=None):
    """Put the units of a finished Arrangement in their places (see the module docstring),
    leaving out the rows `skipped`. `following` holds the next free position under each parent
    that the batches have placed units under already. Raises PlaceChanged if the catalogue has
    changed so that a place is no longer valid; the caller's transaction must then be undone."""
    following = {} if following is None else following
    try:
        for identifier, pk, status in arrangement.restatus:
            if identifier not in skipped:
                unit = Item.objects.get(pk=pk)
                unit.status = status
                unit.save(update_fields=["status"])
        for _depth, level in groupby(arrangement.placements(skipped), key=lambda node: node.depth):
            level = list(level)
            for start in range(0, len(level), BATCH):
                _place(level[start:start + BATCH], following)
    except IntegrityError as error:  # a reference code taken since the plan was made
        raise PlaceChanged(str(error)) from error


def _place(nodes, following):
    """Place nodes of one depth; `following` holds the next free position under each parent
    (None: the top)."""
    wanted = sorted({node.parent for node in nodes if node.parent})
    parents = {
        parent.identifier: parent
        for parent in Item.objects.filter(identifier__in=wanted).only(
            "pk", "identifier", "parent_id", "ancestry", "reference", "status", "ancestors_public",
        )
    }
    if len(parents) < len(wanted):
        raise PlaceChanged(", ".join(sorted(set(wanted) - parents.keys())))
    start_positions(
        {parents[node.parent].pk if node.parent else None for node in nodes if not node.pk or node.parent_changed},
        following,
    )
    new = [node for node in nodes if not node.pk and node.parent]
    pks = dict(Item.objects.filter(identifier__in=[node.identifier for node in new]).values_list("identifier", "pk"))
    rows, shown, hidden = [], [], []
    for node in nodes:
        parent = parents.get(node.parent)
        if node.pk:
            _move(node, parent, following)
        else:
            rows.append((
                pks[node.identifier], parent.pk, _next(following, parent.pk), parent.subtree_prefix,
                # Item.composed_reference(parent), without making an Item a row.
                f"{parent.reference or parent.identifier}/{node.code}"[:255],
                parent.is_public,
            ))
            if node.status == Item.PUBLISHED:
                (shown if parent.is_public else hidden).append(node.identifier)
    update_rows(Item, PLACE_COLUMNS, rows)
    Tombstone.objects.filter(identifier__in=shown).delete()
    for unit in Item.objects.filter(identifier__in=hidden):
        tombstone_sync(unit)


def _move(node, parent, following):
    """Move or recode a unit of the catalogue as arrangement.move does: checked, then saved,
    and the receivers carry its place (and a new status) down to the units below."""
    unit = Item.objects.get(pk=node.pk)
    unit.local_code = node.local_code
    fields = ["local_code"]
    if node.parent_changed:
        unit.parent = parent
        unit.position = _next(following, parent.pk if parent else None)
        fields += ["parent", "position"]
    if node.status:
        unit.status = node.status
        fields.append("status")
    try:
        unit.check_place()
    except ValidationError as error:
        raise PlaceChanged(f"{node.identifier}: {error.messages[0]}") from error
    unit.save(update_fields=fields)


def start_positions(parents, following):
    """The first free position under each of `parents` not counted yet: after the last child
    it has now (at the top: after the last unit at the top)."""
    parents = parents - following.keys()
    pks = [pk for pk in parents if pk is not None]
    if pks:
        last = Item.objects.filter(parent_id__in=pks).values("parent_id").annotate(last=Max("position"))
        following.update((row["parent_id"], row["last"] + 1) for row in last)
    if None in parents:
        last = Item.objects.filter(parent__isnull=True).aggregate(last=Max("position"))["last"]
        following[None] = 0 if last is None else last + 1
    for pk in parents:
        following.setdefault(pk, 0)


def _next(following, parent):
    position = following[parent]
    following[parent] = position + 1
    return position
