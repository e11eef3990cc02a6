"""The printable finding aid: a unit and every published unit below it, with their
descriptions, in arrangement order, as one page to print.

The page is streamed: the tree is walked depth first, each unit's children read BATCH at a time
in arrangement order (keyset on position and id, through the children index) with their
descriptions prefetched, and rendered a few units at a time. Memory holds at most one batch per
level of the tree (MAX_DEPTH levels), however large the fonds; nothing counts the subtree
first. After settings.ARKIV_PRINTABLE_UNITS units the page stops with a note that points to the
EAD finding aid, which has no limit.

Only published units are laid out, even for staff: like the downloads and OAI, the printed
finding aid is what the public may read.
"""
from django.conf import settings
from django.db.models import Q

from .. import arrangement

BODY_MARK = "<!-- arkiv:units -->"
"""Where site/finding_aid_print.html is cut: the units are streamed between its two parts."""

BATCH = 200
"""Siblings read (and prefetched) at a time."""

RENDERED_TOGETHER = 50
"""Units rendered by one call of the template: fewer calls, and a chunk of page at a time."""


def units(top, *, limit):
    """(depth, unit) for `top` and the published units below it, depth first in arrangement
    order, `top` at depth 0; at most `limit` of them, then (None, None) if more were left out."""
    yield 0, top
    given = 1
    stack = [_children(top)]
    while stack:
        unit, count = next(stack[-1], (None, 0))
        if unit is None:
            stack.pop()
            continue
        if given >= limit:
            yield None, None
            return
        yield len(stack), unit
        given += 1
        if count:
            stack.append(_children(unit))


def _children(parent):
    """(unit, how many units lie directly under it) for the published units under `parent`,
    in arrangement order, read BATCH at a time with their descriptions."""
    after = None
    while True:
        batch = arrangement.children(parent, None).with_description()
        if after is not None:
            batch = batch.filter(
                Q(position__gte=after.position) & (Q(position__gt=after.position) | Q(pk__gt=after.pk))
            )
        batch = list(batch[:BATCH])
        if not batch:
            return
        counts = arrangement.child_counts(batch, None)
        for unit in batch:
            yield unit, counts[unit.pk]
        if len(batch) < BATCH:
            return
        after = batch[-1]


def chunks(top, *, limit=None):
    """The walk of `units` in lists of at most RENDERED_TOGETHER (depth, unit); the last list
    ends with (None, None) if the limit left units out."""
    limit = settings.ARKIV_PRINTABLE_UNITS if limit is None else limit
    chunk = []
    for entry in units(top, limit=limit):
        chunk.append(entry)
        if len(chunk) == RENDERED_TOGETHER:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
