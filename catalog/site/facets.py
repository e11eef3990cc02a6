"""Facet counts for the public browse, read from the facet index (catalog/facets/).

A facet counts the items that every OTHER active filter lets through, as the Django admin's
FacetsMixin does: choosing "Kirkenes" leaves the other places listed with what they would add,
which is what makes several values of one facet combine with OR. Values that no item has never
appear. Authority facets count records, not spellings: Diakonoff, Diakonov and Dyakonov are one
person, named by the record's variant in the language of the request where it has one (Den røde
armé for the Red Army in Norwegian), else by its preferred label.

When no other filter is active, a facet's counts are read from the counts the index keeps
(FacetCount: a few rows a value, whatever the size of the catalogue); otherwise a GROUP BY over
the index's (facet, key, item) rows of the items the other filters let through (the browse's own
filters, as a subquery, so the counts mean exactly what the filters do), one for all the facets
that the same filters narrow (facets_for). Before the index, each facet was an aggregate over
the items and their statements: 1.1 s for the statement facets of an unfiltered browse of 100,000
items (tests/site/facets_reference.py keeps that way as the reference the tests compare with).
Labels are read for the values shown only. Counts under filters the index holds are cached and
brought up to date after an edit by the change log (cached_facets, catalog/facets/changes.py);
others under the catalogue version (caching.py), which every visible change moves.
"""
from dataclasses import dataclass

from django.db.models import CharField, Count, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import dates, languages, rights
from ..facets import changes
from ..search.query import parse
from .searched import search_counts, visible_matches
from .caching import cached, keep, recall
from ..facets.models import FacetCount, FacetEntry
from .filters import WITH_FILES, WITHOUT_FILES, ItemFilterSet, language_label, type_label
from ..models import Authority, AuthorityVariant, Collection, Level

# Long tails (hundreds of subjects) are cut here; a chosen value is always kept, first.
VALUES_PER_FACET = 30


@dataclass(frozen=True)
class FacetValue:
    key: str  # the value as written in the query string
    label: str
    count: int
    selected: bool = False
    depth: int = 0  # nesting of collections, for indentation


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter, and the FilterSet filter
    label: str
    values: list

    @property
    def selected(self):
        return [value for value in self.values if value.selected]


def cached_facets(filterset: ItemFilterSet) -> list[Facet]:
    """facets_for(filterset), its counts cached (tallies only: labels are read for each request,
    in its language, so a renamed record or collection never needs a count thrown away).

    The counts of facets with no other filter active come from the kept counts and are never
    cached. The rest are cached with the token of the index's change log they were counted at
    (catalog/facets/changes.py), if every active filter is one the index holds: a later request
    brings them up to date by what the items changed since then add and take away (patched()),
    so an edit costs the next visitor the rows of the items it changed, not a recount of every
    item of the chosen values. Filters the index does not hold (a search, years, a unit to look
    within) are cached under the catalogue version, which every visible change moves."""
    signature = filterset.signature()
    searched = _search_counts(filterset)
    if searched is not None:
        return facets_for(filterset, tally=lambda names, items: {name: searched["facets"][name] for name in names})
    if _index_only(filterset):
        chosen = _chosen_keys(filterset)
        return facets_for(filterset, tally=lambda names, items: patched(
            ("facet counts", signature, names), names, items,
            {other: keys for other, keys in chosen.items() if other not in names},
        ))
    return facets_for(filterset, tally=lambda names, items: cached(
        ("facet counts", signature, names), lambda: _full_counts(names, items),
    ))


def _search_counts(filterset):
    """The counts of a search whose other filters are all ones the index holds, kept up to date
    by the change log (searched.py); None for any other filterset."""
    if not _kept_by_search(filterset):
        return None
    named = {name for name, _, _ in filterset.active_values()}
    chosen = _chosen_keys(filterset)
    groups = [
        (tuple(names), {other: keys for other, keys in chosen.items() if other not in names})
        for names in _groups(named).values()
    ]
    return search_counts(filterset, groups, chosen, lambda names: _counted_items(filterset, names))


def search_candidates(filterset):
    """The ids, as a BitMap, of the visible items the search of `filterset` finds under its other
    filters, from its kept counts (searched.visible_matches); None where they are not kept."""
    if _search_counts(filterset) is None:
        return None
    return visible_matches(filterset, _chosen_keys(filterset))


def _counted_items(filterset, names):
    """The ids of the items the facets `names` of one group are counted over: those every other
    active filter lets through (the same for every facet of the group)."""
    return filterset.queryset_without(names[0]).order_by().values("pk")


