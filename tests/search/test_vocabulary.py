"""The index's own table of words (catalog/search/vocabulary.py), and prefixes searched as the
words they begin: the same matches as FTS5's own prefix query, the same scores for one word."""
import importlib

import pytest
from django.db import connection

from catalog.models import Item
from catalog.search import reindex_items, search_items
from catalog.search import vocabulary
from catalog.search.matching import matching_ids
from catalog.search.query import parse, to_fts5
from tests.factories import ItemFactory, StatementFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the table of words is SQLite's (FTS5)"),
]

TITLES = [
    "Nedre Kjelelv harbour",
    "Nedrebø farm, 1938",
    "Kirkenes after the fire",
    "Kirkeby church records",
    "Red Army at Kirkenes",
    "Red armour of the guard",
    "हिन्दी पत्रिका",  # unicode61 cuts a word at a vowel sign: the words are not the tokens
    "Печенга 1944",
    "Čáhppesjávri and Bjørnevatn",
]


@pytest.fixture
def catalogue():
    items = []
    for number, title in enumerate(TITLES):
        item = ItemFactory(status=Item.PUBLISHED, title=title, identifier=f"v{number}")
        StatementFactory(item=item, term="description", value=f"{title} described, number {number}")
        items.append(item)
    return items


def fts5_terms():
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms_now USING fts5vocab(main, catalog_search, 'row')")
        cursor.execute("SELECT term FROM temp.terms_now")
        return {row[0] for row in cursor.fetchall()}


def words_held():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {vocabulary.TABLE}")
        return {row[0] for row in cursor.fetchall()}


def ids_of(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def as_fts5_prefix(query):
    """The ids FTS5's own prefix query finds."""
    return ids_of("SELECT rowid FROM catalog_search WHERE catalog_search MATCH %s", [to_fts5(parse(query))])


def expression(query):
    sql, params = vocabulary.match(parse(query))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()[0]


def test_every_word_the_index_holds_is_in_the_table(catalogue):
    assert fts5_terms() <= words_held()
    assert "नद" in words_held() and "हिनदी" not in words_held()  # FTS5's tokens, not text.words()'s


def test_a_rebuild_leaves_exactly_the_index_words(catalogue):
    catalogue[0].delete()  # its words stay until a rebuild
    assert "kjelelv" in words_held()
    reindex_items()
    assert words_held() == fts5_terms()
    assert "kjelelv" not in words_held()


def test_the_migration_fills_the_table_from_the_index(catalogue):
    migration = importlib.import_module("catalog.migrations.0019_search_words")
    vocabulary.clear()
    with connection.cursor() as cursor:
        for statement in migration.FILL:
            cursor.execute(statement)
    assert words_held() == fts5_terms()


@pytest.mark.parametrize("query", [
    "nedre", "nedr", "kirke", "kirkenes", "red arm", '"red arm', '"red arm"', "kjelelv OR kirk", "fire kirk",
    "हिन्दी पत", "हिन", "печ", "cahpp", "bjorne", "zzz", "nedre -kjelelv", "number 1",
])
def test_a_prefix_finds_what_fts5s_own_prefix_query_finds(catalogue, query):
    found = ids_of(*matching_ids(query))
    assert found == as_fts5_prefix(query)


def test_a_prefix_of_few_words_is_searched_as_those_words(catalogue):
    assert expression("kirke") == '(("kirkeby" OR "kirkenes"))'
    assert expression("red arm") == '("red" AND ("armour" OR "army"))'
    assert expression('"red arm') == '(("red armour" OR "red army"))'  # an open quote: a prefix
    assert expression("kjelelv OR nedr") == '(("kjelelv" OR ("nedre" OR "nedrebo")))'
    assert expression("हिन") == '(("ह नद"))'
    assert expression("zzz") == '(("zzz"*))'  # no word: FTS5 finds none as it is
    assert expression("kirke ") == '("kirke")'  # not a prefix


def test_a_prefix_of_many_words_stays_a_prefix(catalogue, monkeypatch):
    monkeypatch.setattr(vocabulary, "MAX_COMPLETIONS", 1)
    assert expression("kirke") == '(("kirke"*))'
    assert expression("nedreb") == '(("nedrebo"))'


def test_a_word_no_item_holds_any_longer_finds_nothing(catalogue):
    catalogue[1].delete()
    assert "nedrebo" in words_held()
    assert expression("nedre") == '(("nedre" OR "nedrebo"))'
    assert ids_of(*matching_ids("nedre")) == [catalogue[0].pk] == as_fts5_prefix("nedre")


def test_words_written_are_added_in_the_writers_transaction(catalogue):
    item = ItemFactory(status=Item.PUBLISHED, title="Bjørnevatn mine", identifier="new")
    assert "mine" in words_held()
    assert ids_of(*matching_ids("min")) == [item.pk]


def test_a_prefix_of_one_word_scores_as_fts5s_prefix(catalogue):
    queryset = Item.objects.all()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(catalog_search, 10.0, 3.0, 1.0) FROM catalog_search WHERE catalog_search MATCH %s",
            ['("kirkenes"*)'],
        )
        expected = dict(cursor.fetchall())
    found = dict(search_items(queryset, "kirkenes").values_list("pk", "search_rank"))
    assert found == pytest.approx(expected) and len(found) == 2


def test_tokens_are_fts5s(catalogue):
    found = vocabulary.tokens(["nedre", "हिनदी", "печенга"])
    assert found == {"nedre": ("nedre",), "हिनदी": ("ह", "नद"), "печенга": ("печенга",)}


def test_the_tokenizer_asked_is_the_indexs():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'catalog_search'")
        assert f"tokenize = '{vocabulary.TOKENIZE}'" in cursor.fetchone()[0]
