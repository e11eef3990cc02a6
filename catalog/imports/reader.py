"""Stream a CSV file into rows, in bounded memory, with exact messages for undecodable input.

The file is read in blocks and decoded incrementally, so a 1 GB file costs no more memory than
a small one; a byte that is not UTF-8 is reported with its row and byte offset. A UTF-8 byte
order mark (what Excel writes for "CSV UTF-8") is accepted and skipped. No row may have more
cells than ARKIV_MAX_CSV_COLUMNS: a row of empty cells costs no characters, so the cap on a
cell's length alone would let one line of commas hold millions of cells.
"""
import codecs
import csv

from django.conf import settings
from django.utils.translation import gettext_lazy as _

BLOCK_SIZE = 1 << 16

MAX_CELL_BYTES = 16 * 1024 * 1024
"""Longest cell (and longest line) accepted. Long enough for a transcribed book in full_text,
short enough that an unclosed quote cannot make the reader swallow a whole file."""

UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
DELIMITERS = (",", ";", "\t")

EMPTY_FILE = _("The file is empty: export the spreadsheet again as CSV, with a header row.")
UTF16_FILE = _(
    "The file is saved as UTF-16 (Excel's “Unicode text”): save it as “CSV UTF-8 "
    "(comma delimited)” instead."
)
WORKBOOK = _(
    "This is a spreadsheet workbook (.xlsx, .ods or .xls), not a CSV file: in the spreadsheet "
    "choose Save As → “CSV UTF-8 (comma delimited)” and import that file."
)
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
NOT_UTF8 = _(
    "The bytes {snippet} at offset {offset} are not UTF-8. The file, or part of it, "
    "was saved in another encoding (Windows-1252, Latin-1, Mac Roman…): open it in a "
    "spreadsheet and save it again as “CSV UTF-8”."
)
CELL_TOO_LONG = _(
    "A cell is longer than {limit} MB. Usually a quote (\") opens a cell and is never "
    "closed, so the rest of the file runs into one cell: close the quote, or write a quote inside "
    "a quoted cell as two quotes (\"\")."
)
NUL_BYTE = _(
    "The row contains a NUL byte: this is not a text CSV file (a spreadsheet workbook, perhaps). "
    "Save it as “CSV UTF-8”."
)
UNCLOSED_QUOTE = _(
    "A quote (\") opens a cell and is never closed before the end of the file: close "
    "the quote, or write a quote inside a quoted cell as two quotes (\"\")."
)
TEXT_AFTER_QUOTE = _(
    "Text follows the quote (\") that closes a cell: inside a quoted cell, write a "
    "quote as two quotes (\"\"), or quote the whole cell."
)
CR_ONLY = _(
    "The lines end with a carriage return alone (the old Mac format): save the file "
    "again as “CSV UTF-8”, which ends lines the Windows or Unix way."
)
BAD_CSV = _("The CSV cannot be read ({error}). Save the spreadsheet again as CSV.")
TOO_MANY_COLUMNS = _(
    "The row has %(count)d cells, and an import reads at most %(limit)d columns: delete the "
    "empty columns at the right of the sheet, or split the file into files of fewer columns."
)


class ImportFileError(Exception):
    """The file as a whole cannot be read; `row` is where reading stopped (None: at once)."""

    def __init__(self, message, row=None):
        message = str(message)  # translated now, in the import's language: the plan stores text
        super().__init__(f"Row {row}: {message}" if row else message)
        self.message = message
        self.row = row


