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
# Every character with a combining class sits below U+20000 (the last is U+1E94A, Adlam).
_COMBINING = [c for c in range(0x20000) if unicodedata.combining(chr(c))]
_FOLD = str.maketrans({**_SPELLED_OUT, **{c: None for c in _COMBINING}})


def _ranges(code_points):
    start = previous = code_points[0]
    for c in code_points[1:]:
        if c != previous + 1:
            yield start, previous
            start = c
        previous = c
    yield start, previous


_MARKS = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _ranges(_COMBINING))
# A word is a run of letters and digits; combining accents belong to the letter they follow
# (text typed as e + U+0301 is one word, as é is).
WORD = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}])*")
_FOLDED_WORD = re.compile(r"[^\W_]+")
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


def prepare(text):
    """Text as the word pattern expects it: composed, without NUL or other control characters."""
    text = unicodedata.normalize("NFC", text)
    return text if text.isprintable() else "".join(c if c.isprintable() else " " for c in text)


def words(text):
    """The index forms of every word of `text`, in order."""
    if text.isascii():
        return [word[:MAX_WORD_LENGTH] for word in _PLAIN_WORD.findall(text.lower())]
    forms = []
    for word in WORD.findall(prepare(text)):
        forms.extend(fold_word(word) if not word.isascii() else (word.lower()[:MAX_WORD_LENGTH],))
    return forms


def spans(text):
    """(start, end, index forms) of every word of an already prepare()d `text`: for highlighting."""
    for match in WORD.finditer(text):
        word = match.group()
        yield match.start(), match.end(), (word.lower()[:MAX_WORD_LENGTH],) if word.isascii() else fold_word(word)
