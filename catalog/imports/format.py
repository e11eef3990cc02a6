"""The CSV layout Arkiv reads and writes: one row per item, one column per term and language.

Columns: `identifier`, `type` (DCMI type), `status`, `rights_uri` (the URI of a rights statement
or licence of the controlled list, catalog/rights.py), `level` (a level of description's code:
fonds, series, file…), `parent` (the identifier of the unit above, in the catalogue or in the
same file; empty: at the top of an arrangement), `local_code` (the unit's own part of its
reference code), `arrangement` (its system of arrangement, ISAD(G) 3.3.4, as one text),
`collections` (collection identifiers), `files` (file names), `full_text`, and
one column per Dublin Core term, named `dc:title` or `dcterms:created`, optionally with a
language: `dc:title@nb`. A cell holds several values
separated by `|`; a literal `|` is written `\\|` and a literal backslash `\\\\`.

A linked value may name its authority record by the record's address (its slug) in angle
brackets, `Anna Hansen <anna-hansen-2>`, which is how two people of the same name are told apart;
the export writes that form exactly where a name alone would be ambiguous.

In a relation column (dc:relation, dc:source, dcterms:references, isPartOf …) a value may name
another item of the catalogue by its identifier in angle brackets, `Note on the Soviet forces
<finnmark-1945-note-0924>` (catalog/imports/targets.py); the export writes every linked relation
so.

A cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) is written with a leading apostrophe, and reading removes it again. Cells that already
start with apostrophes before such a character get one more, so the mapping is exact both ways.

This module is pure text: the import and the export share it so that they cannot disagree.
"""
import re
from pathlib import PurePosixPath

from .. import dublincore
from ..validators import normalise_language, validate_language

IDENTIFIER = "identifier"
TYPE = "type"
STATUS = "status"
COLLECTIONS = "collections"
FILES = "files"
FULL_TEXT = "full_text"
LEVEL = "level"
PARENT = "parent"
LOCAL_CODE = "local_code"
RIGHTS_URI = "rights_uri"
ARRANGEMENT = "arrangement"
ITEM_COLUMNS = (IDENTIFIER, TYPE, STATUS, RIGHTS_URI, LEVEL, PARENT, LOCAL_CODE, ARRANGEMENT, COLLECTIONS, FILES, FULL_TEXT)
PLACE_COLUMNS = (PARENT, LOCAL_CODE)
"""The columns that place a unit in an arrangement (its reference code follows from both)."""

SEPARATOR = "|"
ESCAPE = "\\"
JOINER = f" {SEPARATOR} "

_REFERENCE = re.compile(r"^(?P<label>.*?)\s*<(?P<slug>[-\w]+)>$")
# An item's identifier (validators.IDENTIFIER_PATTERN) in angle brackets at the end of a value.
_ITEM_REFERENCE = re.compile(r"^(?P<label>.*?)\s*<(?P<identifier>[A-Za-z0-9][A-Za-z0-9._-]{0,99})>$", re.DOTALL)

# OWASP's list of characters that make a spreadsheet treat a cell as a formula.
_NEEDS_NEUTRALISING = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def term_column(term, lang=""):
    """The header of the column holding `term` in `lang`: dc:title, dc:title@nb."""
    name = dublincore.qualified_name(term)
    return f"{name}@{lang}" if lang else name


def parse_term_column(header):
    """(term, lang) of a term column header. Raises KeyError for an unknown term and
    ValidationError for a bad language tag."""
    name, _, lang = header.partition("@")
    term = dublincore.term_from_qualified_name(name.strip())
    lang = lang.strip()
    validate_language(lang)
    return term, normalise_language(lang)


def escape_value(value):
    return value.replace(ESCAPE, ESCAPE * 2).replace(SEPARATOR, ESCAPE + SEPARATOR)


def join_values(values):
    return JOINER.join(escape_value(value) for value in values)


def split_values(cell):
    """The values of a cell, stripped, without empty ones. A backslash escapes only `|` and a
    backslash; anywhere else it is kept, so a typed `C:\\scans` survives."""
    if ESCAPE not in cell:
        return [value for value in map(str.strip, cell.split(SEPARATOR)) if value]
    values, current, chars = [], [], iter(cell)
    for char in chars:
        if char == ESCAPE:
            following = next(chars, "")
            if following in (SEPARATOR, ESCAPE):
                current.append(following)
            else:
                current.append(char + following)
        elif char == SEPARATOR:
            values.append("".join(current))
            current = []
        else:
            current.append(char)
    values.append("".join(current))
    return [value.strip() for value in values if value.strip()]


def fold(text):
    """A name as matching sees it: case and runs of spaces ignored. Python's casefold(), not
    the database's LOWER(), which in SQLite folds only ASCII (“ØSTBY” would miss “Østby”)."""
    return " ".join(text.split()).casefold()


def file_name(original_name, stored_name):
    """The name a digital file goes by in the `files` column: as uploaded, else as stored.
    The export writes it and the import compares against it, so a round trip changes nothing."""
    return original_name or PurePosixPath(stored_name).name


def reference(label, slug):
    """A linked value that names its record: `Anna Hansen <anna-hansen-2>`."""
    return f"{label} <{slug}>"


def split_reference(value):
    """(label, slug) of a value written by reference(); (value, None) for a plain name."""
    match = _REFERENCE.match(value) if value.endswith(">") else None
    return (match["label"], match["slug"]) if match else (value, None)


def split_item_reference(value):
    """(text, identifier) of a relation value naming an item, `Title <identifier>`; (value,
    None) for plain text."""
    match = _ITEM_REFERENCE.match(value) if value.endswith(">") else None
    return (match["label"], match["identifier"]) if match else (value, None)


def neutralise(cell):
    """Protect a cell against spreadsheet formula injection."""
    return "'" + cell if _NEEDS_NEUTRALISING.match(cell) else cell


def restore(cell):
    """Undo neutralise()."""
    return cell[1:] if cell[:1] == "'" and _NEUTRALISED.match(cell) else cell
