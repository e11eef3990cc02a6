"""The sets harvesters can select: one per collection, one per DCMI type, and one per
arrangement.

Collections give their setSpec (parent:child for nested ones). The DCMI types form their own
branch under "type" (type:StillImage, type:Text, ...); all twelve are always listed, used or
not, so that the list of sets does not change under a harvester as items come and go. The
arrangements form the branch "fonds": each unit at the top of an arrangement with units below
it (a fonds, an assembled collection: arrangement.tops()) is the set fonds:<its identifier>,
holding it and every unit below it; "fonds" itself holds every unit in any arrangement and is
always listed, like "type".

ListSets gives the collections first, then the fixed sets (the type branch, then "fonds"),
then the arrangements. Collections and arrangements each come in the database's order of their
setSpec or identifier, and a page's cursor says where each stopped in that same order, compared
by the database: the fixed sets are never sorted in among them, since Python and the database
may order strings differently and the cursor must mean the same thing to both.
"""
from dataclasses import dataclass

from catalog import arrangement, dublincore
from catalog.models import Collection
from catalog.models.items import FONDS_SET, TYPE_SET, fonds_set

from .records import reference_codes


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str
    description: str = ""


TYPE_SETS = (
    OAISet(TYPE_SET, "Items by DCMI type", "Every item, grouped by its type in the DCMI Type Vocabulary."),
    *(OAISet(f"{TYPE_SET}:{name}", f"DCMI type: {name}") for name in dublincore.DCMI_TYPES),
)
FONDS_SETS = OAISet(
    FONDS_SET, "Archival arrangements",
    "Every unit of description in an arrangement (fonds, series, file, item ...), each also in the "
    "set of the fonds or collection at its top (fonds:<identifier>).",
)
FIXED_SETS = (*TYPE_SETS, FONDS_SETS)


def exists(spec: str) -> bool:
    """Whether ListSets lists `spec`, compared exactly: setSpecs are case-sensitive."""
    if any(oai_set.spec == spec for oai_set in FIXED_SETS):
        return True
    if spec.startswith(FONDS_SET + ":"):
        return _arrangements().filter(identifier=spec.removeprefix(FONDS_SET + ":")).exists()
    return Collection.objects.filter(set_spec=spec).exists()


def count() -> int:
    return Collection.objects.count() + len(FIXED_SETS) + _arrangements().count()


def page(*, after: str | None = None, types_done: int = 0, fonds_after: str | None = None, size: int):
    """The next `size` sets, whether more follow, and where the next page starts:
    (sets, more, (after, types_done, fonds_after)).

    `after` is the setSpec of the last collection given, `types_done` how many of the fixed
    sets were, `fonds_after` the identifier of the last arrangement's top unit. A source is read
    only while the page has room, and each gives one more than it may use, to tell whether
    more follow.
    """
    collections = Collection.objects.order_by("set_spec")
    if after is not None:
        collections = collections.filter(set_spec__gt=after)
    found = [
        OAISet(spec, title, description)
        for spec, title, description in collections.values_list("set_spec", "title", "description")[: size + 1]
    ]
    collections_given = min(len(found), size)
    found += FIXED_SETS[types_done : types_done + size + 1]
    fixed_given = min(len(found), size) - collections_given
    if len(found) <= size:
        found += _arrangement_sets(after=fonds_after, size=size + 1 - len(found))
    kept = found[:size]
    if collections_given:
        after = kept[collections_given - 1].spec
    arrangements_given = len(kept) - collections_given - fixed_given
    if arrangements_given:
        fonds_after = kept[-1].spec.removeprefix(FONDS_SET + ":")
    return kept, len(found) > size, (after, types_done + fixed_given, fonds_after)


def _arrangements():
    # What harvesters may see: a draft fonds hides itself and all below it.
    return arrangement.tops(None)


def _arrangement_sets(*, after, size):
    tops = _arrangements().order_by("identifier")
    if after is not None:
        tops = tops.filter(identifier__gt=after)
    reference_code = reference_codes()
    return [
        OAISet(
            fonds_set(identifier),
            title or identifier,
            f"{reference_code(reference or identifier)}: the {(level or 'unit').lower()} and every unit arranged below it.",
        )
        for identifier, title, reference, level in tops.values_list("identifier", "sort_title", "reference", "level__name")[:size]
    ]