class _Lines:
    """Decoded lines of a binary stream, split only at \\n as the csv module needs.

    `consumed` counts the bytes read so far (for progress bars); `row` is set by the reader so
    that a decoding error can say where it happened.
    """

    def __init__(self, stream, first_block):
        self.stream = stream
        self.pending_block = first_block
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.consumed = 0
        self.row = 1

    def __iter__(self):
        pending, pending_length = [], 0  # the start of a line that spans blocks
        while True:
            block = self.pending_block if self.pending_block is not None else self.stream.read(BLOCK_SIZE)
            self.pending_block = None
            text, problem = self._decode(block, final=not block)
            self.consumed += len(block)
            if problem is None and "\x00" in text:
                text, problem = text[:text.index("\x00")], NUL_BYTE
            lines = text.split("\n")
            if len(lines) > 1:
                lines[0] = "".join(pending) + lines[0]
                pending, pending_length = [], 0
                last = lines.pop()
                for line in lines:
                    yield line + "\n"
                lines = [last]
            pending.append(lines[0])
            pending_length += len(lines[0])
            if problem is not None:
                # The csv reader has now read every row before the bad one: self.row is exact.
                raise ImportFileError(problem, self.row)
            if pending_length > MAX_CELL_BYTES:
                raise ImportFileError(CELL_TOO_LONG.format(limit=MAX_CELL_BYTES >> 20), self.row)
            if not block:
                break
        if pending_length:
            yield "".join(pending)

    def _decode(self, block, final):
        """(text, None), or the text before an undecodable byte and the message about it."""
        buffered = self.decoder.getstate()[0]
        try:
            return self.decoder.decode(block, final=final), None
        except UnicodeDecodeError as error:
            offset = self.consumed - len(buffered) + error.start
            snippet = error.object[error.start:error.start + 4].hex(" ")
            good = error.object[:error.start].decode("utf-8")
            return good, NOT_UTF8.format(offset=offset, snippet=snippet)


def _open(stream):
    first = stream.read(BLOCK_SIZE)
    if first.startswith(UTF8_BOM):
        first = first[len(UTF8_BOM):]
    elif first.startswith(UTF16_BOMS):
        raise ImportFileError(UTF16_FILE)
    elif first.startswith(WORKBOOK_SIGNATURES):
        raise ImportFileError(WORKBOOK)
    if not first.strip(b" \t\r\n"):
        raise ImportFileError(EMPTY_FILE)
    return first


def _delimiter(first_block):
    """Comma, or the semicolon or tab a spreadsheet writes in locales where the comma is the
    decimal sign (Excel in Norway, Germany…): whichever the header line uses most."""
    header = first_block.split(b"\n", 1)[0].decode("utf-8", "replace")
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


class CsvRows:
    """The rows of a binary CSV stream: iterate for (row number, cells), header first as row 1.

    Blank rows are skipped but still counted, so numbers match the spreadsheet's. `consumed`
    is the number of bytes read so far. Raises ImportFileError when the file cannot be read.
    """

    def __init__(self, stream):
        first = _open(stream)
        self._lines = _Lines(stream, first)
        csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_BYTES))
        # strict: a quote left open at the end of the file, or text after a closing quote, is
        # an error rather than a cell that silently swallows the rows after it.
        self._reader = csv.reader(self._lines, delimiter=_delimiter(first), strict=True)
        self._max_columns = settings.ARKIV_MAX_CSV_COLUMNS

    @property
    def consumed(self):
        return self._lines.consumed

    def __iter__(self):
        row = 0
        while True:
            self._lines.row = row + 1
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFileError(_csv_message(error), row + 1) from None
            row += 1
            if len(cells) > self._max_columns:
                message = TOO_MANY_COLUMNS % {"count": len(cells), "limit": self._max_columns}
                raise ImportFileError(message, row)
            if any(cell.strip() for cell in cells):
                yield row, cells


def _csv_message(error):
    text = str(error)
    if "field larger than field limit" in text:
        return CELL_TOO_LONG.format(limit=MAX_CELL_BYTES >> 20)
    if "unexpected end of data" in text:
        return UNCLOSED_QUOTE
    if "expected after" in text:
        return TEXT_AFTER_QUOTE
    if "new-line character seen in unquoted field" in text:
        return CR_ONLY
    return BAD_CSV.format(error=text)
