import pytest

from catalog.imports import format as fmt


@pytest.mark.parametrize("values", [
    ["Kirkenes"],
    ["Soviet troops", "Jakobselv"],
    ["a | b", "back\\slash", "ends with \\", "\\|"],
    ["C:\\scans\\box 1"],
])
def test_values_survive_joining_and_splitting(values):
    assert fmt.split_values(fmt.join_values(values)) == values


def test_a_pipe_separates_values_and_spaces_around_it_do_not_count():
    assert fmt.split_values(" Kirkenes |Vardø|  Vadsø ") == ["Kirkenes", "Vardø", "Vadsø"]


def test_an_escaped_pipe_is_part_of_the_value():
    assert fmt.split_values(r"Either\|or | Neither") == ["Either|or", "Neither"]


def test_a_backslash_before_anything_else_is_kept_as_typed():
    assert fmt.split_values(r"C:\scans | \n") == [r"C:\scans", r"\n"]


def test_empty_values_are_dropped():
    assert fmt.split_values(" | a || ") == ["a"]
    assert fmt.split_values("") == []


@pytest.mark.parametrize("cell", ["=SUM(A1:A2)", "+47 123", "-0044", "@cmd", "\tx", "\rx", "'=already quoted", "''-two"])
def test_formula_cells_are_neutralised_and_restored_exactly(cell):
    written = fmt.neutralise(cell)
    assert written.startswith("'")
    assert fmt.restore(written) == cell


@pytest.mark.parametrize("cell", ["Kirkenes", "1945-09-24", "'quoted but harmless", "a=b", ""])
def test_harmless_cells_are_written_as_they_are(cell):
    assert fmt.neutralise(cell) == cell
    assert fmt.restore(cell) == cell


def test_a_typed_formula_without_quote_is_read_as_it_is():
    assert fmt.restore("-5 degrees") == "-5 degrees"


def test_term_columns_name_the_namespace_and_language():
    assert fmt.term_column("title") == "dc:title"
    assert fmt.term_column("title", "nb") == "dc:title@nb"
    assert fmt.term_column("created") == "dcterms:created"
    assert fmt.parse_term_column("dc:title@nb") == ("title", "nb")
    assert fmt.parse_term_column("dcterms:title@EN-gb") == ("title", "en-GB")
