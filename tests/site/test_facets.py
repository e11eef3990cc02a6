import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalog.site import caching, facets
from catalog import services
from catalog.site.facets import cached_facets, facets_for, overview
from catalog.site.filters import ItemFilterSet, type_label
from catalog.models import Authority, Item
from tests.factories import (
    AuthorityFactory, CollectionFactory, DigitalFileFactory, ItemFactory, StatementFactory, VariantFactory,
)

pytestmark = pytest.mark.django_db


def published(dcmi_type="StillImage", **kwargs):
    return ItemFactory(dcmi_type=dcmi_type, status=Item.PUBLISHED, **kwargs)


def state(item, term, value="", authority=None):
    StatementFactory(item=item, term=term, value=value or (authority.preferred_label if authority else ""), authority=authority)
    return item


def counted(query=""):
    """{facet name: [(label, count, selected), ...]} for a browse request."""
    filterset = ItemFilterSet(QueryDict(query), queryset=Item.objects.published())
    return {
        facet.name: [(value.label, value.count, value.selected) for value in facet.values]
        for facet in facets_for(filterset)
    }


def test_types_are_counted_against_the_other_filters_only():
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    for dcmi_type in ("StillImage", "StillImage", "Text"):
        state(published(dcmi_type), "spatial", authority=kirkenes)
    published("Sound")  # not in Kirkenes
    # Choosing a type keeps the other types listed, with what choosing them too would add ...
    assert counted("type=Text")["type"] == [("Still image", 2, False), ("Sound", 1, False), ("Text", 1, True)]
    # ... while another facet narrows the counts.
    assert counted(f"place={kirkenes.slug}")["type"] == [("Still image", 2, False), ("Text", 1, False)]
    # And the place facet counts within the chosen type.
    assert counted("type=Text")["place"] == [("Kirkenes", 1, False)]


def test_authority_facets_count_records_not_spellings():
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff")
    VariantFactory(authority=diakonoff, label="Igor Diakonov")
    state(published(), "creator", "Igor Diakonov", authority=diakonoff)
    state(published(), "contributor", "Igor Dyakonov", authority=diakonoff)
    both = state(published(), "creator", "I. Diakonoff", authority=diakonoff)
    state(both, "contributor", "Diakonov", authority=diakonoff)  # counts the item once
    state(published(), "creator", "Igor Diakonov")  # unlinked text is no record to count
    assert counted()["agent"] == [("Igor Diakonoff", 3, False)]


def test_facets_leave_out_values_no_item_has():
    used = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation")
    AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Evacuation")
    CollectionFactory(title="Empty collection")
    state(published(), "subject", authority=used)
    result = counted()
    assert result["subject"] == [("Liberation", 1, False)]
    assert "collection" not in result
    assert result["has_file"] == [("Without digital files", 1, False)]


def test_only_published_items_are_counted():
    liberation = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation")
    state(published(), "subject", authority=liberation)
    for status in (Item.DRAFT, Item.WITHDRAWN):
        hidden = ItemFactory(status=status, dcmi_type="Sound")
        state(hidden, "subject", authority=liberation)
        state(hidden, "language", "ru")
    result = counted()
    assert result["subject"] == [("Liberation", 1, False)]
    assert result["type"] == [("Still image", 1, False)]
    assert "language" not in result


def test_a_collection_counts_the_items_of_its_sub_collections_once():
    finnmark = CollectionFactory(identifier="finnmark", title="Finnmark")
    photos = CollectionFactory(identifier="photos", title="Photographs", parent=finnmark)
    CollectionFactory(identifier="finnmark-museum", title="Museum")  # a prefix, not a child
    in_both, in_child, in_parent = published(), published(), published()
    in_both.collections.add(finnmark, photos)
    in_child.collections.add(photos)
    in_parent.collections.add(finnmark)
    collections = {value.key: value for value in facets.count_collections(Item.objects.published())}
    assert {key: (value.count, value.depth) for key, value in collections.items()} == {
        "finnmark": (3, 0), "photos": (2, 1),
    }


