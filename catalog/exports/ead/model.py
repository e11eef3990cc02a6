"""What a finding aid says, read from the catalogue: a unit and its published subtree, depth
first in arrangement order, each unit with its description.

Preparing is kept apart from writing (ArchivesSpace's `model_for :ead` and its serializers): the
writers (ead3.py, apeead.py) see `Unit`s, never querysets, and this module alone decides what is
read and when.

The walk streams. Each unit's children are read BATCH at a time in arrangement order (keyset on
parent, position, id: the children index), and for each batch three queries read everything it
needs: the units with their levels, their statements with the linked authority records (and the
records' external links, for those not met before), and how many units lie under each one (so
that a leaf costs no query of its own). Memory holds one batch per open level of the tree, at
most MAX_DEPTH levels, however large the fonds.

Visibility is the public one (`Item.objects.published()`): under a public unit the visible
children are exactly the published ones (arrangement.children), so a draft series and
everything below it are left out, as they are on the site and in OAI.
"""
from dataclasses import dataclass, field

from django.db.models import Q

from ... import arrangement, dublincore
from ...models import AuthorityLink, Item, Statement

BATCH = 500
"""Siblings read at a time: a few hundred units' statements in one query."""

AUTHORITIES_KEPT = 10_000
"""External links of authority records remembered across batches: a fonds names the same few
creators and places again and again; the bound keeps memory constant when it names many."""


@dataclass
class Unit:
    """One unit of description with everything a finding aid writes of it."""

    item: Item
    depth: int  # 0 for the unit the finding aid is about
    has_children: bool
    statements: list = field(default_factory=list)  # Statements, authority attached, in order

    def __getattr__(self, name):
        # The item's own fields (identifier, level, reference_code, arrangement, dates) read
        # through: the writers say `unit.identifier`, not `unit.item.identifier`.
        return getattr(self.item, name)

    def values(self, *terms):
        """The statements of these terms, in the order of `terms`, then in stored order."""
        return [s for term in terms for s in self.statements if s.term == term]

    def first(self, *terms):
        """The first statement of the first of `terms` that has one, or None."""
        for term in terms:
            for statement in self.statements:
                if statement.term == term:
                    return statement
        return None

    @property
    def date_statement(self):
        """ISAD(G) 3.1.3: the first date term that has a value (dublincore.DATE_TERMS)."""
        return self.first(*dublincore.DATE_TERMS)


class Links:
    """External links (AuthorityLink) of authority records, read once per record."""

    def __init__(self):
        self._known = {}

    def attach(self, authorities):
        missing = [a.pk for a in authorities if a.pk not in self._known]
        if missing:
            if len(self._known) + len(missing) > AUTHORITIES_KEPT:
                self._known.clear()
            found = {pk: [] for pk in missing}
            for link in AuthorityLink.objects.filter(authority_id__in=missing).order_by("source", "uri"):
                found[link.authority_id].append(link)
            self._known.update(found)
        for authority in authorities:
            authority.external_links = self._known.get(authority.pk, [])


def walk(top):
    """`Unit`s for `top` (a published unit) and every published unit below it, depth first in
    arrangement order."""
    links = Links()
    first = _described([top], depth=0, links=links)[0]
    yield first
    if not first.has_children:
        return
    stack = [_children(top, 1, links)]
    while stack:
        unit = next(stack[-1], None)
        if unit is None:
            stack.pop()
            continue
        yield unit
        if unit.has_children:
            stack.append(_children(unit.item, unit.depth + 1, links))


def _children(parent, depth, links):
    after = None
    while True:
        batch = arrangement.children(parent, None)
        if after is not None:
            batch = batch.filter(
                Q(position__gte=after.position) & (Q(position__gt=after.position) | Q(pk__gt=after.pk))
            )
        batch = list(batch[:BATCH])
        if not batch:
            return
        yield from _described(batch, depth=depth, links=links)
        if len(batch) < BATCH:
            return
        after = batch[-1]


def _described(items, *, depth, links):
    """Units for `items` (siblings, or the top unit), with statements, authorities and counts."""
    statements = {item.pk: [] for item in items}
    rows = (
        Statement.objects.filter(item_id__in=list(statements)).select_related("authority")
        .order_by("item_id", "position", "id")
    )
    authorities = {}
    for statement in rows:
        statements[statement.item_id].append(statement)
        if statement.authority_id:
            authorities.setdefault(statement.authority_id, statement.authority)
    links.attach(list(authorities.values()))
    counts = arrangement.child_counts(items, None)
    return [
        Unit(item=item, depth=depth, has_children=bool(counts.get(item.pk)), statements=statements[item.pk])
        for item in items
    ]


def published_unit(identifier):
    """The published unit with `identifier` (its level read with it), or None."""
    return Item.objects.published().select_related("level").filter(identifier=identifier).first()

