import pytest

from catalog.models import Authority
from catalog.search import snippets
from catalog.search.snippets import PASSAGE_WORDS
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_matching_words_are_marked_and_everything_else_escaped():
    item = ItemFactory(title="Photograph")
    StatementFactory(item=item, value="<script>alert('Kirkenes')</script> & friends")
    assert snippets([item], "kirkenes")[item.pk] == (
        "&lt;script&gt;alert(&#x27;<mark>Kirkenes</mark>&#x27;)&lt;/script&gt; &amp; friends"
    )


def test_accents_and_case_do_not_stop_a_word_being_marked():
    item = ItemFactory(title="Photograph")
    StatementFactory(item=item, value="People hid in the mine shafts at Bjørnevatn.")
    assert "<mark>Bjørnevatn</mark>" in snippets([item], "BJORNEVATN")[item.pk]


def test_a_prefix_marks_the_whole_word():
    item = ItemFactory(title="Photograph")
    StatementFactory(item=item, value="Liberation of Kirkenes")
    assert snippets([item], "kirk")[item.pk] == "Liberation of <mark>Kirkenes</mark>"


def test_a_linked_record_shows_the_name_that_matched():
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff")
    VariantFactory(authority=diakonoff, label="Igor Dyakonov")
    item = ItemFactory(title="Note")
    StatementFactory(item=item, term="creator", value="I. Diakonoff", authority=diakonoff)
    assert snippets([item], "dyakonov")[item.pk] == "Igor Diakonoff; Igor <mark>Dyakonov</mark>"


def test_a_long_text_is_cut_around_the_match():
    words = [f"word{n}" for n in range(200)]
    words[100] = "compensation"
    item = ItemFactory(title="Note", full_text=" ".join(words))
    passage = snippets([item], "compensation")[item.pk]
    assert passage.startswith("…word95 ") and passage.endswith("…")
    assert "<mark>compensation</mark>" in passage
    assert len(passage.split()) == PASSAGE_WORDS


def test_the_passage_with_most_query_words_wins_and_the_title_only_if_nothing_else_matches():
    item = ItemFactory(title="Red Army in Kirkenes")
    StatementFactory(item=item, value="Soldiers of the Red Army")
    StatementFactory(item=item, value="A Red flag")
    assert snippets([item], "red army")[item.pk] == "Soldiers of the <mark>Red</mark> <mark>Army</mark>"
    assert snippets([item], "kirkenes")[item.pk] == "Red Army in <mark>Kirkenes</mark>"


def test_items_with_nothing_to_show_are_left_out():
    item = ItemFactory(title="Photograph")
    assert snippets([item], "kirkenes") == {}
    assert snippets([item], "🙂") == {}
    assert snippets([], "kirkenes") == {}


def test_a_page_costs_four_queries_whatever_its_size(django_assert_num_queries):
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Pechenga")
    VariantFactory(authority=place, label="Petsamo")
    items = ItemFactory.create_batch(20, full_text="Petsamo and Kirkenes")
    for item in items:
        StatementFactory(item=item, term="spatial", value="Pechenga", authority=place)
    with django_assert_num_queries(4):
        found = snippets(items, "petsamo")
    assert len(found) == 20
