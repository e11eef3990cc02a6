"""Counts from the facet index equal the counts of the browse before it (tests/site/facets_reference.py),
for every facet, on the demo catalogue and a generated one, unfiltered and under many random
combinations of filters, in English and Norwegian."""
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.utils import translation

from catalog.models import Item
from catalog.site.facets import facets_for
from catalog.site.filters import ItemFilterSet
from tests.site import facets_reference

pytestmark = pytest.mark.django_db

COMBINATIONS = 40


def plain(facets):
    """The facets as tuples; records of one label and count (two Astrid Johansens) in key order,
    which neither way of counting fixes."""
    def ordered(values):
        position = {id(v): n for n, v in enumerate(values)}
        first = {}
        for v in values:
            first.setdefault((v.selected, v.count, v.label), position[id(v)])
        return sorted(values, key=lambda v: (first[(v.selected, v.count, v.label)], v.key))

    return [
        (facet.name, facet.label, [(v.key, v.label, v.count, v.selected, v.depth) for v in ordered(facet.values)])
        for facet in facets
    ]


def assert_same_counts(query):
    filterset = ItemFilterSet(QueryDict(query), queryset=Item.objects.published())
    assert plain(facets_for(filterset)) == plain(facets_reference.facets_for(filterset)), query


def random_queries(seed, n=COMBINATIONS):
    """Queries of one to three filters (several values of a facet at times, a search word, a
    year range or a unit to look within), their values taken from the catalogue's own facets."""
    chooser = random.Random(seed)
    everything = facets_reference.facets_for(ItemFilterSet(QueryDict(""), queryset=Item.objects.published()))
    values = {facet.name: [value.key for value in facet.values] for facet in everything}
    titles = list(Item.objects.published().exclude(sort_title="").values_list("sort_title", flat=True)[:200])
    units = list(Item.objects.published().filter(children__isnull=False).values_list("identifier", flat=True).distinct()[:20])
    queries = []
    for _ in range(n):
        query = QueryDict(mutable=True)
        for name in chooser.sample(sorted(values), k=min(len(values), chooser.randint(1, 3))):
            query.setlist(name, chooser.sample(values[name], k=min(len(values[name]), chooser.choice([1, 1, 2]))))
        extra = chooser.random()
        if extra < 0.2 and titles:
            query["q"] = chooser.choice(titles).split()[0]
        elif extra < 0.3:
            query["year_from"], query["year_to"] = "1900", "1950"
        elif extra < 0.4 and units:
            query["within"] = chooser.choice(units)
        queries.append(query.urlencode())
    return queries


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_demo_catalogue_is_counted_as_before(language):
    call_command("load_demo", verbosity=0, stdout=StringIO())
    with translation.override(language):
        assert_same_counts("")
        for query in random_queries(seed=1):
            assert_same_counts(query)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_a_generated_catalogue_is_counted_as_before(language):
    call_command("generate_catalog", 400, seed=3, verbosity=0, stdout=StringIO())
    call_command("rebuild_facet_index", stdout=StringIO())  # generate_catalog writes in bulk
    with translation.override(language):
        assert_same_counts("")
        for query in random_queries(seed=2):
            assert_same_counts(query)


