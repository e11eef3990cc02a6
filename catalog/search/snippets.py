"""snippets(): for one page of results, the passage of each item that best shows why it matched.

The passage comes from the item's own text (documents.py, the same text the index is made of),
cut to a few dozen words around the matching words, which are wrapped in <mark>. Everything
else is escaped, so a value holding "<script>" is shown as text.
"""
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .documents import documents
from .index import MAX_FIELD_CHARACTERS
from .query import parse
from .text import prepare, spans

PASSAGE_WORDS = 30
"""Words in a passage cut from a longer text."""

LEAD_WORDS = 5
"""Words kept before the first match, so a passage starts with some context."""


def snippets(items, query):
    """{item id: highlighted passage} for `items` (one page), in four queries whatever their number.

    Items with nothing to show for this query are left out.
    """
    parsed = parse(query or "")
    item_ids = [item.pk for item in items]
    if not parsed or not item_ids:
        return {}
    terms = _Terms(parsed.words)
    found = {}
    for pk, document in documents(item_ids).items():
        # Titles come last and must match strictly more words to win: the result list shows
        # the title anyway, so a passage from elsewhere says more.
        texts = [*document.body_texts(), document.full_text[:MAX_FIELD_CHARACTERS], *document.title]
        best = None
        for text in texts:
            passage = _passage(prepare(text), terms) if text else None
            if passage and (best is None or passage.score > best.score):
                best = passage
        if best:
            found[pk] = best.html
    return found


class _Terms:
    """The query's words; a word ending in '*' matches as a prefix."""

    def __init__(self, words):
        self.exact = {word for word in words if not word.endswith("*")}
        self.prefixes = tuple(word[:-1] for word in words if word.endswith("*"))

    def matching(self, forms):
        """The query word one word of the text (its index forms) matches, or None."""
        for form in forms:
            if form in self.exact:
                return form
            for prefix in self.prefixes:
                if form.startswith(prefix):
                    return prefix
        return None


@dataclass
class _Passage:
    score: int  # distinct query words in it
    html: str


def _passage(text, terms):
    found = list(spans(text))
    hits = {i: term for i, (_, _, forms) in enumerate(found) if (term := terms.matching(forms))}
    if not hits:
        return None
    if len(found) <= PASSAGE_WORDS:
        first, last = 0, len(found)
    else:
        first = max(
            (max(0, i - LEAD_WORDS) for i in hits),
            key=lambda start: len({term for i, term in hits.items() if start <= i < start + PASSAGE_WORDS}),
        )
        last = min(first + PASSAGE_WORDS, len(found))
    score = len({term for i, term in hits.items() if first <= i < last})
    start = 0 if first == 0 else found[first][0]
    end = len(text) if last == len(found) else found[last - 1][1]
    parts = ["…" if start else ""]
    position = start
    for i in range(first, last):
        if i in hits:
            word_start, word_end, _ = found[i]
            parts += [escape(text[position:word_start]), "<mark>", escape(text[word_start:word_end]), "</mark>"]
            position = word_end
    parts += [escape(text[position:end]), "…" if end < len(text) else ""]
    return _Passage(score, mark_safe("".join(parts)))
