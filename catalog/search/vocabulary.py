"""The words the SQLite index holds, so that a prefix is searched as the few words it begins.

The last word of a query also matches as a prefix ("kirk" finds Kirkenes: query.py). FTS5
answers a prefix by merging the lists of every word it begins into one list in memory, whole,
before it reads the first match, and again in every statement that asks: the candidates, their
scores and bm25's own count of matches, the lookup of one changed item. At a million items that
is 25 ms a statement for a word in half of them, where the same word asked whole is read only as
far as the statement needs (a LIMIT of 4,000: 3 ms). So the index keeps its words in a table of
their own, catalog_search_word, and a prefix that begins at most MAX_COMPLETIONS of them is
searched as those words ORed: exactly the same matches. The MATCH expression is made in the
statement that matches (a subquery; match() gives its SQL), so the words are always those of
the snapshot matched, and no statement is added.

Ranking: a prefix that begins one word ("nedre") scores as that word; one that begins several
scores as their OR, each word weighed by its own rarity (bm25 weighs a prefix as one phrase).

The words are FTS5's tokens, which are not always text.words()'s: the unicode61 tokenizer cuts
a word at a vowel sign of an Indic script (हिनदी is two tokens to it), so a word that is not
ASCII is cut by FTS5 itself (tokens()). Every write of the index adds the words it writes, in its
transaction (index.py); only a rebuild removes any. A word that no item holds any longer is a
branch of the OR that matches nothing.

PostgreSQL needs none of this: its GIN index answers a prefix from the index's ordered keys.
"""
import json
import sqlite3
import threading

from django.db import connection

from .query import fts5_phrase, to_fts5

TABLE = "catalog_search_word"

MAX_COMPLETIONS = 32
"""Words a prefix is searched as, at most; a prefix of more is searched as a prefix."""

TOKENIZE = "unicode61 remove_diacritics 0"
"""catalog_search's tokenizer (migration 0003), which tokens() asks."""

KNOWN_WORDS = 100_000
"""Words that are not ASCII whose tokens a thread remembers."""

_LAST = "\U0010ffff"  # above every character a word can hold: word < prefix + _LAST for any continuation
_MARK = "\x00"  # no expression holds it: marks where the prefix phrase goes


def match(query):
    """(SQL of `query`'s FTS5 expression, its parameters), to be written `catalog_search MATCH
    {sql}`. The prefix phrase, if any, is searched as the words it begins when they are few."""
    prefixed = []
    expression = to_fts5(query, prefix=lambda phrase: prefixed.append(phrase) or _MARK)
    if not prefixed:
        return "%s", [expression]
    (phrase,) = prefixed
    found = tokens(phrase.words)
    as_tokens = [token for word in phrase.words for token in found[word]]
    if not as_tokens:  # nothing FTS5 reads as a word: left to FTS5 as typed
        return "%s", [to_fts5(query)]
    *leading, last = as_tokens
    before, after = expression.split(_MARK)
    ored = (
        f"SELECT group_concat('\"' || %s || word || '\"', ' OR ') FROM ("
        f"SELECT word FROM {TABLE} WHERE word >= %s AND word < %s ORDER BY word LIMIT %s"
        f") HAVING count(*) BETWEEN 1 AND %s"
    )
    return (
        f"(%s || COALESCE(({ored}), %s) || %s)",
        [
            before + "(", "".join(f"{token} " for token in leading), last, last + _LAST,
            MAX_COMPLETIONS + 1, MAX_COMPLETIONS, fts5_phrase(phrase), ")" + after,
        ],
    )


def add(words):
    """Add these words (text.words() forms, as an index row holds them) to the table, as FTS5's
    tokens: one statement."""
    if not words:
        return
    held = {token for found in tokens(words).values() for token in found}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT OR IGNORE INTO {TABLE} (word) SELECT value FROM json_each(%s)", [json.dumps(sorted(held))]
        )


def clear():
    """Empty the table (a rebuild of the index, which adds every word again)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


class _Tokenizer(threading.local):
    """An FTS5 table of the index's tokenizer in a database in memory, one a thread."""

    def __init__(self):
        self.database = None
        self.known = {}

    def tokens(self, words):
        if self.database is None:
            self.database = sqlite3.connect(":memory:")
            self.database.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize = '{TOKENIZE}')")
            self.database.execute("CREATE VIRTUAL TABLE tokens USING fts5vocab(words, 'instance')")
        with self.database:
            self.database.executemany("INSERT INTO words (rowid, word) VALUES (?, ?)", enumerate(words))
            found = self.database.execute("SELECT doc, \"offset\", term FROM tokens").fetchall()
            self.database.execute("DELETE FROM words")
        by_word = [[] for _ in words]
        for doc, offset, term in sorted(found):
            by_word[doc].append(term)
        if len(self.known) + len(words) > KNOWN_WORDS:
            self.known.clear()
        self.known.update(zip(words, map(tuple, by_word)))
        return {word: self.known[word] for word in words}


_tokenizer = _Tokenizer()


def tokens(words):
    """{word: (its FTS5 tokens, in order)} for these text.words() forms. An ASCII word (letters
    and digits, lower case) is one token, itself; any other is asked of FTS5, once a thread."""
    found, unknown = {}, []
    for word in words:
        if word.isascii():
            found[word] = (word,)
        else:
            known = _tokenizer.known.get(word)
            if known is None:
                unknown.append(word)
            else:
                found[word] = known
    if unknown:
        found.update(_tokenizer.tokens(list(dict.fromkeys(unknown))))
    return found

