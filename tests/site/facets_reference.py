"""The reference: facet counts as the browse counted them before the facet index (commit
8bb517d's catalog/site/facets.py, unchanged below but for imports), by aggregates over the items
and statements. tests/site/test_facets_index.py checks the index's counts against these.

Facet counts for the public browse.

A facet counts the items that every OTHER active filter lets through, as the Django admin's
FacetsMixin does: choosing "Kirkenes" leaves the other places listed with what they would add,
which is what makes several values of one facet combine with OR. Each facet costs one aggregate
query; values that no item has never appear. Authority facets count records, not spellings:
Diakonoff, Diakonov and Dyakonov are one person, named by the record's variant in the language
of the request where it has one (Den røde armé for the Red Army in Norwegian), else by its
preferred label.

Counting is the costly part of a browse page (an aggregate over every matching item, per
facet), so the counts are cached under the filters they were counted for until the catalogue
changes (caching.py).
"""
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog import dates, languages, rights
from catalog.site.caching import cached
from catalog.site.filters import (
    AGENT_TERMS, PLACE_TERMS, SUBJECT_TERMS, WITH_FILES, WITHOUT_FILES, ItemFilterSet, language_label,
    type_label,
)
from catalog.models import AuthorityVariant, Collection, DigitalFile, Item, Level, Statement
from catalog.models.levels import ITEM

# Long tails (hundreds of subjects) are cut here; a chosen value is always kept, first.
VALUES_PER_FACET = 30
COLLECTIONS_PER_QUERY = 100


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
    """facets_for(filterset), counted once per catalogue state and labelled once per language:
    the labels are part of the answer, so English ones are never shown on a Norwegian page."""
    return cached(("facets", filterset.signature(), get_language()), lambda: facets_for(filterset))


def overview() -> dict:
    """Published items: how many, per type, and per collection (sub-collections included);
    the types labelled in the language of the request."""
    def count():
        items = Item.objects.published()
        return {
            "items": items.count(),
            "types": count_types(items, chosen=()),
            "collections": {value.key: value.count for value in count_collections(items)},
        }

    return cached(("overview", get_language()), count)


def facets_for(filterset: ItemFilterSet) -> list[Facet]:
    """Every facet of the browse, each counted against the other active filters."""
    chosen = {name: {key for n, key, _ in filterset.active_values() if n == name} for name in ItemFilterSet.FACETS}
    facets = []
    for name, label, counter in FACETS:
        values = counter(filterset.queryset_without(name), chosen[name])
        if values:
            facets.append(Facet(name, str(label), values))
    return facets


def count_types(items, chosen):
    rows = items.order_by().values("dcmi_type").annotate(count=Count("pk")).order_by("-count", "dcmi_type")
    return [
        FacetValue(row["dcmi_type"], type_label(row["dcmi_type"]), row["count"], row["dcmi_type"] in chosen)
        for row in rows
    ]


def count_levels(items, chosen):
    """Units per level of description, broadest level first, in one aggregate (a unit stored
    without a level is an item). Shown only where it tells something: when the units found
    are of more than one level, or a level is chosen."""
    rows = (
        items.order_by().values("level__code", "level__name", "level__position")
        .annotate(count=Count("pk")).order_by("level__position", "level__code")
    )
    counts, levels = {}, {}
    for row in rows:
        code = row["level__code"] or ITEM
        counts[code] = counts.get(code, 0) + row["count"]
        if row["level__code"] or code not in levels:
            levels[code] = (row["level__position"] or 0, Level(code=code, name=row["level__name"] or "Item").label)
    values = [
        FacetValue(code, label, counts[code], code in chosen)
        for code, (_position, label) in sorted(levels.items(), key=lambda entry: (entry[1][0], entry[0]))
    ]
    return values if len(values) > 1 or chosen else []


def count_collections(items, chosen=frozenset()):
    """Items per collection, counting those of its sub-collections too.

    One pass over the memberships of `items`, with a conditional count per collection over the
    ids of its subtree. (A correlated subquery per collection reads the same, and took seconds
    at 100,000 items.) Collections are counted a hundred at a time to keep the SQL bounded.
    """
    tree = list(Collection.objects.order_by("set_spec").values_list("pk", "identifier", "title", "set_spec"))
    memberships = Item.collections.through.objects.filter(item__in=items.order_by().values("pk"))
    counts = {}
    for start in range(0, len(tree), COLLECTIONS_PER_QUERY):
        counts |= memberships.aggregate(**{
            f"c{pk}": Count("item_id", distinct=True, filter=Q(collection_id__in=_subtree(tree, set_spec)))
            for pk, _, _, set_spec in tree[start:start + COLLECTIONS_PER_QUERY]
        })
    return [
        FacetValue(identifier, title, counts[f"c{pk}"], identifier in chosen, depth=set_spec.count(":"))
        for pk, identifier, title, set_spec in tree if counts[f"c{pk}"]
    ]


