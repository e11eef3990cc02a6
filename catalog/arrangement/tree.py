"""Reading the arrangement: paths, children, neighbours and context, each in a bounded number of
queries whatever the size of the tree (children are paged by the caller; counts come from the
children indexes, never from walking a subtree)."""
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q

from catalog.lookups import StartsWithExactly
from catalog.models import Item


def subtree_q(unit, prefix=""):
    """The condition for every unit below `unit` (not the unit itself)."""
    return Q(StartsWithExactly(F(f"{prefix}ancestry"), unit.subtree_prefix))


def subtree(unit, *, including=False):
    """The units below `unit`, and with `including` the unit as well."""
    condition = subtree_q(unit)
    if including:
        condition |= Q(pk=unit.pk)
    return Item.objects.filter(condition)


def path(unit):
    """The units above `unit`, outermost first (its breadcrumb)."""
    ids = unit.ancestor_ids()
    if not ids:
        return []
    found = {above.pk: above for above in Item.objects.filter(pk__in=ids).select_related("level")}
    return [found[pk] for pk in ids if pk in found]


def children(unit, user=None):
    """The units directly under `unit` that `user` may see, in arrangement order (a queryset:
    the caller pages it)."""
    return Item.objects.visible_to(user).filter(parent=unit).select_related("level").order_by("position", "id")


def child_counts(units, user=None):
    """{pk: number of units directly under it that `user` may see}, for a page of units, in
    one query on the children index."""
    pks = [unit.pk for unit in units]
    if not pks:
        return {}
    rows = (
        Item.objects.visible_to(user).filter(parent_id__in=pks)
        .values("parent_id").annotate(n=Count("pk")).values_list("parent_id", "n")
    )
    return {pk: 0 for pk in pks} | dict(rows)


def neighbours(unit, user=None):
    """(previous, next) among `unit`'s siblings that `user` may see, in arrangement order."""
    if unit.parent_id is None:
        return None, None
    siblings = Item.objects.visible_to(user).filter(parent_id=unit.parent_id)
    key = Q(position=unit.position, pk__lt=unit.pk) | Q(position__lt=unit.position)
    before = siblings.filter(key).order_by("-position", "-id").first()
    after = siblings.filter(Q(position=unit.position, pk__gt=unit.pk) | Q(position__gt=unit.position)).order_by("position", "id").first()
    return before, after


@dataclass(frozen=True)
class Context:
    """Where a unit sits: its number among its siblings (1-based), how many there are, and the
    units above it, outermost first."""

    number: int
    of: int
    above: list

    @property
    def parent(self):
        return self.above[-1] if self.above else None


def context(unit, user=None):
    """The context line of `unit` (“Item 4 of 120 in File 3, Series B, Fonds X”), or None at the
    top of an arrangement."""
    if unit.parent_id is None:
        return None
    siblings = Item.objects.visible_to(user).filter(parent_id=unit.parent_id)
    before = siblings.filter(Q(position=unit.position, pk__lt=unit.pk) | Q(position__lt=unit.position)).count()
    return Context(number=before + 1, of=siblings.count(), above=path(unit))


def tops(user=None):
    """The units at the top of an arrangement that have units below them: the fonds and
    assembled collections (each an OAI set, and the site's list of arrangements)."""
    below = Item.objects.filter(parent=OuterRef("pk"))
    return Item.objects.visible_to(user).filter(parent__isnull=True).filter(Exists(below))