def test_decades_come_from_the_earliest_date_in_order():
    state(published(), "created", "1944-10-25")
    state(published(), "created", "1939/1945")
    state(published(), "created", "1945")
    state(published(), "created", "2014-09")
    published()  # undated: no decade
    assert counted("decade=1940")["decade"] == [("1930s", 1, False), ("1940s", 2, True), ("2010s", 1, False)]


def test_a_date_open_at_one_end_counts_in_no_decade_it_does_not_state():
    state(published(), "created", "1944/")  # EDTF's parser made this 1944-1954
    state(published(), "created", "/1945")  # and this 1935-1945, a false 1930s
    state(published(), "created", "udatert")
    assert counted("")["decade"] == [("1940s", 1, False)]


def test_languages_are_named_in_words():
    state(state(published(), "language", "nb"), "language", "ru")
    state(published(), "language", "ru")
    assert counted("language=nb")["language"] == [("Norwegian Bokmål", 1, True), ("Russian", 2, False)]


def test_files_split_the_items_in_two():
    DigitalFileFactory(item=published())
    published(), published()
    assert counted()["has_file"] == [("With digital files", 1, False), ("Without digital files", 2, False)]


def test_a_chosen_value_stays_listed_beyond_the_cut(monkeypatch):
    monkeypatch.setattr(facets, "VALUES_PER_FACET", 2)
    common = [AuthorityFactory(kind=Authority.CONCEPT, preferred_label=f"Common {n}") for n in range(3)]
    rare = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Rare")
    for concept in common:
        for _ in range(2):
            state(published(), "subject", authority=concept)
    state(published(), "subject", authority=rare)
    assert counted(f"subject={rare.slug}")["subject"] == [("Rare", 1, True), ("Common 0", 2, False)]


def test_each_facet_costs_one_aggregate_query_and_one_for_its_labels(django_assert_max_num_queries):
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    fonds = CollectionFactory()
    series = CollectionFactory(parent=fonds)
    for n in range(5):
        item = state(published(), "spatial", authority=kirkenes)
        item.collections.add(series)
        state(item, "language", "nb")
        state(item, "created", f"194{n}")
    filterset = ItemFilterSet(QueryDict(f"place={kirkenes.slug}&type=StillImage"), queryset=Item.objects.published())
    filterset.errors  # validating the chosen place is one query of its own
    # One aggregate of the index per facet, and where a facet's values are rows (levels,
    # collections, records), one query for the labels of those shown.
    with django_assert_max_num_queries(2 * len(facets.FACETS)):
        facets_for(filterset)


def test_facets_narrowed_by_the_same_filters_are_counted_in_one_query():
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    for n in range(3):
        state(state(published(title=f"Kirkenes harbour {n}"), "spatial", authority=kirkenes), "language", "nb")
    state(published(dcmi_type="Text"), "language", "en")

    def aggregates(query):
        filterset = ItemFilterSet(QueryDict(query), queryset=Item.objects.published())
        filterset.errors
        with CaptureQueriesContext(connection) as queries:
            found = {facet.name: [(value.key, value.count) for value in facet.values] for facet in facets_for(filterset)}
        return found, sum("facets_facetentry" in query["sql"] and "COUNT(" in query["sql"] for query in queries)

    # A search narrows every facet alike: one aggregate of the index for all of them.
    found, asked = aggregates("q=harbour")
    assert asked == 1
    assert found["type"] == [("StillImage", 3)] and found["language"] == [("nb", 3)]
    # A chosen type: the type facet is counted against the search alone, the others against both.
    found, asked = aggregates("q=harbour&type=Text")
    assert asked == 2
    assert found["type"] == [("StillImage", 3, )] and "language" not in found


def subject_counts(query="type=StillImage"):
    """The subject facet of a browse, as served (its counts from the cache when they can be)."""
    filterset = ItemFilterSet(QueryDict(query), queryset=Item.objects.published())
    return [(v.label, v.count) for f in cached_facets(filterset) if f.name == "subject" for v in f.values]


def counted_afresh(queries):
    """Whether any facet was counted from the index's rows (not read from the cache or the counts,
    nor brought up to date from the rows of the items changed since: catalog/facets/changes.py)."""
    return any("facets_facetentry" in query["sql"] and "GROUP BY" in query["sql"] for query in queries.captured_queries)


