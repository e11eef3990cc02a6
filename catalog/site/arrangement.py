"""The arrangement on the public site: where a unit sits, and what lies below it.

Every unit is an Item, so a unit's page is the item page; this module builds what that page
shows of the arrangement (catalog/arrangement/ reads the tree, this module lays it out):

- `place(unit, user)`: its path from the top (the breadcrumb: never a thematic collection), the
  context line (“Item 4 of 120 in File 3, Series B, Fonds X”) and its neighbours among its
  siblings;
- `contents(unit, user, ...)`: the units directly under it, a page at a time
  (ARKIV_BROWSE_PAGE_SIZE) in arrangement order, each with its level, title, date and how many
  units lie directly under it; any of them can be opened to show the first page of its own
  children, and so on down: a tree that expands level by level.

The tree works without JavaScript: a node opens by a link that repeats the page's address with
`?open=<identifier>` added (at most OPEN_LIMIT of them; more are left out). With JavaScript,
arkiv.js fetches the same level from the unit's tree URL (`tree_level`, the fragment view) and
inserts it. The tree is a nested list of links with disclosure toggles (aria-expanded) rather
than ARIA's role=tree, whose single tab stop and arrow-key focus would need script to work at
all: here every node is reached with Tab, with or without script.

Costs do not grow with the number of children: a level shown is five queries whatever its size
(its count and the ids of its page, both from the children index; the page's units with their
levels; their titles; their child counts, one grouped query), and a page of a 100,000-unit
series is read by offset on the index alone. Nothing here counts or walks a subtree. The counts
are what grows with the catalogue (a fonds of ten 100,000-unit series counts a million index
entries for its page), so for visitors they are cached per catalogue state (caching.py), as the
browse's facet counts are; staff, who see drafts, get them counted afresh.
"""
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from .. import arrangement, languages
from .caching import cached
from ..models import Item, Level, Statement, levels
from ..models.levels import ITEM
from ..querysets import previews

OPEN_LIMIT = 20
"""How many units one address may open in the tree (?open=..., the no-JavaScript tree): a path
from a fonds to its deepest unit is at most MAX_DEPTH (12) of them, and each one open costs a
level's five queries."""

OPEN = "open"  # the query parameter that opens a node of the tree

# “Item 4 of 120 in File 3, Series B, Fonds X”: the unit's level, its number among its siblings,
# how many there are, and the units above it, innermost first (each UNIT_NAMED).
CONTEXT_LINE = _("%(level)s %(number)s of %(count)s in %(units)s")
UNIT_NAMED = pgettext_lazy("a unit in the context line: its level, then its title", "%(level)s %(title)s")
UNITS_JOINED = pgettext_lazy("between the units above in the context line", ", ")


@dataclass
class Place:
    """Where a unit sits: the units above it (outermost first), its context line and its
    neighbours. Empty for a unit at the top of an arrangement or outside any."""

    above: list = field(default_factory=list)
    line: str = ""
    previous: Item | None = None
    next: Item | None = None


@dataclass
class Node:
    """A unit in the tree: how many units lie directly under it, whether it is open (then
    `below` is its first level), and the no-JavaScript link that opens or closes it."""

    unit: Item
    count: int
    open: bool = False
    toggle_url: str = ""
    below: "TreeLevel | None" = None


@dataclass
class TreeLevel:
    """One page of the units under `parent`, as nodes. `more_url` (no JavaScript) and
    `more_fragment` (JavaScript) lead to the next page where there is one; the first level of
    a page has the page's pagination instead."""

    parent: Item
    page: object
    nodes: list
    more_url: str = ""
    more_fragment: str = ""

    @property
    def count(self):
        return self.page.paginator.count

    @property
    def shown(self):
        return self.page.end_index()