def _kept_by_search(filterset):
    """Whether the filterset searches words, and its other filters are all ones the index holds."""
    named = {name for name, _, _ in filterset.active_values()}
    return "q" in named and not named & {"within", "year_from", "year_to"} and bool(parse(filterset.query))


def _groups(named):
    """{other active filters: [facet names]}: the facets counted over the same items (those the
    other filters let through), for the names of the active filters; a facet that no other
    filter narrows is in none (its counts are the kept ones)."""
    groups = {}
    for name, _label, _counter in FACETS:
        others = frozenset(named - {name})
        if others:
            groups.setdefault(others, []).append(name)
    return groups


def patched(parts, names, items, others):
    """{facet: {key: count}} of the facets `names` over `items` (the items the `others` filters
    let through: {facet: chosen keys}), from the cache brought up to date by the change log,
    else counted afresh."""
    kept = recall(parts)
    if kept is not None:
        changed, token = changes.since(kept["token"])
        if changed is not None:
            if not changed:
                return kept["counts"]
            counts = {name: dict(found) for name, found in kept["counts"].items()}
            for old, new in changed.values():
                changes.moved(counts, old, -1, names, others)
                changes.moved(counts, new, 1, names, others)
            counts = {name: {key: n for key, n in found.items() if n > 0} for name, found in counts.items()}
            keep(parts, {"token": token, "counts": counts})
            return counts
    rows, token = changes.counted_with_token(*grouped(names, items).query.sql_with_params(), width=3)
    counts = _by_facet(names, rows)
    keep(parts, {"token": token, "counts": counts})
    return counts


def _index_only(filterset):
    """Whether each active filter is one the index holds as rows (an item passes it when it has
    a row of one of its chosen keys), and one is."""
    named = {name for name, _, _ in filterset.active_values()}
    return bool(named) and not named & {"q", "within", "year_from", "year_to"}


def _chosen_keys(filterset):
    """{facet: set of index keys} of the active filters."""
    active = filterset.cleaned()
    named = {name for name, _, _ in filterset.active_values()}
    return {name: set(_index_keys(name, active[name])) for name in ItemFilterSet.FACETS if name in named}


def result_dependency(filterset):
    """What the head of a browse result (its count and first ids in its order) depends on: if
    every active filter is one the index holds, only the items it lets through before or after
    a change (WhileUnchanged); else None (the catalogue version), and so when nothing is chosen,
    since any item's title can move the head of /items/."""
    return WhileUnchanged(_chosen_keys(filterset)) if _index_only(filterset) else None


class WhileUnchanged:
    """An answer about the items some index filters let through ({facet: chosen keys}), kept
    until one of those items changes: the change log (catalog/facets/changes.py) names the items
    changed since it was made, with their rows before and after; if none passed the filters
    either time, nothing it holds (which items, their order, their count) can have moved."""

    def __init__(self, chosen):
        self.chosen = chosen

    def cached(self, parts, compute):
        kept = recall(parts)
        if kept is not None:
            changed, token = changes.since(kept["token"])
            if changed is not None and not any(changes.passes(rows, self.chosen) for both in changed.values() for rows in both):
                if changed:
                    keep(parts, {"token": token, "answer": kept["answer"]})
                return kept["answer"]
        token = changes.current_token()
        answer = compute()
        keep(parts, {"token": token, "answer": answer})
        return answer


SINGLE_VALUED = frozenset({"type", "level", "decade", "has_file"})
"""Facets of which an item has one key at most, and whose filter lets through exactly the items
of the keys: the items of several keys are their sum. (Not reuse: its filter leaves out rights
URIs outside the controlled list, which the facet counts as unknown.)"""


def kept_count(filterset):
    """A function counting the result of `filterset` from the kept counts, where they can: no
    filter at all (every visible item has one type row), or only values of one single-valued
    facet; or from the kept counts of a search (searched.py); else None."""
    active = filterset.active_values()
    names = {name for name, _, _ in active}
    if _kept_by_search(filterset):
        return lambda: _search_counts(filterset)["count"]
    if not names:
        return lambda: FacetCount.objects.filter(facet="type").aggregate(total=Sum("items"))["total"] or 0
    if len(names) == 1 and names <= SINGLE_VALUED:
        (name,) = names
        keys = _index_keys(name, filterset.cleaned()[name])
        return lambda: FacetCount.objects.filter(facet=name, key__in=keys).aggregate(total=Sum("items"))["total"] or 0
    return None


