"""Facet counts for the public browse.

A facet counts the items that every OTHER active filter lets through, as the Django admin's
FacetsMixin does: choosing "Kirkenes" leaves the other places listed with what they would add,
which is what makes several values of one facet combine with OR. Each facet costs one aggregate
query; values that no item has never appear. Authority facets count records, not spellings:
Diakonoff, Diakonov and Dyakonov are one person under the preferred label.
"""
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Concat, ExtractYear

from .filters import (
    AGENT_TERMS, PLACE_TERMS, SUBJECT_TERMS, ItemFilterSet, language_label, type_label,
)
from .models import Collection, DigitalFile, Item, Statement

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


def facets_for(filterset: ItemFilterSet) -> list[Facet]:
    """Every facet of the browse, each counted against the other active filters."""
    chosen = {name: {key for n, key, _ in filterset.active_values() if n == name} for name in ItemFilterSet.FACETS}
    facets = []
    for name, label, counter in FACETS:
        values = counter(filterset.queryset_without(name), chosen[name])
        if values:
            facets.append(Facet(name, label, values))
    return facets


def count_types(items, chosen):
    rows = items.order_by().values("dcmi_type").annotate(count=Count("pk")).order_by("-count", "dcmi_type")
    return [
        FacetValue(row["dcmi_type"], type_label(row["dcmi_type"]), row["count"], row["dcmi_type"] in chosen)
        for row in rows
    ]


def count_collections(items, chosen=frozenset(), collections=None):
    """Items per collection (of `collections`, else all), counting those of sub-collections too."""
    through = Item.collections.through
    in_subtree = through.objects.filter(
        Q(collection__set_spec=OuterRef("set_spec"))
        | Q(collection__set_spec__startswith=Concat(OuterRef("set_spec"), Value(":"))),
        item__in=items.order_by().values("pk"),
    )
    # Grouping by a constant makes one row per collection: the number of distinct items.
    number = in_subtree.order_by().annotate(one=Value(1)).values("one").annotate(
        n=Count("item_id", distinct=True)
    ).values("n")
    rows = (
        (Collection.objects.all() if collections is None else collections)
        .annotate(count=Subquery(number, output_field=IntegerField()))
        .filter(count__gt=0)
        .order_by("set_spec")
        .values("identifier", "title", "set_spec", "count")[:VALUES_PER_FACET * 4]
    )
    return [
        FacetValue(row["identifier"], row["title"], row["count"], row["identifier"] in chosen,
                   depth=row["set_spec"].count(":"))
        for row in rows
    ]


def _authority_counter(terms):
    def count_authorities(items, chosen):
        rows = (
            Statement.objects.filter(
                item__in=items.order_by().values("pk"), term__in=terms, authority__isnull=False
            )
            .values("authority__slug", "authority__preferred_label")
            .annotate(count=Count("item", distinct=True), chosen=_chosen_first("authority__slug", chosen))
            .order_by("chosen", "-count", "authority__preferred_label")[:VALUES_PER_FACET]
        )
        return [
            FacetValue(row["authority__slug"], row["authority__preferred_label"], row["count"],
                       row["authority__slug"] in chosen)
            for row in rows
        ]

    return count_authorities


def count_languages(items, chosen):
    rows = (
        Statement.objects.filter(item__in=items.order_by().values("pk"), term="language")
        .exclude(value="")
        .values("value")
        .annotate(count=Count("item", distinct=True), chosen=_chosen_first("value", chosen))
        .order_by("chosen", "-count", "value")[:VALUES_PER_FACET]
    )
    return [FacetValue(row["value"], language_label(row["value"]), row["count"], row["value"] in chosen) for row in rows]


def count_decades(items, chosen):
    # PostgreSQL's EXTRACT gives a numeric (1945 / 10 = 194.5): cast first, so / is integer division.
    decade = Cast(ExtractYear("date_earliest"), IntegerField()) / 10 * 10
    rows = (
        items.order_by().filter(date_earliest__isnull=False)
        .annotate(decade=decade).values("decade").annotate(count=Count("pk")).order_by("decade")
    )
    return [
        FacetValue(str(row["decade"]), f"{row['decade']}s", row["count"], str(row["decade"]) in chosen)
        for row in rows
    ]


def count_files(items, chosen):
    totals = items.order_by().aggregate(
        all=Count("pk"), with_files=Count("pk", filter=Q(pk__in=DigitalFile.objects.values("item_id")))
    )
    values = [
        FacetValue("true", "With digital files", totals["with_files"], "true" in chosen),
        FacetValue("false", "Without digital files", totals["all"] - totals["with_files"], "false" in chosen),
    ]
    return [value for value in values if value.count]


def _chosen_first(field, chosen):
    if not chosen:
        return Value(1)
    return Case(When(**{f"{field}__in": list(chosen)}, then=0), default=1, output_field=IntegerField())


FACETS = (
    ("type", "Type", count_types),
    ("collection", "Collection", count_collections),
    ("subject", "Subject", _authority_counter(SUBJECT_TERMS)),
    ("agent", "Person or organisation", _authority_counter(AGENT_TERMS)),
    ("place", "Place", _authority_counter(PLACE_TERMS)),
    ("language", "Language", count_languages),
    ("decade", "Decade", count_decades),
    ("has_file", "Digital file", count_files),
)
