"""A visitor's search words, read once and written out for each engine.

The grammar is the one people know from web search engines, and never an error:
    kirkenes 1944        both words (AND)
    "red army"           the words next to each other, in this order
    petsamo OR pechenga  either word
    -museum              leave out what contains the word
Everything else is a word separator: FTS5 and tsquery operators, brackets, colons, stars and
stray quotes are read as text, never as syntax. The last word, if at least PREFIX_MIN_LENGTH
letters long and not followed by a space, also matches as a prefix ("kirk" finds Kirkenes).
"""
from dataclasses import dataclass
import re

from .text import words

MAX_QUERY_LENGTH = 1000
"""Characters read from a query; the rest is ignored (a search box is not a document)."""

MAX_WORDS = 32
"""Words used from a query; more make the engines slower and the results no better."""

PREFIX_MIN_LENGTH = 3
"""Shorter last words are matched whole: "a*" would match half the catalogue."""

_PIECE = re.compile(r'(-?)"([^"]*)("?)|(\S+)')


@dataclass(frozen=True)
class Phrase:
    words: tuple
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    required: tuple  # of tuples of Phrases: every group must match, any phrase of a group
    excluded: tuple  # of Phrases: none may match

    def __bool__(self):
        return bool(self.required)

    @property
    def words(self):
        """Every word the results match on (for highlighting), prefixes marked with a '*'."""
        found = []
        for group in self.required:
            for phrase in group:
                found.extend(phrase.words[:-1])
                found.append(phrase.words[-1] + ("*" if phrase.prefix else ""))
        return tuple(dict.fromkeys(found))


def parse(text):
    """Read a query string of any content into a Query (empty if nothing in it is searchable)."""
    text = text[:MAX_QUERY_LENGTH]
    required, excluded, budget = [], [], MAX_WORDS
    join_next = False
    last_end, last_prefixable = 0, False
    for match in _PIECE.finditer(text):
        negated, quoted, closed, bare = match.groups()
        if bare == "OR":
            join_next = bool(required)
            continue
        if bare is not None and bare.startswith("-"):
            negated, bare = "-", bare[1:]
        found = words(quoted if bare is None else bare)[:budget]
        if not found:
            continue
        budget -= len(found)
        phrase = Phrase(tuple(found))
        if negated:
            excluded.append(phrase)
        elif join_next:
            required[-1] = (*required[-1], phrase)
        else:
            required.append((phrase,))
        join_next = False
        last_end = match.end()
        last_prefixable = not negated and not closed
        if not budget:
            break
    if required and last_prefixable and last_end == len(text.rstrip()) == len(text):
        group = required[-1]
        last = group[-1]
        if len(last.words[-1]) >= PREFIX_MIN_LENGTH:
            required[-1] = (*group[:-1], Phrase(last.words, prefix=True))
    return Query(tuple(required), tuple(excluded))


def to_fts5(query, prefix=None):
    """The query as an SQLite FTS5 expression: every word a quoted string, so none is an operator.
    `prefix`: what to write for the prefix phrase, if any, instead of the phrase (a function of
    it; vocabulary.py writes the words it begins)."""

    def phrase(p):
        return prefix(p) if p.prefix and prefix else fts5_phrase(p)

    groups = [
        phrase(group[0]) if len(group) == 1 else "(" + " OR ".join(map(phrase, group)) + ")"
        for group in query.required
    ]
    return "(" + " AND ".join(groups) + ")" + "".join(f" NOT {phrase(p)}" for p in query.excluded)


def fts5_phrase(phrase):
    """One phrase as an FTS5 string: its words quoted, a star after if it is a prefix."""
    return '"' + " ".join(w.replace('"', '""') for w in phrase.words) + '"' + ("*" if phrase.prefix else "")


def to_tsquery(query):
    """The query as PostgreSQL tsquery text: every word a quoted lexeme, so none is an operator."""

    def phrase(p):
        lexemes = [f"'{w}'" for w in p.words]  # words() leaves no quote or backslash in a word
        if p.prefix:
            lexemes[-1] += ":*"
        return "(" + " <-> ".join(lexemes) + ")"

    groups = ["(" + " | ".join(map(phrase, group)) + ")" for group in query.required]
    return " & ".join(groups + [f"!{phrase(p)}" for p in query.excluded])
