"""The sets harvesters can select: one per collection, and one per DCMI type.

Collections give their setSpec (parent:child for nested ones). The DCMI types form their own
branch under "type" (type:StillImage, type:Text, ...); all twelve are always listed, used or
not, so that the list of sets does not change under a harvester as items come and go; they
come after the collections in ListSets.
"""
from dataclasses import dataclass

from catalog import dublincore
from catalog.models import Collection
from catalog.models.items import TYPE_SET


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str
    description: str = ""


TYPE_SETS = (
    OAISet(TYPE_SET, "Items by DCMI type", "Every item, grouped by its type in the DCMI Type Vocabulary."),
    *(OAISet(f"{TYPE_SET}:{name}", f"DCMI type: {name}") for name in dublincore.DCMI_TYPES),
)


def exists(spec: str) -> bool:
    """Whether ListSets lists `spec`, compared exactly: setSpecs are case-sensitive."""
    return any(oai_set.spec == spec for oai_set in TYPE_SETS) or Collection.objects.filter(set_spec=spec).exists()


def count() -> int:
    return Collection.objects.count() + len(TYPE_SETS)


def page(*, after: str | None = None, types_done: int = 0, size: int):
    """The next `size` sets, whether more follow, and where the next page starts:
    (sets, more, (after, types_done)).

    Collections come first, in the database's setSpec order after the setSpec `after`; the
    type sets follow, of which `types_done` were already given. The type sets are never sorted
    in among the collections: Python and the database may order strings differently, and the
    cursor must mean the same thing to both.
    """
    collections = Collection.objects.order_by("set_spec")
    if after is not None:
        collections = collections.filter(set_spec__gt=after)
    found = [
        OAISet(spec, title, description)
        for spec, title, description in collections.values_list("set_spec", "title", "description")[: size + 1]
    ]
    collections_given = min(len(found), size)
    found += TYPE_SETS[types_done : types_done + size + 1]
    kept = found[:size]
    if collections_given:
        after = kept[collections_given - 1].spec
    return kept, len(found) > size, (after, types_done + len(kept) - collections_given)
