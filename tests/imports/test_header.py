import pytest

from catalog.imports.header import (
    NO_IDENTIFIER, HeaderError, column_letter, parse_header,
)


def problems(cells):
    with pytest.raises(HeaderError) as caught:
        parse_header(cells)
    return caught.value.messages


def test_a_header_names_item_columns_and_term_columns_with_languages():
    header = parse_header(["Identifier", "type", "dc:title", "dc:title@NB", "dcterms:Created", "files"])
    assert [c.name for c in header.columns] == [
        "identifier", "type", "dc:title", "dc:title@nb", "dcterms:created", "files",
    ]
    assert [(c.term, c.lang) for c in header.term_columns] == [("title", ""), ("title", "nb"), ("created", "")]
    assert header.get("files").index == 5


def test_the_identifier_column_is_required():
    assert problems(["dc:title", "type"]) == [NO_IDENTIFIER]


def test_unknown_columns_are_named_with_their_letter_and_a_suggestion():
    [message] = problems(["identifier", "dc:title", "title"])
    assert message.startswith("Column C “title” is not a column Arkiv knows (did you mean “dc:title”?)")
    [message] = problems(["identifier", "dc:creater"])
    assert "(did you mean “dc:creator”?)" in message


def test_a_bad_language_tag_is_reported_with_how_to_write_one():
    [message] = problems(["identifier", "dc:title@english!"])
    assert message.startswith("Column B “dc:title@english!”: “english!” is not a BCP 47 language tag")


def test_two_columns_for_the_same_term_and_language_are_refused():
    [message] = problems(["identifier", "dc:subject", "dcterms:subject"])
    assert message == "Columns B and C are both “dc:subject”: put their values in one column, separated by |."


def test_every_problem_is_reported_at_once():
    assert len(problems(["identifier", "", "nonsense", "dc:title@!!"])) == 3


def test_column_letters_follow_the_spreadsheet():
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]
