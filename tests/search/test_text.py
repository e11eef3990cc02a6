from catalog.search.text import MAX_WORD_LENGTH, prepare, spans, words


def test_words_are_lower_case_and_accent_free():
    assert words("Bjørnevatn BJØRNEVATN Bjornevåtn Café") == ["bjornevatn"] * 3 + ["cafe"]


def test_letters_without_a_decomposition_are_spelt_out():
    assert words("Ærø Łódź Straße Þingvellir") == ["aero", "lodz", "strasse", "thingvellir"]


def test_a_decomposed_accent_stays_in_its_word():
    assert words("Cafe\u0301s") == ["cafes"]


def test_punctuation_and_symbols_separate_words():
    assert words("Sør-Varanger, 1944–1945 (x_y) 🙂ok") == ["sor", "varanger", "1944", "1945", "x", "y", "ok"]


def test_other_scripts_are_kept_and_lower_cased():
    assert words("ПЕТСАМО Печенга") == ["петсамо", "печенга"]


def test_control_characters_separate_words():
    assert words("a\x00b\x07c") == ["a", "b", "c"]


def test_very_long_words_are_cut():
    assert words("x" * 500) == ["x" * MAX_WORD_LENGTH]


def test_spans_point_into_the_prepared_text():
    text = prepare("Bjørnevatn, Sør-Varanger")
    assert [(text[start:end], forms) for start, end, forms in spans(text)] == [
        ("Bjørnevatn", ("bjornevatn",)), ("Sør", ("sor",)), ("Varanger", ("varanger",)),
    ]


def test_the_vowel_signs_of_indic_scripts_stay_in_their_word():
    assert len(words("हिन्दी भाषा")) == 2
