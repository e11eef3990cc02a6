"""Top-k ranking (catalog/search/topk.py) against the exact order, ORDER BY search_rank."""
import pytest
from django.urls import reverse

from catalog.models import Item
from catalog.search import search_items
from catalog.search import topk
from catalog.search.topk import Ranking, rank
from tests.factories import ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db

FILLER = "harbour ledger station boat net"


def corpus(n, *, word="whaling", first_title_hits=3, others=True):
    """n published items matching `word` with scores that differ: each says the word a different
    number of times in a description of the same length; a few have it in the title too (the
    latest ones, so that the best matches are not simply the first catalogued)."""
    made = []
    for i in range(n):
        times = 1 + i % 7
        title = f"Record {i:03d}" + (f" {word}" if i >= n - first_title_hits else "")
        item = ItemFactory(status=Item.PUBLISHED, title=title, identifier=f"r{i:03d}")
        text = " ".join([word] * times + FILLER.split()[: 8 - times] + ["x"] * max(0, times - 5))
        StatementFactory(item=item, term="description", value=text)
        made.append(item)
    for i in range(n if others else 0):  # items without the word, so that it is not in every document (idf > 0)
        ItemFactory(status=Item.PUBLISHED, title=f"Ledger {i:03d}", identifier=f"o{i:03d}")
    return made


def exact(queryset, query):
    return list(
        search_items(queryset, query).order_by("-search_rank", "sort_title", "pk").values_list("pk", flat=True)
    )


def scores(queryset, query):
    return list(search_items(queryset, query).order_by("pk").values_list("search_rank", flat=True))


def test_a_result_within_the_bound_is_ranked_exactly(settings):
    corpus(40)
    settings.ARKIV_SEARCH_CANDIDATES = 1000
    published = Item.objects.published()
    expected = exact(published, "whaling")
    ranking = Ranking(published, "whaling")
    assert len(expected) == 40
    assert ranking(0, 20) == expected[:20]
    assert ranking(0, 100) == expected


def test_ties_are_broken_by_title_and_id_as_the_exact_order_breaks_them(settings):
    # Same text, so the same score: the order is the title's, then the id's.
    for identifier, title in [("c", "Bravo"), ("a", "Charlie"), ("b", "Alpha"), ("d", "Alpha")]:
        item = ItemFactory(status=Item.PUBLISHED, title=title, identifier=identifier)
        StatementFactory(item=item, term="description", value="whaling station")
    published = Item.objects.published()
    ranked = rank(sorted(published.values_list("pk", flat=True)), "whaling")
    assert ranked == exact(published, "whaling")
    assert [Item.objects.get(pk=pk).identifier for pk in ranked] == ["b", "d", "c", "a"]


def test_scores_of_candidates_equal_the_exact_scores(settings):
    # The corpus's scores differ enough to decide the order: no page boundary falls in a tie.
    corpus(30)
    published = Item.objects.published()
    found = scores(published, "whaling")
    assert len(set(found)) >= 7
    # A candidate range inside the catalogue scores as the full scan does (bm25's statistics
    # are of the whole table).
    ids = sorted(published.values_list("pk", flat=True))[10:20]
    expected = [pk for pk in exact(published, "whaling") if pk in ids]
    assert rank(ids, "whaling") == expected


def test_past_the_bound_the_best_of_the_first_candidates_lead_and_every_match_follows_once(settings):
    items = corpus(30)
    settings.ARKIV_SEARCH_CANDIDATES = 12
    published = Item.objects.published()
    ranking = Ranking(published, "whaling")
    first_twelve = published.filter(pk__in=[item.pk for item in items[:12]])
    assert ranking(0, 12) == exact(first_twelve, "whaling")
    pages = [pk for start in range(0, 40, 5) for pk in ranking(start, start + 5)]
    assert pages[12:] == [item.pk for item in items[12:]]  # the rest in catalogue order
    assert sorted(pages) == sorted(item.pk for item in items)  # each exactly once
    assert ranking(25, 35) == pages[25:30]


def test_candidates_are_taken_from_the_filtered_result_only(settings):
    items = corpus(20, others=False)
    Item.objects.filter(pk__in=[item.pk for item in items[:15]]).update(status=Item.DRAFT)
    settings.ARKIV_SEARCH_CANDIDATES = 3
    published = Item.objects.published()
    ranking = Ranking(published, "whaling")
    shown = ranking(0, 20)
    assert sorted(shown) == sorted(item.pk for item in items[15:])
    assert shown[:3] == exact(published.filter(pk__in=[item.pk for item in items[15:18]]), "whaling")


def test_candidates_past_the_streamed_matches_are_asked_of_the_database(settings, monkeypatch):
    items = corpus(20, others=False)
    Item.objects.filter(pk__in=[item.pk for item in items[:15]]).update(status=Item.DRAFT)
    monkeypatch.setattr(topk, "STREAM_ROWIDS", 4)
    settings.ARKIV_SEARCH_CANDIDATES = 3
    published = Item.objects.published()
    assert topk.first_matches(published, search_items(published, "whaling"), "whaling", 3) == [
        item.pk for item in items[15:18]
    ]
    assert Ranking(published, "whaling")(0, 20)[3:] == [item.pk for item in items[18:]]


def test_a_query_with_no_searchable_word_ranks_nothing():
    corpus(3)
    assert rank(list(Item.objects.values_list("pk", flat=True)), "  ") == []


def test_the_browse_shows_the_exact_first_page_and_count(client, settings):
    corpus(45)
    settings.ARKIV_SEARCH_CANDIDATES = 1000
    expected = exact(Item.objects.published(), "whaling")
    response = client.get(reverse("catalog:browse"), {"q": "whaling"})
    page = response.context["page"]
    assert page.paginator.count == 45
    assert [item.pk for item in page.object_list] == expected[: settings.ARKIV_BROWSE_PAGE_SIZE]
    second = client.get(reverse("catalog:browse"), {"q": "whaling", "page": 2}).context["page"]
    assert [item.pk for item in second.object_list] == expected[settings.ARKIV_BROWSE_PAGE_SIZE: 2 * settings.ARKIV_BROWSE_PAGE_SIZE]


def test_the_browse_keeps_counting_every_match_past_the_bound(client, settings):
    corpus(45)
    settings.ARKIV_SEARCH_CANDIDATES = 10
    page = client.get(reverse("catalog:browse"), {"q": "whaling", "page": 3}).context["page"]
    assert page.paginator.count == 45
    assert len(page.object_list) == 5
