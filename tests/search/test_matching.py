import pytest

from catalog.models import Authority, Item
from catalog.search import search_items
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory, VariantFactory

pytestmark = pytest.mark.django_db

JUNK = [
    '"unbalanced quote',
    'unbalanced" quote"',
    "AND OR NOT NEAR * ^ : ( ) -",
    "NEAR(kirkenes 1944, 2)",
    "title:kirkenes",
    "{title body}: x",
    "kirk* ^red -",
    "'; DROP TABLE catalog_item; --",
    "a\x00b\x00",
    "\x00",
    "🙂 Kirkenes 🚩",
    "!(a & b) <-> c:* | d",
    "\\ \" ' `",
    "x" * 10_000,
    " ".join(["kirkenes OR"] * 2_000),
    "".join(chr(c) for c in range(1, 2000)),
]


def ids(queryset):
    return sorted(queryset.values_list("identifier", flat=True))


def published(title="Untitled", **kwargs):
    return ItemFactory(status=Item.PUBLISHED, title=title, **kwargs)


def test_a_variant_label_finds_the_linked_item():
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff")
    VariantFactory(authority=diakonoff, label="Igor Dyakonov")
    note = published("Note of 24 September 1945", identifier="note")
    StatementFactory(item=note, term="creator", value="I. Diakonoff", authority=diakonoff)
    published("Memorial in Kirkenes")
    assert ids(search_items(Item.objects.published(), "Dyakonov")) == ["note"]


def test_petsamo_finds_items_linked_to_pechenga():
    pechenga = AuthorityFactory(kind=Authority.PLACE, preferred_label="Pechenga")
    VariantFactory(authority=pechenga, label="Petsamo")
    march = published("Victory march to Jarfjord", identifier="march")
    StatementFactory(item=march, term="spatial", value="Pechenga", authority=pechenga)
    assert ids(search_items(Item.objects.published(), "Petsamo")) == ["march"]


def test_the_full_text_is_searched():
    published("Note", identifier="note", full_text="The forces claimed no material compensation.")
    published("Photograph", identifier="photo")
    assert ids(search_items(Item.objects.published(), "compensation")) == ["note"]


def test_a_title_hit_ranks_first():
    in_description = published("Soldiers at the border", identifier="description")
    StatementFactory(item=in_description, term="description", value="The bridge over the Jakobselv.")
    published("Old photograph", identifier="full-text", full_text="A bridge, a river, the Jakobselv.")
    published("The Jakobselv bridge", identifier="title")
    ranked = search_items(Item.objects.published(), "jakobselv").order_by("-search_rank")
    assert [item.identifier for item in ranked] == ["title", "description", "full-text"]
    assert all(isinstance(item.search_rank, float) for item in ranked)


def test_accents_do_not_matter_either_way():
    published("Mine shafts at Bjørnevatn", identifier="with")
    published("Mine shafts at Bjornevatn", identifier="without")
    assert ids(search_items(Item.objects.all(), "Bjornevatn")) == ["with", "without"]
    assert ids(search_items(Item.objects.all(), "BJØRNEVATN")) == ["with", "without"]


def test_all_words_must_match_unless_joined_by_or():
    published("Kirkenes in 1944", identifier="kirkenes-1944")
    published("Kirkenes in 1945", identifier="kirkenes-1945")
    published("Vardø in 1944", identifier="vardo-1944")
    items = Item.objects.all()
    assert ids(search_items(items, "kirkenes 1944 ")) == ["kirkenes-1944"]
    assert ids(search_items(items, "kirkenes OR vardø ")) == ["kirkenes-1944", "kirkenes-1945", "vardo-1944"]
    assert ids(search_items(items, "kirkenes -1945 ")) == ["kirkenes-1944"]


def test_quotes_match_a_phrase():
    published("Red Army soldiers", identifier="phrase")
    published("Army of red flags", identifier="words")
    assert ids(search_items(Item.objects.all(), '"red army"')) == ["phrase"]


def test_the_last_word_matches_as_a_prefix():
    published("Kirkenes", identifier="kirkenes")
    assert ids(search_items(Item.objects.all(), "kirk")) == ["kirkenes"]
    assert ids(search_items(Item.objects.all(), "kirk ")) == []


def test_operator_words_are_searched_as_words():
    published("NEAR the border", identifier="near")
    published("Far from it", identifier="far")
    assert ids(search_items(Item.objects.all(), "NEAR")) == ["near"]


@pytest.mark.parametrize("query", JUNK, ids=lambda query: repr(query[:30]))
def test_junk_queries_return_without_error(query):
    published("Kirkenes", identifier="kirkenes")
    found = search_items(Item.objects.published(), query)
    assert len(list(found.order_by("-search_rank"))) == found.count() <= 1


@pytest.mark.parametrize("query", ["", "   ", "🙂", "-kirkenes", "* ( ) :", None])
def test_a_query_without_words_finds_nothing(query):
    published("Kirkenes")
    assert not search_items(Item.objects.all(), query).order_by("-search_rank").exists()


def test_drafts_never_leak():
    published("Kirkenes liberated", identifier="public")
    ItemFactory(title="Kirkenes draft", identifier="draft")
    ItemFactory(title="Kirkenes withdrawn", identifier="withdrawn", status=Item.WITHDRAWN)
    assert ids(search_items(Item.objects.published(), "kirkenes")) == ["public"]


def test_the_queryset_given_is_only_narrowed():
    published("Kirkenes photograph", identifier="photo", dcmi_type="StillImage")
    published("Kirkenes article", identifier="text", dcmi_type="Text")
    texts = Item.objects.published().filter(dcmi_type="Text")
    assert ids(search_items(texts, "kirkenes")) == ["text"]


def test_results_combine_with_subqueries_counts_and_values():
    published("Kirkenes", identifier="kirkenes")
    published("Vardø", identifier="vardo")
    found = search_items(Item.objects.published(), "kirkenes")
    assert ids(Item.objects.filter(pk__in=found)) == ["kirkenes"]
    assert ids(Item.objects.exclude(pk__in=found)) == ["vardo"]
    assert found.count() == 1
    assert found.values("dcmi_type").distinct().count() == 1
    assert ids(search_items(found, "kirkenes")) == ["kirkenes"]
