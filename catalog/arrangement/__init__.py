"""The arrangement: units of description placed one under another, from a fonds to its items.

One way in for the rest of Arkiv. `tree` reads (a unit's path from the top, its children in
order, its neighbours, its context line); `moves` writes (move a subtree, reorder siblings, and
carry a unit's new place or status down to every unit below it).

A unit's place is its `parent` and `position`. Three fields are derived from it and stored, so
that no page has to walk the tree: `ancestry` (the ids above it, "/12/345/": a subtree is one
prefix), `reference` (the local codes from the top down, "KF/B/3": the reference code, unique),
and `ancestors_public` (whether every unit above is published: the visibility rule hides
everything below a draft unit). Item.place() derives them for one unit as it is saved;
`moves.refresh_below()` carries them to the units below, in batches, inside the caller's
transaction, so that a harvester sees a subtree before a move or after it, never half-moved.
"""
from .moves import move, refresh_below, reorder, subtree_size
from .tree import Context, children, child_counts, context, neighbours, path, subtree, subtree_q, tops

__all__ = [
    "Context", "child_counts", "children", "context", "move", "neighbours", "path", "refresh_below",
    "reorder", "subtree", "subtree_q", "subtree_size", "tops",
]
