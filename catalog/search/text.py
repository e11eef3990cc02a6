"""Words as search sees them: the same folding on the way into the index and out of a query.

Both engines receive text that is already split and folded here (lower case, accents and the
few letters Unicode does not decompose - ø, æ, ß, ł, đ, þ - spelt out in plain Latin), joined by
spaces. So "Bjørnevatn", "Bjornevatn" and "BJØRNEVATN" are one word to SQLite FTS5 and to
PostgreSQL alike, the engines' own tokenizers and dictionaries have nothing left to disagree
about, and the highlighter finds exactly the words the index matched.
"""
import re
import unicodedata
from functools import lru_cache

# Letters with no Unicode decomposition, spelt the way their languages' own ASCII fallbacks
# spell them (Bjørnevatn -> Bjornevatn, Ærø -> Aero, Łódź -> Lodz).
_SPELLED_OUT = {
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ẞ": "ss",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
    "ħ": "h", "Ħ": "h", "ı": "i", "ŀ": "l", "Ŀ": "l",
}
# Every mark sits below U+20000 except the variation selectors supplement (U+E0100-E01EF).
_PLANES = [*range(0x20000), *range(0xE0100, 0xE01F0)]
# Accents (marks with a combining class) are dropped by folding; every mark, accents and the
# vowel signs of Indic scripts alike, belongs to the word it is written in.
_MARK_POINTS = [c for c in _PLANES if unicodedata.category(chr(c))[0] == "M"]
_ACCENTS = [c for c in _MARK_POINTS if unicodedata.combining(chr(c))]
_FOLD = str.maketrans({**_SPELLED_OUT, **{c: None for c in _ACCENTS}})


def _ranges(code_points):
    start = previous = code_points[0]
    for c in code_points[1:]:
        if c != previous + 1:
            yield start, previous
            start = c
        previous = c
    yield start, previous


_MARKS = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _ranges(_MARK_POINTS))
# A word is a run of letters and digits with the marks written on them (text typed as
# e + U+0301 is one word, as é is; so is हिन्दी).
WORD = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}])*")
_FOLDED_WORD = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+")

MAX_WORD_LENGTH = 100
"""Longer runs of letters are cut here on both sides: they are codes or debris, not words, and
PostgreSQL refuses lexemes over 2 KB."""


@lru_cache(maxsize=200_000)
def fold_word(word):
    """The index forms of one word: usually one, more when folding splits it (½ -> 1, 2)."""
    folded = unicodedata.normalize("NFKD", word).translate(_FOLD).casefold()
    folded = unicodedata.normalize("NFKD", folded).translate(_FOLD)  # casefold can re-compose
    return tuple(part[:MAX_WORD_LENGTH] for part in _FOLDED_WORD.findall(folded))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def prepare(text):
    """Text as the word pattern expects it: composed (NFC), control characters made spaces."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", text))


def words(text):
    """The index forms of every word of `text`, in order."""
    text = prepare(text).lower()
    if text.isascii():
        return [word[:MAX_WORD_LENGTH] for word in _PLAIN_WORD.findall(text)]
    forms = []
    for word in WORD.findall(text):
        if word.isascii():
            forms.append(word[:MAX_WORD_LENGTH])
        else:
            forms.extend(fold_word(word))
    return forms


def spans(text):
    """(start, end, index forms) of every word of an already prepare()d `text`: for highlighting."""
    for match in WORD.finditer(text):
        word = match.group()
        yield match.start(), match.end(), (word.lower()[:MAX_WORD_LENGTH],) if word.isascii() else fold_word(word)
