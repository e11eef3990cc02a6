"""CachedResult: a browse result counted and ordered once per catalogue state, read by page."""
import pytest
from django.core.cache import cache
from django.core.paginator import Paginator

from catalog import services

from catalog.site import results
from catalog.models import Item
from catalog.site.results import CachedResult
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def published(title):
    return ItemFactory(title=title, status=Item.PUBLISHED)


def result(key="all"):
    ordered = Item.objects.published().order_by("sort_title", "pk")
    return CachedResult(ordered, key=key, fetch=Item.objects.published())


def titles(page):
    return [item.sort_title for item in page]


def test_pages_come_in_the_queryset_order():
    for title in ("Delta", "Alpha", "Charlie", "Bravo", "Echo"):
        published(title)
    paginator = Paginator(result(), 2)
    assert paginator.count == 5 and paginator.num_pages == 3
    assert [titles(paginator.page(n)) for n in (1, 2, 3)] == [["Alpha", "Bravo"], ["Charlie", "Delta"], ["Echo"]]


def test_a_second_reading_in_the_same_catalogue_state_queries_only_the_page(django_assert_num_queries):
    for title in ("Alpha", "Bravo", "Charlie"):
        published(title)
    assert titles(result()[0:2]) == ["Alpha", "Bravo"]
    # The catalogue state, the cache read, and the page's items by id: nothing is counted or ranked.
    with django_assert_num_queries(3):
        again = result()
        assert again.count() == 3
        assert titles(again[1:3]) == ["Bravo", "Charlie"]


def test_any_change_a_visitor_could_see_is_a_new_result():
    alpha = published("Alpha")
    published("Bravo")
    assert result().count() == 2
    published("Aardvark")
    assert titles(result()[0:3]) == ["Aardvark", "Alpha", "Bravo"]
    services.item_withdraw(item=alpha)
    assert titles(result()[0:3]) == ["Aardvark", "Bravo"]


def test_pages_past_the_window_are_asked_of_the_database(monkeypatch):
    monkeypatch.setattr(results, "WINDOW", 3)
    for title in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        published(title)
    paginator = Paginator(result(), 2)
    assert paginator.count == 5  # counted, since the window is full
    assert [titles(paginator.page(n)) for n in (1, 2, 3)] == [["Alpha", "Bravo"], ["Charlie", "Delta"], ["Echo"]]


def test_an_item_hidden_behind_the_cache_is_never_shown():
    alpha = published("Alpha")
    published("Bravo")
    assert result().count() == 2
    # A write that bypasses the datestamp leaves the cached ids as they were; the fetch still
    # reads visibility afresh.
    Item.objects.filter(pk=alpha.pk).update(status=Item.DRAFT)
    assert titles(result()[0:2]) == ["Bravo"]


def test_each_key_is_a_result_of_its_own():
    published("Alpha")
    assert result("all").count() == 1
    only_texts = CachedResult(
        Item.objects.published().filter(dcmi_type="Text").order_by("pk"), key="texts", fetch=Item.objects.published()
    )
    assert only_texts.count() == 0 and result("all").count() == 1


def test_a_result_is_read_by_slices_only():
    with pytest.raises(TypeError):
        result()[0]