def _index_keys(name, value):
    """The keys the index stores for a filter's cleaned value."""
    values = value if isinstance(value, (list, tuple, QuerySet)) else [value]
    if name in ("subject", "agent", "place", "collection"):
        return [str(one.pk) for one in values]
    if name == "level":
        return [one.code for one in values]
    if name == "has_file":
        return ["true" if one else "false" for one in values]
    return [str(one) for one in values]


def overview() -> dict:
    """Published items: how many, per type, and per collection (sub-collections included);
    the types labelled in the language of the request. Read from the kept counts: never cached."""
    types = count_types(None, chosen=())
    return {
        "items": sum(value.count for value in types),  # every visible item has one type row
        "types": types,
        "collections": {value.key: value.count for value in count_collections(None)},
    }


def facets_for(filterset: ItemFilterSet, *, tally=None) -> list[Facet]:
    """Every facet of the browse, each counted against the other active filters.

    `tally(names, items)` returns {facet: {key: count}} of the facets `names` over `items` (a
    subquery), or a cached answer of it: it is asked for the facets that another filter narrows
    (cached_facets). Facets narrowed by the same filters (every facet no value of which is
    chosen: all of them on a search) are counted over the same items, so in one query: a search
    of half a million matches reads their index rows once, not once a facet."""
    active = filterset.active_values()
    named = {n for n, _, _ in active}
    chosen = {name: {key for n, key, _ in active if n == name} for name in ItemFilterSet.FACETS}
    tallied = {}
    for names in _groups(named).values():
        items = _counted_items(filterset, names)
        tallied.update(tally(tuple(names), items) if tally else _full_counts(tuple(names), items))
    facets = []
    for name, label, counter in FACETS:
        if name in tallied:
            counted = counter.trim(tallied[name], chosen[name])
        else:
            counted = counter.count(None, chosen[name])
        values = counter.present(counted, chosen[name])
        if values:
            facets.append(Facet(name, str(label), values))
    return facets


def _full_counts(names, items):
    """{facet: {key: count}} of the facets `names` over `items` (a subquery of ids)."""
    return _by_facet(names, grouped(names, items).values_list("facet", "key", "count"))


def _by_facet(names, rows):
    counts = {name: {} for name in names}
    for facet, key, count in rows:
        if facet in counts:
            counts[facet][key] = count
    return counts


def grouped(names, items):
    """Rows of (facet, key, count) of the facets `names` over `items`. Asked for every facet, the
    index's rows are read by item alone (its unique key), which skips no row worth skipping."""
    rows = FacetEntry.objects.filter(item_id__in=items)
    if set(names) != {name for name, _label, _counter in FACETS}:
        rows = rows.filter(facet__in=names)
    return rows.values("facet", "key").annotate(count=Count("*")).order_by()


def _kept_counts(facet):
    """{key: count} of one facet over every visible item, read from the kept counts: a few rows
    a key instead of a row an item."""
    rows = FacetCount.objects.filter(facet=facet).values("key").annotate(count=Sum("items")).filter(count__gt=0)
    return {row["key"]: row["count"] for row in rows.order_by()}


class Counter:
    """A facet in steps: count(items, chosen) returns plain data (keys and counts, no label):
    trim() of every key's count, {key: count}; present(counted, chosen) labels it in the
    request's language. The full counts of a filtered facet are what is cached and patched."""

    def __init__(self, facet, trim, present):
        self.facet, self.trim, self.present = facet, trim, present

    def count(self, items, chosen):
        """`items`: a subquery of ids, or None for every visible item (the kept counts)."""
        counts = _kept_counts(self.facet) if items is None else _full_counts((self.facet,), items)[self.facet]
        return self.trim(counts, chosen)

    def __call__(self, items, chosen):
        return self.present(self.count(items, chosen), chosen)


def _by_count(counts, chosen):
    """[(key, count)], the commonest first (then by key)."""
    return sorted(counts.items(), key=lambda entry: (-entry[1], entry[0]))


def _all(counts, chosen):
    return counts


def _present_types(counted, chosen):
    return [FacetValue(key, type_label(key), count, key in chosen) for key, count in counted]


def _present_levels(counts, chosen):
    """Broadest level first (a unit stored without a level is an item). Shown only where it
    tells something: when the units found are of more than one level, or a level is chosen."""
    known = {level.code: level for level in Level.objects.filter(code__in=counts)}
    levels = {
        code: (known[code].position, known[code].label) if code in known else (0, Level(code=code, name="Item").label)
        for code in counts
    }
    values = [
        FacetValue(code, label, counts[code], code in chosen)
        for code, (_position, label) in sorted(levels.items(), key=lambda entry: (entry[1][0], entry[0]))
    ]
    return values if len(values) > 1 or chosen else []


