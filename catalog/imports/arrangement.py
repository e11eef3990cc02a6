"""Where the units of one import will stand in the arrangement, checked across the whole file.

A row's place depends on rows anywhere in the file: its parent may be a row further down, and a
cycle or a clash of reference codes shows only once every row is known. So the planner checks
the other columns chunk by chunk, as before, and hands each chunk's plans to `Arrangement.add`,
which keeps a small Node for every unit whose place is new (a new row) or changes (another
parent, another local code), and looks up in one query per chunk the catalogue's units that
those rows name as parents. Once every row is planned, `finish()` works out where each node will
stand and returns the row errors:

- a parent that is neither a row of the file nor a unit of the catalogue (PARENT_NOT_FOUND), or
  a row that cannot be imported itself (PARENT_FAILED, which also reaches every unit below a
  row that fails);
- a cycle: following the parents from a unit leads back to it, through rows of the file, units
  of the catalogue, or both (moving a unit under one of its own descendants);
- a place more than MAX_DEPTH levels down (as Item.check_place);
- a move that would show or hide published units, for a user who may not publish (as the
  admin's move refuses it);
- a reference code taken twice: by two rows, or by a row and a unit of the catalogue. A unit
  moved in the same import keeps its reference code until the import is done (units are
  written one level at a time), so a code it gives up cannot be taken in the same import
  (REFERENCE_STILL_TAKEN): that refusal is what keeps every write of the apply free of clashes.

Reference codes are compared as composed strings (local codes hold no "/", so two equal codes
are the same path), and, under a unit that moves, as a pair of parent and local code against its
present children, whose codes follow it.

The apply writes most new units in their place with their rows (those whose parent is written
before them: a unit of the catalogue, or a row further up the file), and the rest last, in order
of depth (apply.Writer.place): a parent always stands in place before its children, wherever the
file has them. `placements()` gives that order.

Memory: one Node per new or moved unit (a few hundred bytes), not the rows themselves.
"""
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..lookups import StartsWithExactly
from ..models import Item
from ..models.items import MAX_DEPTH
from . import format as fmt

LOOKUP_BATCH = 500
"""Identifiers or reference codes a query looks up at once."""

PARENT_NOT_FOUND = _(
    "The parent “{parent}” is neither a unit in the catalogue nor a row of this file: correct "
    "the identifier, add a row for the parent, or leave the cell empty to put the unit at the top."
)
PARENT_FAILED = _(
    "The parent {parent} (row {row}) cannot be imported as the file has it: correct that row "
    "first, and this one can be placed under it."
)
CYCLE = _(
    "{identifier} would be below itself ({path}): a unit cannot be placed inside itself. Give "
    "one of these units a parent outside the circle."
)
TOO_DEEP = _(
    "{identifier} would be {depth} levels down its arrangement, and an arrangement has at most "
    "{limit} levels: place it higher up."
)
REFERENCE_REPEATED = _(
    "The reference code {reference} is also row {row}'s ({other}): give one of the two units "
    "another local_code (units under one parent need different codes)."
)
REFERENCE_TAKEN = _(
    "The reference code {reference} is already {other}'s: give this unit another local_code."
)
MOVE_NEEDS_PUBLISH = _(
    "Moving {identifier} here would show or hide published units for visitors and harvesters, "
    "which only Editors may do: ask an Editor to import this row, or choose a parent that keeps "
    "them as they are."
)
REFERENCE_STILL_TAKEN = _(
    "The reference code {reference} is {other}'s, which this file moves or gives another code; "
    "a unit keeps its code until the import is done: import the two changes one after the other, "
    "or give this unit another local_code."
)


class Place(NamedTuple):
    """Where a row puts its unit: the parent's identifier ("" at the top) and its local code."""

    parent: str
    local_code: str


class Above(NamedTuple):
    """A unit of the catalogue that a row names as its parent, as stored now."""

    pk: int
    ancestry: str
    reference: str
    is_public: bool

    @property
    def depth(self):
        return self.ancestry.count("/") - 1


@dataclass(slots=True)
class Node:
    """A unit whose place the import sets: a new one, or one that moves or is recoded."""

    identifier: str
    row: int
    parent: str  # identifier of the parent, "" at the top
    local_code: str
    pk: int = 0  # 0: a new unit
    old_ancestry: str = "/"
    old_reference: str = ""
    was_shown: bool = True  # whether the units above it are public now (ancestors_public)
    parent_changed: bool = True
    status: str = ""  # a new unit's status; an existing one's new status (RowPlan.deferred_status)
    published: bool = False  # its status once imported is "published"
    failed: bool = False  # the row cannot be imported
    error: tuple = ()  # (column, message) of its place
    # Worked out by finish():
    depth: int = -1  # -1 while unknown
    reference: str = ""
    via: object = None  # the Node its place hangs on, if any
    moving_parent: int = 0  # pk of its parent, a unit of the catalogue whose children move with it
    public: bool = False  # whether it will be public: published, and so is every unit above it
    eager: bool = False  # a new unit written in its place with its row (Arrangement._mark_eager)

    @property
    def code(self):
        return self.local_code or self.identifier