class Children:
    """The units under `unit` that `user` may see, as Django's Paginator reads them.

    Counted, and a page read as ids, on the children index alone (parent, status, position,
    id); then the page's units are fetched by id with their levels and titles. A unit the
    fetch no longer finds (unpublished since) is left out, never shown."""

    def __init__(self, unit, user):
        self.unit, self.user = unit, user
        self.queryset = arrangement.children(unit, user)

    @cached_property
    def _count(self):
        return self.queryset.order_by().count()  # one unit's children: the index alone, 5 ms at 100,000

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Children are read a page (a slice) at a time.")
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        found = listed(Item.objects.visible_to(self.user)).in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def _titles():
    return Prefetch(
        "statements", queryset=Statement.objects.filter(term__in=languages.TITLE_TERMS).order_by("position", "id")
    )


def listed(queryset):
    """`queryset` with what a line of a list of units shows: the level and the titles (the
    heading in the reader's language, catalog/languages.py), nothing else."""
    return queryset.select_related("level").prefetch_related(_titles())


def level_label(unit):
    """The unit's level in the reader's language; a unit without one is an item."""
    if unit.level_id is None:
        return pgettext(levels.CONTEXT, "Item")
    return unit.level.label


def is_arranged(unit):
    """Whether `unit` has a place in an arrangement worth naming in a list: it is under a unit,
    or it is described at a level other than a single item (a fonds, a series)."""
    return unit.parent_id is not None or (unit.level_id is not None and unit.level.code != ITEM)


def title_of(unit):
    return languages.item_title(unit, get_language()).text


def above(unit):
    """The units above `unit`, outermost first, with their titles (two queries)."""
    units = arrangement.path(unit)
    prefetch_related_objects(units, _titles())
    return units


def place(unit, user):
    """The breadcrumb, context line and neighbours of `unit` (none at the top).

    The context line counts the unit's siblings twice (how many, and how many come before it):
    in a series of 100,000 that is the costly part of an item's page, so for visitors it is
    cached per catalogue state with the units above, like the child counts. Reordering siblings
    moves no datestamp, so the unit's position is part of the key: a reorder renumbers them."""
    if unit.parent_id is None:
        return Place()
    context = _counted(("context", unit.pk, unit.position), user, lambda: arrangement.context(unit, user))
    previous, following = arrangement.neighbours(unit, user)
    # Their titles in the reader's language, for all of them in one query.
    prefetch_related_objects([u for u in (*context.above, previous, following) if u is not None], _titles())
    return Place(above=context.above, line=context_line(unit, context), previous=previous, next=following)


def context_line(unit, context):
    """“Item 4 of 120 in File 3, Series B, Fonds X”, the units above linked to their pages."""
    named = [
        format_html(
            '<a href="{}">{}</a>', above.get_absolute_url(),
            UNIT_NAMED % {"level": level_label(above), "title": title_of(above)},
        )
        for above in reversed(context.above)
    ]
    return mark_safe(escape(CONTEXT_LINE) % {
        "level": escape(level_label(unit)),
        "number": number_format(context.number, force_grouping=True),
        "count": number_format(context.of, force_grouping=True),
        "units": escape(UNITS_JOINED).join(named),
    })


def opened(unit, identifiers, user):
    """{identifier: unit} of the units below `unit` that `identifiers` name and `user` may see,
    at most OPEN_LIMIT of them (one query)."""
    wanted = list(dict.fromkeys(identifiers))[:OPEN_LIMIT]
    if not wanted:
        return {}
    found = Item.objects.visible_to(user).filter(arrangement.subtree_q(unit), identifier__in=wanted)
    return {one.identifier: one for one in found}


def contents(unit, user, *, page_number=None, open_units=None, fragment=False):
    """The first level of `unit`'s tree: page `page_number` of the units under it, with every
    unit named in `open_units` ({identifier: unit}, from `opened`) opened below it.

    None when no unit lies under it. With `fragment` the level is for arkiv.js to insert (the
    tree_level view), so it carries a “more” link to its next page like any deeper level."""
    open_units = open_units or {}
    page = Paginator(Children(unit, user), settings.ARKIV_BROWSE_PAGE_SIZE).get_page(page_number)
    if not page.paginator.count:
        return None
    return _level(unit, user, page, root=unit, open_units=open_units, root_page=page.number, more=fragment)