def test_cached_counts_are_never_stale_after_any_kind_of_write():
    """The counts served (cached under what they depend on) equal the counts made afresh, for
    many filter combinations, after each kind of write."""
    from django.core.cache import cache

    from catalog import services
    from catalog.models import Authority, Collection, Statement
    from catalog.site.facets import cached_facets, kept_count, result_dependency
    from catalog.site.results import CachedResult

    cache.clear()
    call_command("load_demo", verbosity=0, stdout=StringIO())
    queries = ["", "type=Text", "type=Text&type=StillImage", "decade=1940", "has_file=false", *random_queries(seed=5, n=25)]

    def check():
        for query in queries:
            filterset = ItemFilterSet(QueryDict(query), queryset=Item.objects.published())
            served, fresh = plain(cached_facets(filterset)), plain(facets_for(filterset))
            assert [f for f in served if f not in fresh] == [f for f in fresh if f not in served], query
            # And the result's head and count, cached as the browse caches them.
            result = CachedResult(
                filterset.qs, key=(filterset.signature(), filterset.sort_order), fetch=Item.objects.published(),
                state=result_dependency(filterset), count=kept_count(filterset),
            )
            ordered = filterset.qs.values_list("pk", flat=True)
            assert (result.count(), [item.pk for item in result[0:20]]) == (ordered.count(), list(ordered[:20])), query

    check()
    item = Item.objects.published().filter(statements__term="subject").first()
    subject = item.statements.filter(term="subject").first()
    subject.authority = Authority.objects.filter(kind=subject.authority.kind).exclude(pk=subject.authority_id).first()
    subject.save()
    check()
    item.dcmi_type = "Sound" if item.dcmi_type != "Sound" else "Text"
    item.save()
    check()
    services.item_withdraw(item=Item.objects.get(pk=item.pk))
    check()
    services.item_publish(item=Item.objects.get(pk=item.pk))
    check()
    collection = Collection.objects.first()
    Item.objects.published().exclude(collections=collection).first().collections.add(collection)
    check()
    Statement.objects.filter(item=item, term="language").delete()
    Statement.objects.create(item=item, term="language", value="fi", position=99)
    check()
    records = list(Authority.objects.filter(kind=Authority.PLACE, statements__isnull=False).distinct()[:2])
    if len(records) == 2:
        services.authority_merge(source=records[0], target=records[1])
        check()


def test_cached_counts_are_patched_by_what_changed_not_counted_again():
    """Several writes of different kinds between two requests: the counts served are the cached
    ones brought up to date by the change log (no GROUP BY over the index), and equal a fresh
    count."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog import services
    from catalog.models import Authority, Collection, Statement
    from catalog.site.facets import _index_only, cached_facets

    cache.clear()
    call_command("load_demo", verbosity=0, stdout=StringIO())
    queries = ["type=Text", "type=Text&decade=1940", "has_file=false&type=Text&type=StillImage", *random_queries(seed=7, n=40)]
    filtersets = lambda: [ItemFilterSet(QueryDict(query), queryset=Item.objects.published()) for query in queries]  # noqa: E731
    assert len([filterset for filterset in filtersets() if _index_only(filterset)]) > 10
    for filterset in filtersets():
        cached_facets(filterset)
    seen = {filterset.signature() for filterset in filtersets()}

    item = Item.objects.published().filter(statements__term="subject").first()
    subject = item.statements.filter(term="subject").first()
    subject.authority = Authority.objects.filter(kind=subject.authority.kind).exclude(pk=subject.authority_id).first()
    subject.save()
    item.dcmi_type = "Sound" if item.dcmi_type != "Sound" else "Text"
    item.save()
    services.item_withdraw(item=Item.objects.published().exclude(pk=item.pk).filter(children__isnull=True).last())
    draft = Item.objects.filter(status=Item.DRAFT, children__isnull=True).first()
    if draft:
        services.item_publish(item=draft)
    collection = Collection.objects.first()
    Item.objects.published().exclude(collections=collection).first().collections.add(collection)
    Statement.objects.filter(item=item, term="language").delete()
    Statement.objects.create(item=item, term="language", value="fi", position=99)
    Item.objects.published().filter(children__isnull=True).exclude(pk=item.pk).first().delete()

    for filterset in filtersets():
        with CaptureQueriesContext(connection) as captured:
            served = plain(cached_facets(filterset))
        recounted = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"] and "facetentry" in q["sql"]]
        # (A value only the withdrawn or deleted item had is no longer a valid choice: a new question.)
        if _index_only(filterset) and filterset.signature() in seen:
            assert not recounted, filterset.signature()
        assert served == plain(facets_for(filterset)), filterset.signature()