def _subtree(tree, set_spec):
    return [pk for pk, _, _, spec in tree if spec == set_spec or spec.startswith(f"{set_spec}:")]


def _authority_counter(terms):
    def count_authorities(items, chosen):
        # Unlinked values are dropped after grouping (HAVING), not in WHERE: a condition on the
        # authority column there (or grouping by it) leads SQLite to read every statement of the
        # terms through the (term, authority) index, where the (item, term) index reads only the
        # matching items' statements.
        rows = (
            Statement.objects.filter(item__in=items.order_by().values("pk"), term__in=terms)
            .values("authority__slug", "authority__preferred_label")
            .annotate(
                count=Count("item_id", distinct=True), linked=Count("authority_id"),
                chosen=_chosen_first("authority__slug", chosen),
                label=Coalesce(_variant_label(get_language()), F("authority__preferred_label")),
            )
            .filter(linked__gt=0)
            .order_by("chosen", "-count", "label")[:VALUES_PER_FACET]
        )
        return [
            FacetValue(row["authority__slug"], row["label"], row["count"], row["authority__slug"] in chosen)
            for row in rows
        ]

    return count_authorities


def _variant_label(language):
    """The grouped record's first variant in `language`, as languages.authority_label picks it
    (none in the catalogue's own language); read by the slug, the column the counts are grouped by."""
    if languages.names_by_preferred_label(language):
        return Value(None, output_field=CharField())
    variants = AuthorityVariant.objects.filter(
        languages.language_q("lang", language), authority__slug=OuterRef("authority__slug")
    )
    return Subquery(variants.order_by("label").values("label")[:1])


def count_languages(items, chosen):
    rows = (
        Statement.objects.filter(item__in=items.order_by().values("pk"), term="language")
        .exclude(value="")
        .values("value")
        .annotate(count=Count("item_id", distinct=True), chosen=_chosen_first("value", chosen))
        .order_by("chosen", "-count", "value")[:VALUES_PER_FACET]
    )
    return [FacetValue(row["value"], language_label(row["value"]), row["count"], row["value"] in chosen) for row in rows]


def count_decades(items, chosen):
    # The decade is read off the ISO text of the date ("1944-10-25" -> "194"): SQLite would
    # otherwise call a Python function per row to extract the year.
    decade = Substr(Cast("date_earliest", CharField()), 1, 3)
    rows = (
        items.order_by().filter(date_earliest__isnull=False)
        .annotate(decade=decade).values("decade").annotate(count=Count("pk")).order_by("decade")
    )
    return [
        FacetValue(f"{int(row['decade'])}0", dates.decade_label(int(row["decade"]) * 10), row["count"], f"{int(row['decade'])}0" in chosen)
        for row in rows
    ]


def count_files(items, chosen):
    totals = items.order_by().aggregate(
        all=Count("pk"), with_files=Count("pk", filter=Q(pk__in=DigitalFile.objects.values("item_id")))
    )
    values = [
        FacetValue("true", str(WITH_FILES), totals["with_files"], "true" in chosen),
        FacetValue("false", str(WITHOUT_FILES), totals["all"] - totals["with_files"], "false" in chosen),
    ]
    return [value for value in values if value.count]


def count_reuse(items, chosen):
    """Items per answer to "Can I reuse this?": one aggregate per rights URI (from the
    item_rights_idx index), summed into the four groups in their fixed order."""
    totals = dict.fromkeys(rights.REUSE, 0)
    for row in items.order_by().values("rights_uri").annotate(count=Count("pk")).order_by():
        totals[rights.reuse(row["rights_uri"])] += row["count"]
    return [
        FacetValue(group, str(rights.REUSE[group]), count, group in chosen)
        for group, count in totals.items() if count
    ]


def _chosen_first(field, chosen):
    if not chosen:
        return Value(1)
    return Case(When(**{f"{field}__in": list(chosen)}, then=0), default=1, output_field=IntegerField())


FACETS = (
    ("type", _("Type"), count_types),
    ("level", _("Level of description"), count_levels),
    ("collection", _("Collection"), count_collections),
    ("subject", _("Subject"), _authority_counter(SUBJECT_TERMS)),
    ("agent", _("Person or organisation"), _authority_counter(AGENT_TERMS)),
    ("place", _("Place"), _authority_counter(PLACE_TERMS)),
    ("language", _("Language"), count_languages),
    ("decade", _("Decade"), count_decades),
    ("has_file", _("Digital file"), count_files),
    ("reuse", _("Can I reuse this?"), count_reuse),
)