class Arrangement:
    def __init__(self, *, has_local_code=False, may_publish=True):
        self.has_local_code = has_local_code
        self.may_publish = may_publish
        self.nodes = {}  # identifier -> Node, in the order of the file's rows
        self.by_pk = {}  # pk -> Node, of units already in the catalogue
        self.catalogue = {}  # identifier -> Above, or None: the parents rows name, as stored
        self.unplaceable = {}  # identifier -> row, of rows too broken to plan at all
        self.restatus = []  # (identifier, pk, status): units with units below whose status changes
        self.failed = set()  # identifiers of the rows finish() failed
        self.eager_parents = set()  # identifiers of the parents of units written in their place
        self.finished = False

    # --- while planning: one chunk at a time --------------------------------------------------

    def add(self, plans):
        """Take note of a chunk's plans: the places they set, and the parents they name."""
        status_changes, wanted = [], set()
        for plan in plans:
            state = plan.existing
            if plan.place is None:
                if plan.errors and state is None and plan.identifier and plan.identifier not in self.nodes:
                    self.unplaceable.setdefault(plan.identifier, plan.row)
                elif not plan.errors and state is not None and "status" in plan.fields:
                    status_changes.append(plan)
                continue
            if state is not None and plan.errors:
                continue  # it stays where it is
            node = Node(plan.identifier, plan.row, plan.place.parent, plan.place.local_code, failed=bool(plan.errors))
            node.published = plan.fields.get("status", state.status if state else "") == Item.PUBLISHED
            if state is not None:
                node.pk, node.old_ancestry, node.was_shown = state.pk, state.ancestry, state.ancestors_public
                node.old_reference = state.reference or plan.identifier
                node.parent_changed = plan.place.parent != state.parent_identifier
                self.by_pk[state.pk] = node
                if "status" in plan.fields:
                    node.status = plan.fields["status"]
                    plan.deferred_status = True
            else:
                node.status = plan.fields.get("status", "")
            self.nodes[plan.identifier] = node
            wanted.add(node.parent)
        self._defer_status(status_changes)
        # A parent that is a row above needs no query (a row below it may still be looked up).
        self._look_up({parent for parent in wanted if parent and parent not in self.catalogue and parent not in self.nodes})

    def _defer_status(self, plans):
        """A unit with units below whose status changes goes through the arrangement's
        refresh, which carries its visibility down (catalog.arrangement.refresh_below)."""
        if not plans:
            return
        with_children = set(
            Item.objects.filter(parent_id__in=[plan.existing.pk for plan in plans])
            .values_list("parent_id", flat=True).distinct()
        )
        for plan in plans:
            if plan.existing.pk in with_children:
                plan.deferred_status = True
                self.restatus.append((plan.identifier, plan.existing.pk, plan.fields["status"]))

    def _look_up(self, identifiers):
        identifiers = sorted(identifiers)
        for start in range(0, len(identifiers), LOOKUP_BATCH):
            part = identifiers[start:start + LOOKUP_BATCH]
            found = Item.objects.filter(identifier__in=part).values_list(
                "identifier", "pk", "ancestry", "reference", "status", "ancestors_public",
            )
            for identifier, pk, ancestry, reference, status, ancestors_public in found:
                self.catalogue[identifier] = Above(pk, ancestry, reference or identifier, status == Item.PUBLISHED and ancestors_public)
            for identifier in part:
                self.catalogue.setdefault(identifier, None)

    # --- once every row is planned ------------------------------------------------------------

    def finish(self):
        """Work out every node's place; the row errors, as (row, identifier, column, message),
        in the order of the rows. Rows that fail here are in `failed` afterwards."""
        assert not self.finished, "finish() is called once"
        self.finished = True
        for node in self.nodes.values():
            if node.depth < 0 and not node.error:
                self._resolve(node)
        placed = sorted(
            (node for node in self.nodes.values() if not node.error and not node.failed), key=lambda node: node.depth,
        )
        self._check_references(placed)
        if not self.may_publish:
            self._check_visibility(placed)
        # A unit whose place hangs on a unit that fails cannot be placed either; the one it
        # hangs on is always higher up, so one pass from the top reaches every unit below.
        for node in placed:
            if not node.error and node.via is not None and (node.via.error or node.via.failed):
                node.error = (fmt.PARENT, PARENT_FAILED.format(parent=node.via.identifier, row=node.via.row))
        errors = []
        for node in self.nodes.values():
            if node.error:
                errors.append((node.row, node.identifier, *node.error))
                self.failed.add(node.identifier)
        errors.sort(key=lambda error: error[0])
        self._mark_eager([node for node in placed if not node.error])
        return errors

    def _mark_eager(self, placed):
        """Which new units can be written in their place with their rows (apply.Writer), so
        that no row is written twice: those under a unit of the catalogue (where a move of it
        in this import carries them along, as it carries its present children), and those under
        a new unit that is written before every new child of it (it comes first in the file)
        and is in its place by then itself. The others are placed last (placing.py): the order
        of the file is kept among the new children of each parent either way."""
        first_child = {}
        for node in placed:
            if not node.pk and node.parent:
                first_child[node.parent] = min(first_child.get(node.parent, node.row), node.row)
        for node in placed:  # by depth: a parent is marked before its children
            if node.pk or not node.parent:
                continue
            parent = self.nodes.get(node.parent)
            if parent is None or parent.pk:
                node.eager = True
            else:
                node.eager = (parent.eager or not parent.parent) and parent.row < first_child[node.parent]
            if node.eager:
                self.eager_parents.add(node.parent)

    def _link(self, node):
        """What `node`'s place hangs on: (Node above, levels between, reference code between)
        or (None, depth, reference) of a unit that stays, or None with node.error set."""
        parent = node.parent
        if not parent:
            return None, -1, ""
        if parent in self.nodes:
            return self.nodes[parent], 0, ""
        above = self.catalogue.get(parent)
        if above is None:
            if parent in self.unplaceable:
                node.error = (fmt.PARENT, PARENT_FAILED.format(parent=parent, row=self.unplaceable[parent]))
            else:
                node.error = (fmt.PARENT, PARENT_NOT_FOUND.format(parent=parent))
            return None
        # A unit of the catalogue below a unit that moves moves with it: its place hangs on
        # the nearest unit above it that the file places.
        for pk in [*reversed(_ids(above.ancestry))]:
            moving = self.by_pk.get(pk)
            if moving is not None:
                node.moving_parent = above.pk
                return moving, above.depth - _depth(moving.old_ancestry), above.reference[len(moving.old_reference):]
        return None, above.depth, above.reference

    def _resolve(self, start):
        """Place `start` and the nodes above it, walking up until a unit that stays (or one
        already placed); iteratively, since a file may nest rows deeper than Python recurses."""
        path, on_path, links = [], {}, []
        node = start
        while True:
            on_path[node.identifier] = len(path)
            path.append(node)
            link = self._link(node)
            links.append(link)
            if link is None:
                break
            above = link[0]
            if above is None or above.depth >= 0 or above.error:
                break
            if above.identifier in on_path:
                circle = path[on_path[above.identifier]:]
                names = " → ".join(self._circle(circle))
                for member in circle:
                    member.error = (fmt.PARENT, CYCLE.format(identifier=member.identifier, path=names))
                break
            node = above
        for node, link in zip(reversed(path), reversed(links)):
            if node.error or link is None:
                continue
            above, between, tail = link
            if above is None:
                node.depth, base = between + 1, tail
            elif above.error or above.depth < 0:
                node.via = above
                node.error = (fmt.PARENT, PARENT_FAILED.format(parent=above.identifier, row=above.row))
                continue
            else:
                node.via = above
                node.depth, base = above.depth + between + 1, above.reference + tail
            node.reference = f"{base}/{node.code}" if base else node.code
            if node.depth >= MAX_DEPTH:
                node.error = (fmt.PARENT, TOO_DEEP.format(identifier=node.identifier, depth=node.depth + 1, limit=MAX_DEPTH))

    def _circle(self, circle):
        """The identifiers round a cycle, the units of the catalogue on the way included (“…”
        for units between a parent and the unit above it that the file moves)."""
        names = []
        for index, member in enumerate(circle):
            names.append(member.identifier)
            following = circle[(index + 1) % len(circle)]
            if member.parent != following.identifier:
                names.append(member.parent)
                above = self.catalogue[member.parent]
                if _ids(above.ancestry)[-1:] != [following.pk]:
                    names.append("…")
        names.append(circle[0].identifier)
        return names

    def _check_references(self, placed):
        """Every placed node's reference code must be its own: not another row's, not a unit's
        of the catalogue, not a present child's of a unit that moves."""
        column = fmt.LOCAL_CODE if self.has_local_code else fmt.PARENT
        first = {}
        for node in placed:
            other = first.setdefault(node.reference, node)
            if other is not node:
                node.error = (column, REFERENCE_REPEATED.format(reference=node.reference, row=other.row, other=other.identifier))
        placed = [node for node in placed if not node.error]
        by_reference = {node.reference: node for node in placed}
        references = sorted(by_reference)
        for start in range(0, len(references), LOOKUP_BATCH):
            found = Item.objects.filter(reference__in=references[start:start + LOOKUP_BATCH])
            for pk, identifier, ancestry, reference in found.values_list("pk", "identifier", "ancestry", "reference"):
                node = by_reference[reference]
                # By identifier: planning inside the transaction, a new unit may be written already.
                if identifier != node.identifier:
                    # A code the unit will give up (moved itself, or below a unit that moves).
                    moving = pk in self.by_pk or any(above in self.by_pk for above in _ids(ancestry))
                    self._taken(node, column, identifier, moving=moving)
        # Under a unit that moves, the present children keep their codes and follow it.
        under = {}
        for node in placed:
            if node.error:
                continue
            parent = node.moving_parent or (node.via.pk if node.via is not None and node.via.pk and node.via.identifier == node.parent else 0)
            if parent:
                under[(parent, node.code)] = node
        keys = sorted(under)
        for start in range(0, len(keys), LOOKUP_BATCH):
            part = keys[start:start + LOOKUP_BATCH]
            parents, codes = {pk for pk, _ in part}, {code for _, code in part}
            children = Item.objects.filter(parent_id__in=parents).filter(
                Q(local_code__in=codes) | Q(local_code="", identifier__in=codes)
            )
            for pk, identifier, parent_id, local_code in children.values_list("pk", "identifier", "parent_id", "local_code"):
                node = under.get((parent_id, local_code or identifier))
                if node is not None and identifier != node.identifier and not node.error:
                    # It follows its parent and keeps the code, unless the file moves it too.
                    self._taken(node, column, identifier, moving=pk in self.by_pk)

    def _check_visibility(self, placed):
        """For a user who may not publish: a unit may move only where its subtree stays as
        visible as it is (arrangement_forms.plan_move's rule). `placed` is in order of depth, so
        a parent's visibility is known before its children's."""
        for node in placed:
            shown = self._shown_below(node)
            node.public = node.published and shown
            if node.pk and node.parent_changed and shown != node.was_shown and not node.error:
                below = Item.objects.filter(Q(pk=node.pk) | Q(StartsWithExactly(F("ancestry"), f"{node.old_ancestry}{node.pk}/")))
                if below.filter(status=Item.PUBLISHED).exists():
                    node.error = (fmt.PARENT, MOVE_NEEDS_PUBLISH.format(identifier=node.identifier))

    def _shown_below(self, node):
        """Whether every unit above `node` will be public once the import is done."""
        if not node.parent:
            return True
        if node.parent in self.nodes:
            return self.nodes[node.parent].public
        above = self.catalogue[node.parent]
        if not node.moving_parent:
            return above.is_public
        # Below a unit that moves: public if that unit will be, and the units from it down to
        # the parent are published.
        moving = node.via
        between = _ids(above.ancestry)
        between = [*between[between.index(moving.pk) + 1:], above.pk]
        published = Item.objects.filter(pk__in=between, status=Item.PUBLISHED).count()
        return moving.public and published == len(between)

    def _taken(self, node, column, other, *, moving):
        message = REFERENCE_STILL_TAKEN if moving else REFERENCE_TAKEN
        node.error = (column, message.format(reference=node.reference, other=other))

    # --- for the apply --------------------------------------------------------------------

    def placements(self, skipped=()):
        """The nodes to place, by depth and then in the order of the file: every parent stands
        in its place before its children. Without rows that failed, or that are `skipped`, or
        new units written in their place already (at the top, or eager)."""
        nodes = [
            node for node in self.nodes.values()
            if not node.error and not node.failed and not node.eager and (node.pk or node.parent)
            and node.identifier not in skipped
        ]
        return sorted(nodes, key=lambda node: (node.depth, node.row))

    def parents_in_catalogue(self):
        """The pks of the units of the catalogue that rows name as their parent."""
        pks = {above.pk for above in self.catalogue.values() if above is not None}
        return pks | {self.nodes[node.parent].pk for node in self.nodes.values()
                      if node.parent in self.nodes and self.nodes[node.parent].pk}


def _ids(ancestry):
    return [int(part) for part in ancestry.strip("/").split("/") if part]


def _depth(ancestry):
    return ancestry.count("/") - 1
