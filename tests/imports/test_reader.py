import io
import tracemalloc

import pytest

from catalog.imports import reader
from catalog.imports.reader import CsvRows, ImportFileError

from .streams import GeneratedFile

GIGABYTE = 1 << 30


def rows(data):
    return list(CsvRows(io.BytesIO(data)))


def failure(data):
    with pytest.raises(ImportFileError) as caught:
        rows(data)
    return caught.value


def test_rows_are_numbered_as_in_the_spreadsheet_skipping_blank_ones():
    data = b'identifier,dc:title\nkir-001,"two\nlines"\n\n,\nkir-002,x\n'
    assert rows(data) == [
        (1, ["identifier", "dc:title"]), (2, ["kir-001", "two\nlines"]), (5, ["kir-002", "x"]),
    ]


def test_a_utf8_byte_order_mark_is_accepted():
    assert rows("\ufeffidentifier\nkir-001\n".encode())[0] == (1, ["identifier"])


def test_windows_line_endings_and_unicode_are_read():
    assert rows("identifier,dc:title\r\nvar-1,Vardø\r\n".encode()) == [(1, ["identifier", "dc:title"]), (2, ["var-1", "Vardø"])]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(delimiter):
    data = f"identifier{delimiter}dc:title\nkir-1{delimiter}Bro, Jakobselv\n".encode()
    assert rows(data)[1] == (2, ["kir-1", "Bro, Jakobselv"])


def test_latin1_bytes_are_reported_with_row_and_offset():
    data = "identifier,dc:title\nkir-1,Vardø\nkir-2,".encode() + "Vadsø\n".encode("latin-1")
    error = failure(data)
    assert error.row == 3
    assert error.message.startswith("The bytes f8 0a at offset 43 are not UTF-8.")
    assert str(error).startswith("Row 3: The bytes f8 0a")
    assert "save it again as “CSV UTF-8”" in error.message


def test_mixed_encodings_are_caught_where_the_second_one_starts():
    good = "kir-{},Vardø\n"
    data = "identifier,dc:title\n".encode() + "".join(good.format(n) for n in range(5000)).encode()
    data += "kir-x,Båtsfjord\n".encode("cp1252")
    assert failure(data).row == 5002


def test_an_empty_file_is_refused():
    assert failure(b"").message == reader.EMPTY_FILE
    assert failure(b"\xef\xbb\xbf \r\n\n").message == reader.EMPTY_FILE


def test_utf16_and_workbooks_are_refused_with_how_to_save_csv():
    assert failure("identifier\n".encode("utf-16")).message == reader.UTF16_FILE
    assert failure(b"PK\x03\x04\x14\x00rest of an xlsx").message == reader.WORKBOOK


def test_a_nul_byte_is_refused():
    assert failure(b"identifier\nkir-1\x00\n").message.startswith("The row contains a NUL byte")


def test_classic_mac_line_endings_are_explained():
    assert "carriage return alone" in failure(b"identifier,dc:title\rkir-1,x\rkir-2,y\r").message


def test_consumed_counts_the_bytes_read():
    data = b"identifier\n" + b"kir-1\n" * 100_000
    found = CsvRows(io.BytesIO(data))
    assert sum(1 for _ in found) == 100_001
    assert found.consumed == len(data)


def test_an_unclosed_quote_in_a_gigabyte_file_stops_at_the_cell_limit_in_bounded_memory():
    stream = GeneratedFile(b'identifier,dc:title\nkir-1,"never closed\n', b"more text of the same cell\n", GIGABYTE)
    tracemalloc.start()
    try:
        error = failure_of(stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.row == 2 and "A cell is longer than 16 MB" in error.message
    assert stream.position < 64 * 1024 * 1024
    assert peak < 200 * 1024 * 1024


def test_a_gigabyte_line_without_line_breaks_is_refused_in_bounded_memory():
    stream = GeneratedFile(b"identifier,dc:title\nkir-1,", b"x" * 1000, GIGABYTE)
    error = failure_of(stream)
    assert error.row == 2 and "A cell is longer than 16 MB" in error.message
    assert stream.position < 64 * 1024 * 1024


def failure_of(stream):
    with pytest.raises(ImportFileError) as caught:
        list(CsvRows(stream))
    return caught.value


def test_a_quote_left_open_at_the_end_is_reported_where_it_opens():
    error = failure(b'identifier,dc:title\nkir-1,"Bridge\nkir-2,Harbour\n')
    assert (error.row, error.message) == (2, reader.UNCLOSED_QUOTE)


def test_text_after_a_closing_quote_is_reported():
    assert failure(b'identifier,dc:title\nkir-1,"Bridge" at Jakobselv\n').message == reader.TEXT_AFTER_QUOTE


def test_quotes_doubled_inside_a_quoted_cell_are_read():
    assert rows(b'identifier,dc:title\nkir-1,"The ""Red"" bridge, Jakobselv"\n')[1] == (2, ["kir-1", 'The "Red" bridge, Jakobselv'])


def test_a_row_wider_than_the_column_cap_stops_the_file_where_it_is(settings):
    settings.ARKIV_MAX_CSV_COLUMNS = 3
    data = b"identifier,type,dc:title\nkir-1,Text,A\nkir-2,Text,B,,\n"
    error = failure(data)
    assert (error.row, error.message) == (3, reader.TOO_MANY_COLUMNS % {"count": 5, "limit": 3})
    assert str(error).startswith("Row 3: The row has 5 cells, and an import reads at most 3 columns")


def test_a_row_as_wide_as_the_column_cap_is_read(settings):
    settings.ARKIV_MAX_CSV_COLUMNS = 3
    assert rows(b"identifier,type,dc:title\nkir-1,Text,A\n")[1] == (2, ["kir-1", "Text", "A"])
