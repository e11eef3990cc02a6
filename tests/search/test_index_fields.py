"""A field's words are worked out text by text and remembered; they must be exactly the words
of the field's texts joined, as the index has always been written."""
import pytest

from catalog.search import index
from catalog.search.text import words

TEXTS = [
    "Bjørnevatn", "ΟΔΟΣ", "Σ at the start", "e\u0301 written as two code points", "\u0301 a mark first",
    "Диаконов; Дьяконов", "half ½ and ﬁ ligature", "tab\tand\x07control", "", "   ", "mixed ASCII and Ærø",
    "Sámi: Ánde Sara", "x" * 150, "a_b under_score", "中文 文本",
]


def joined_words(texts):
    return " ".join(words("\n".join(texts)[:index.MAX_FIELD_CHARACTERS]))


@pytest.mark.parametrize("texts", [
    TEXTS, TEXTS[::-1], [TEXTS[0]], ["ΟΔΟΣ", "ΟΔΟΣ"], ["Σ", "Σ"], ["Bjørnevatn", "Bjornevatn", "BJØRNEVATN"],
])
def test_a_fields_words_are_those_of_its_texts_joined(texts):
    held = set()
    assert index._field(texts, held) == joined_words(texts)
    assert held == set(joined_words(texts).split())  # for the table of words (vocabulary.py)
    held = set()
    assert index._field(texts, held) == joined_words(texts)  # again, from what it remembered
    assert held == set(joined_words(texts).split())


def test_a_field_longer_than_the_limit_is_cut_as_before(monkeypatch):
    monkeypatch.setattr(index, "MAX_FIELD_CHARACTERS", 40)
    texts = ["first text of twenty", "second text, cut in the middle of it"]
    held = set()
    assert index._field(texts, held) == joined_words(texts)
    assert "middle" not in index._field(texts) and "middle" not in held


def test_remembered_words_are_bounded(monkeypatch):
    monkeypatch.setattr(index, "KNOWN_TEXTS", 3)
    monkeypatch.setattr(index, "_known_words", {})
    for n in range(10):
        index._field([f"text {n}"])
    assert len(index._known_words) <= 3
    assert index._field(["text 9"]) == "text 9"
