"""The counts of a search (catalog/site/searched.py): counted once, then brought up to date by the
change log, and always equal to counting afresh."""
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from catalog import services
from catalog.models import Authority, Collection, Item, Statement
from catalog.search import reindex_items
from catalog.site.facets import cached_facets, facets_for, kept_count
from catalog.site.filters import ItemFilterSet
from tests.site.test_facets_index import plain

pytestmark = pytest.mark.django_db

QUERIES = ["q=kirkenes", "q=1944", "q=soviet", "q=kirkenes&type=Text", "q=troops&decade=1940", "q=kirkenes OR vadsø&has_file=false"]


def filterset(query):
    return ItemFilterSet(QueryDict(query), queryset=Item.objects.published())


def served(query):
    """The facets and the count a visitor is served, and whether they were counted afresh."""
    chosen = filterset(query)
    with CaptureQueriesContext(connection) as captured:
        facets, count = plain(cached_facets(chosen)), kept_count(chosen)()
    # Counting afresh reads every match beside the log (read_since's `including`, its rows of
    # kind 4) or groups the index; bringing up to date reads only the changed items.
    counted = any(
        "UNION ALL SELECT 4," in q["sql"] or ("GROUP BY" in q["sql"] and "facetentry" in q["sql"])
        for q in captured.captured_queries
    )
    return facets, count, counted


def fresh(query):
    chosen = filterset(query)
    return plain(facets_for(chosen)), chosen.qs.count()


def assert_served_as_counted_afresh(*, recounted=False):
    for query in QUERIES:
        facets, count, counted = served(query)
        assert (facets, count) == fresh(query), query
        assert counted == recounted, query


@pytest.fixture
def demo():
    cache.clear()
    call_command("load_demo", verbosity=0, stdout=StringIO())
    for query in QUERIES:
        served(query)  # counted, and kept


def test_the_first_search_counts_and_the_next_reads_the_kept_counts(demo):
    assert fresh("q=kirkenes")[1] > 1
    assert_served_as_counted_afresh()


def test_an_edit_that_makes_an_item_match_or_no_longer_match_moves_the_counts(demo):
    item = Item.objects.published().exclude(search_entry__isnull=True).filter(statements__term="description").last()
    description = item.statements.filter(term="description").first()
    description.value += " Kirkenes, soviet troops 1944"
    description.save()
    assert_served_as_counted_afresh()
    for statement in Statement.objects.filter(item__in=Item.objects.published().filter(pk__in=filterset("q=kirkenes").qs.values("pk")[:2])):
        if "irkenes" in statement.value:
            statement.value = statement.value.replace("Kirkenes", "Elsewhere").replace("kirkenes", "elsewhere")
            statement.save()
    assert_served_as_counted_afresh()


def test_publishing_withdrawing_and_deleting_matching_items_move_the_counts(demo):
    matching = list(filterset("q=kirkenes").qs.filter(children__isnull=True).order_by("pk"))
    services.item_withdraw(item=matching[0])
    assert_served_as_counted_afresh()
    services.item_publish(item=Item.objects.get(pk=matching[0].pk))
    assert_served_as_counted_afresh()
    matching[1].delete()
    assert_served_as_counted_afresh()
    draft = Item.objects.filter(status=Item.DRAFT, children__isnull=True).first()
    if draft:
        Statement.objects.create(item=draft, term="subject", value="Kirkenes", position=50)
        services.item_publish(item=Item.objects.get(pk=draft.pk))
        assert_served_as_counted_afresh()


def test_facet_changes_of_matching_items_move_the_counts_under_filters(demo):
    item = filterset("q=kirkenes").qs.order_by("pk").first()
    item.dcmi_type = "Sound" if item.dcmi_type != "Sound" else "Text"
    item.save()
    collection = Collection.objects.first()
    filterset("q=1944").qs.exclude(collections=collection).first().collections.add(collection)
    place = Authority.objects.filter(kind=Authority.PLACE).first()
    Statement.objects.create(item=item, term="spatial", value=place.preferred_label, authority=place, position=60)
    assert_served_as_counted_afresh()


def test_a_renamed_record_moves_the_items_it_names_into_a_search(demo):
    record = Authority.objects.filter(statements__item__status=Item.PUBLISHED).distinct().first()
    before = fresh("q=zyxwords")[1]
    QUERIES.append("q=zyxwords")
    try:
        served("q=zyxwords")
        record.preferred_label = "Zyxwords"
        record.save()  # a few linked items: reindexed in the request, and logged
        assert fresh("q=zyxwords")[1] > before == 0
        assert_served_as_counted_afresh()
    finally:
        QUERIES.remove("q=zyxwords")


def test_a_rebuilt_search_index_makes_the_counts_afresh(demo):
    reindex_items()
    assert_served_as_counted_afresh(recounted=True)
    assert_served_as_counted_afresh()