def _counted(parts, user, count):
    """count(), cached per catalogue state for visitors (what they see is what the state follows)."""
    return count() if previews(user) else cached(parts, count)


def child_counts(units, user):
    """arrangement.child_counts, cached for visitors."""
    return _counted(("child counts", tuple(unit.pk for unit in units)), user, lambda: arrangement.child_counts(units, user))


def _level(parent, user, page, *, root, open_units, root_page, more):
    units = list(page.object_list)
    counts = child_counts(units, user)
    nodes = []
    for child in units:
        node = Node(child, counts.get(child.pk, 0))
        if node.count:
            node.open = child.identifier in open_units
            node.toggle_url = _toggle_url(root, root_page, open_units, child)
            if node.open:
                below = Paginator(Children(child, user), settings.ARKIV_BROWSE_PAGE_SIZE).get_page(1)
                node.below = _level(child, user, below, root=root, open_units=open_units, root_page=root_page, more=True)
        nodes.append(node)
    level = TreeLevel(parent, page, nodes)
    if more and page.has_next():
        following = page.next_page_number()
        level.more_url = f"{parent.get_absolute_url()}?{urlencode({'page': following})}#contents"
        level.more_fragment = f"{tree_url(parent)}?{urlencode({'page': following})}"
    return level


def _toggle_url(root, root_page, open_units, unit):
    """The address of `root`'s page with `unit` opened, or closed (with whatever was open below
    it) if it is open; the rest of the tree as it was."""
    if unit.identifier in open_units:
        kept = [
            identifier for identifier, other in open_units.items()
            if identifier != unit.identifier and unit.pk not in other.ancestor_ids()
        ]
    else:
        kept = [*open_units, unit.identifier]
    query = [("page", root_page)] if root_page > 1 else []
    query += [(OPEN, identifier) for identifier in kept]
    address = root.get_absolute_url()
    return f"{address}?{urlencode(query)}#unit-{unit.identifier}" if query else f"{address}#unit-{unit.identifier}"


def tree_url(unit):
    """Where arkiv.js reads a level of the tree under `unit` (the fragment view)."""
    return reverse("catalog:unit-tree", kwargs={"identifier": unit.identifier})


def finding_aid_downloads(unit):
    """(label, URL) of the EAD finding aids of the arrangement `unit` heads (finding_aid.py)."""
    return [
        (label, reverse("catalog:finding_aid", kwargs={"identifier": unit.identifier, "format": format_name}))
        for label, format_name in (
            (_("EAD3 finding aid"), "ead3"), (_("apeEAD finding aid (Archives Portal Europe)"), "apeead"),
        )
    ]


def arrangements(limit):
    """(unit, units directly under it) of the published fonds and collections: the units at the
    top of an arrangement with units below them (arrangement.tops) described at a level above a
    single item, at most `limit`, in the order the archivists gave them.

    The level comes first in the query, so that it reads the few units described above item
    level through their index rather than every unit at the top, which every item of a catalogue
    that is not arranged is (100,000 of them: 100 ms on SQLite). An item with parts (an album
    and its photographs) is no fonds, and is not listed. Cached per catalogue state."""
    def find():
        above_items = Level.objects.exclude(code=ITEM).values("pk")
        tops = arrangement.tops(None).filter(level__in=above_items)
        return list(tops.order_by("position", "sort_title", "id").values_list("pk", flat=True)[:limit])

    pks = cached(("arrangements", limit), find)
    if not pks:
        return []
    found = listed(Item.objects.published()).in_bulk(pks)
    tops = [found[pk] for pk in pks if pk in found]
    counts = child_counts(tops, None)
    return [(top, counts[top.pk]) for top in tops]