def test_counts_are_reused_until_an_item_of_a_chosen_value_changes():
    cache.clear()
    liberation = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation")
    state(published(), "subject", authority=liberation)

    assert subject_counts() == [("Liberation", 1)]
    with CaptureQueriesContext(connection) as queries:
        assert subject_counts() == [("Liberation", 1)]
    assert not counted_afresh(queries)
    # A sound recording published: nothing a count of still images could show, so none is counted again.
    services.item_publish(item=state(ItemFactory(dcmi_type="Sound"), "subject", authority=liberation))
    with CaptureQueriesContext(connection) as queries:
        assert subject_counts() == [("Liberation", 1)]
    assert not counted_afresh(queries)
    assert subject_counts("") == [("Liberation", 2)]  # the unfiltered counts are the kept ones
    # A still image published: counted again.
    draft = state(ItemFactory(), "subject", authority=liberation)
    assert subject_counts() == [("Liberation", 1)]
    services.item_publish(item=draft)
    assert subject_counts() == [("Liberation", 2)]
    # A renamed record is labelled afresh without a count.
    liberation.preferred_label = "Liberation of Finnmark"
    liberation.save()
    with CaptureQueriesContext(connection) as queries:
        assert subject_counts() == [("Liberation of Finnmark", 2)]
    assert not counted_afresh(queries)
    services.item_withdraw(item=draft)
    assert subject_counts() == [("Liberation of Finnmark", 1)]


def test_counts_made_by_one_worker_serve_the_others(monkeypatch):
    cache.clear()
    liberation = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation")
    state(published(), "subject", authority=liberation)

    assert subject_counts() == [("Liberation", 1)]
    # Another gunicorn worker has a cache object of its own, over the same table.
    monkeypatch.setattr(caching, "cache", DatabaseCache(settings.CACHES["default"]["LOCATION"], {}))
    with CaptureQueriesContext(connection) as queries:
        assert subject_counts() == [("Liberation", 1)]
    assert not counted_afresh(queries)
    services.item_publish(item=state(ItemFactory(), "subject", authority=liberation))
    assert subject_counts() == [("Liberation", 2)]


def test_the_overview_counts_published_items_by_type_and_collection():
    cache.clear()
    fonds = CollectionFactory(identifier="finnmark")
    series = CollectionFactory(identifier="photos", parent=fonds)
    published().collections.add(series)
    published("Text").collections.add(fonds)
    ItemFactory(dcmi_type="Sound").collections.add(fonds)
    counts = overview()
    assert counts["items"] == 2
    assert [(v.key, v.count) for v in counts["types"]] == [("StillImage", 1), ("Text", 1)]
    assert counts["collections"] == {"finnmark": 2, "photos": 1}
    series.items.first().delete()
    assert overview()["collections"] == {"finnmark": 1}


def test_counts_cached_for_an_english_page_are_labelled_in_norwegian_for_a_norwegian_one():
    cache.clear()
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    state(state(published("StillImage"), "language", "ru"), "spatial", authority=kirkenes)
    filterset = ItemFilterSet(QueryDict(""), queryset=Item.objects.published())

    def labels(language):
        with translation.override(language):
            by_name = {facet.name: facet for facet in cached_facets(filterset)}
            shown = (
                by_name["place"].label, by_name["language"].values[0].label,
                by_name["has_file"].values[0].label, by_name["type"].values[0].label,
                overview()["types"][0].label,
            )
            return shown, type_label("StillImage")

    (english, still_image) = labels("en")
    assert english == ("Place", "Russian", "Without digital files", "Still image", "Still image")
    # The same catalogue state, so the English answers are in the cache.
    (norwegian, still_image_nb) = labels("nb")
    assert norwegian == ("Sted", "russisk", "Uten digitale filer", still_image_nb, still_image_nb)
    assert labels("en") == (english, still_image)


def test_a_browse_page_counted_in_english_is_shown_in_norwegian(client):
    cache.clear()
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    state(published(), "spatial", authority=kirkenes)
    assert "Place" in client.get("/items/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    body = client.get("/items/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert '<h3 class="facet__title" id="facet-place">Sted</h3>' in body
    assert "Without digital files" not in body and "Uten digitale filer" in body