def _present_collections(counts, chosen):
    """Items per collection, its sub-collections' included (the index holds a row for each
    collection an item is in and each above it), in the order of the tree."""
    tree = Collection.objects.order_by("set_spec").values_list("pk", "identifier", "title", "set_spec")
    return [
        FacetValue(identifier, title, counts[str(pk)], identifier in chosen, depth=set_spec.count(":"))
        for pk, identifier, title, set_spec in tree if counts.get(str(pk))
    ]


def _trim_authorities(counts, chosen):
    """{record id: items} of the records that can be among the first VALUES_PER_FACET (chosen
    ones first, then by count, then by label): the chosen, and those at or above the cut's
    count, whatever their labels."""
    counts = {int(key): count for key, count in counts.items()}
    chosen_ids = set(Authority.objects.filter(slug__in=chosen).values_list("pk", flat=True)) if chosen else set()
    ranked = sorted(counts, key=lambda pk: (pk not in chosen_ids, -counts[pk]))
    if len(ranked) > VALUES_PER_FACET:
        last = ranked[VALUES_PER_FACET - 1]
        cut = (last not in chosen_ids, -counts[last])
        ranked = [pk for pk in ranked if (pk not in chosen_ids, -counts[pk]) <= cut]
    return {pk: counts[pk] for pk in ranked}


def _present_authorities(counts, chosen):
    # Labels ordered by the database, as the browse always ordered them (its collation).
    records = list(
        Authority.objects.filter(pk__in=counts)
        .annotate(label=Coalesce(_variant_label(get_language()), F("preferred_label")))
        .order_by("label", "slug").values_list("pk", "slug", "label")
    )
    records.sort(key=lambda record: (record[1] not in chosen, -counts[record[0]]))
    return [FacetValue(slug, label, counts[pk], slug in chosen) for pk, slug, label in records[:VALUES_PER_FACET]]


def _variant_label(language):
    """The record's first variant in `language`, as languages.authority_label picks it (none in
    the catalogue's own language)."""
    if languages.names_by_preferred_label(language):
        return Value(None, output_field=CharField())
    variants = AuthorityVariant.objects.filter(languages.language_q("lang", language), authority=OuterRef("pk"))
    return Subquery(variants.order_by("label").values("label")[:1])


def _trim_languages(counts, chosen):
    ranked = sorted(counts.items(), key=lambda entry: (entry[0] not in chosen, -entry[1], entry[0]))
    return ranked[:VALUES_PER_FACET]


def _present_languages(counted, chosen):
    return [FacetValue(key, language_label(key), count, key in chosen) for key, count in counted]


def _present_decades(counts, chosen):
    return [
        FacetValue(key, dates.decade_label(int(key)), counts[key], key in chosen)
        for key in sorted(counts, key=int)
    ]


def _present_files(counts, chosen):
    values = [
        FacetValue("true", str(WITH_FILES), counts.get("true", 0), "true" in chosen),
        FacetValue("false", str(WITHOUT_FILES), counts.get("false", 0), "false" in chosen),
    ]
    return [value for value in values if value.count]


def _present_reuse(counts, chosen):
    """The answers to "Can I reuse this?" in the groups' fixed order."""
    return [
        FacetValue(group, str(rights.REUSE[group]), counts[group], group in chosen)
        for group in rights.REUSE if counts.get(group)
    ]


count_types = Counter("type", _by_count, _present_types)
count_levels = Counter("level", _all, _present_levels)
count_collections_ = Counter("collection", _all, _present_collections)
count_languages = Counter("language", _trim_languages, _present_languages)
count_decades = Counter("decade", _all, _present_decades)
count_files = Counter("has_file", _all, _present_files)
count_reuse = Counter("reuse", _all, _present_reuse)


def count_collections(items, chosen=frozenset()):
    return count_collections_(items, chosen)


def _authority_counter(facet):
    return Counter(facet, _trim_authorities, _present_authorities)


FACETS = (
    ("type", _("Type"), count_types),
    ("level", _("Level of description"), count_levels),
    ("collection", _("Collection"), count_collections_),
    ("subject", _("Subject"), _authority_counter("subject")),
    ("agent", _("Person or organisation"), _authority_counter("agent")),
    ("place", _("Place"), _authority_counter("place")),
    ("language", _("Language"), count_languages),
    ("decade", _("Decade"), count_decades),
    ("has_file", _("Digital file"), count_files),
    ("reuse", _("Can I reuse this?"), count_reuse),
)