def test_a_search_with_a_filter_the_index_does_not_hold_is_counted_as_before(demo):
    chosen = filterset("q=kirkenes&year_from=1944")
    assert plain(cached_facets(chosen)) == plain(facets_for(chosen))
    assert getattr(chosen, "_search_counts", None) is None


def test_counted_in_the_database_when_the_index_is_too_large_to_hold(demo, settings):
    from catalog.facets import bitmaps

    settings.ARKIV_FACET_BITMAP_ROWS = 10
    bitmaps.forget()
    cache.clear()
    try:
        for query in QUERIES:
            chosen = filterset(query)
            with CaptureQueriesContext(connection) as captured:
                facets, count = plain(cached_facets(chosen)), kept_count(chosen)()
            assert (facets, count) == fresh(query), query
            assert any("GROUP BY" in q["sql"] and "facetentry" in q["sql"] for q in captured.captured_queries)
        item = filterset("q=kirkenes").qs.first()
        item.dcmi_type = "Sound" if item.dcmi_type != "Sound" else "Text"
        item.save()
        assert_served_as_counted_afresh()
    finally:
        bitmaps.forget()


def test_many_changed_items_are_matched_against_the_list_of_every_match(demo, monkeypatch):
    from catalog.search import matching

    monkeypatch.setattr(matching, "FEW_ITEMS", 0)
    item = Item.objects.published().filter(statements__term="description").last()
    description = item.statements.filter(term="description").first()
    description.value += " Kirkenes, soviet troops 1944"
    description.save()
    services.item_withdraw(item=filterset("q=soviet").qs.filter(children__isnull=True).exclude(pk=item.pk).first())
    assert_served_as_counted_afresh()


@pytest.mark.django_db(transaction=True)  # as a request runs: SET LOCAL ends with its own transaction
@pytest.mark.parametrize("held", [True, False], ids=["bitmaps", "in the database"])
def test_every_match_is_read_with_the_memory_for_an_exact_bitmap(demo, settings, held):
    """PostgreSQL: the statement that reads every match runs with ARKIV_SEARCH_WORK_MEM (the
    planner otherwise reads a broad word's whole table); the rest of the request does not."""
    from catalog.facets import bitmaps

    if not held:
        settings.ARKIV_FACET_BITMAP_ROWS = 10
    settings.ARKIV_SEARCH_WORK_MEM = "48MB"
    bitmaps.forget()
    cache.clear()
    seen = []

    def work_mem(execute, sql, params, many, context):
        if "catalog_search" in sql and ("UNION ALL SELECT 4," in sql or "GROUP BY" in sql):
            with context["connection"].cursor() as cursor:
                cursor.execute("SHOW work_mem" if connection.vendor == "postgresql" else "SELECT 'n/a'")
                seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(work_mem):
            assert served("q=kirkenes")[2]
    finally:
        bitmaps.forget()
    assert seen == (["48MB"] if connection.vendor == "postgresql" else ["n/a"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] != "48MB"


def best_match(query, *, kept):
    """The ids of a search's first 50 in best-match order, with its candidates taken from the kept
    counts (as the site does) or read from the search index."""
    from catalog.search.topk import Ranking
    from catalog.site.facets import search_candidates

    chosen = filterset(query)
    if kept:
        assert search_candidates(chosen) is not None, query
        ranking = chosen.ranking()
    else:
        ranking = Ranking(chosen.queryset_without("q"), chosen.query)
    return ranking(0, 50)


@pytest.mark.parametrize("candidates", [3, 2000])
def test_best_match_candidates_taken_from_the_kept_counts_are_those_the_index_gives(demo, settings, candidates):
    from catalog.site.facets import search_candidates

    settings.ARKIV_SEARCH_CANDIDATES = candidates
    withdrawn = filterset("q=kirkenes").qs.filter(children__isnull=True).order_by("pk").first()
    services.item_withdraw(item=withdrawn)  # a matching item that is no longer visible
    for query in QUERIES:
        assert set(search_candidates(filterset(query))) == set(filterset(query).qs.values_list("pk", flat=True)), query
        assert best_match(query, kept=True) == best_match(query, kept=False), query
    assert withdrawn.pk not in search_candidates(filterset("q=kirkenes"))


def test_best_match_reads_its_candidates_from_the_search_index_only_for_the_counts(demo):
    """A new search reads its matches once (for the counts), not again for its candidates."""
    cache.clear()
    chosen = filterset("q=troops&type=Text")
    with CaptureQueriesContext(connection) as captured:
        chosen.ranking()(0, 20)
    reads = [q["sql"] for q in captured.captured_queries if "MATCH" in q["sql"] or "to_tsquery" in q["sql"]]
    # Every match for the counts (read_since's rows of kind 4), then the candidates' scores.
    assert len(reads) == 2 and "UNION ALL SELECT 4," in reads[0], reads
