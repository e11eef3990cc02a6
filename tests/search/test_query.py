import pytest

from catalog.search.query import MAX_WORDS, Phrase, parse, to_fts5, to_tsquery


def test_words_are_all_required():
    query = parse("kirkenes 1944 ")
    assert query.required == ((Phrase(("kirkenes",)),), (Phrase(("1944",)),))
    assert to_fts5(query) == '("kirkenes" AND "1944")'
    assert to_tsquery(query) == "(('kirkenes')) & (('1944'))"


def test_quotes_make_a_phrase():
    query = parse('"Red Army" ')
    assert to_fts5(query) == '("red army")'
    assert to_tsquery(query) == "(('red' <-> 'army'))"


def test_a_hyphenated_word_is_a_phrase():
    assert parse("Sør-Varanger ").required == ((Phrase(("sor", "varanger")),),)


def test_or_joins_alternatives_and_minus_excludes():
    query = parse("petsamo OR pechenga -museum")
    assert to_fts5(query) == '(("petsamo" OR "pechenga")) NOT "museum"'
    assert to_tsquery(query) == "(('petsamo') | ('pechenga')) & !('museum')"


def test_the_last_word_matches_as_a_prefix_while_being_typed():
    assert to_fts5(parse("red kirk")) == '("red" AND "kirk"*)'
    assert to_tsquery(parse("red kirk")) == "(('red')) & (('kirk':*))"
    assert to_fts5(parse("red kirk ")) == '("red" AND "kirk")'
    assert to_fts5(parse('"red kirk"')) == '("red kirk")'
    assert to_fts5(parse("red ki")) == '("red" AND "ki")'


def test_operators_of_the_engines_are_read_as_words():
    query = parse("NEAR(a b) AND c:d NOT e^ * ")
    assert to_fts5(query) == '("near a" AND "b" AND "and" AND "c d" AND "not" AND "e")'


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "-museum", '""', "* ^ : ( ) -", "OR", "\x00"])
def test_nothing_searchable_gives_an_empty_query(text):
    assert not parse(text)


def test_long_queries_are_cut_to_a_bounded_number_of_words():
    query = parse(" ".join(f"word{i}" for i in range(1000)))
    assert sum(len(phrase.words) for group in query.required for phrase in group) == MAX_WORDS


def test_words_lists_what_to_highlight():
    assert parse('"red army" OR troops -museum kirk').words == ("red", "army", "troops", "kirk*")
