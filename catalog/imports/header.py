"""The header row: which column holds what. Problems here stop the whole file."""
import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import dublincore
from . import format as fmt

NO_IDENTIFIER = _(
    "The header row has no “identifier” column: add one holding each item's accession "
    "identifier (the first row of the file must name the columns)."
)
UNKNOWN_COLUMN = _(
    "Column {letter} “{name}” is not a column Arkiv knows{hint}: use identifier, type, status, "
    "rights_uri, level, parent, local_code, arrangement, collections, files, full_text, or a Dublin Core term such as "
    "dc:title, dcterms:created or dc:title@nb."
)
BAD_LANGUAGE = _("Column {letter} “{name}”: {message}")
DUPLICATE_COLUMN = _(
    "Columns {first} and {second} are both “{name}”: put their values in one column, separated by |."
)
UNNAMED_COLUMN = _("Column {letter} has no name in the header row: name it, or delete the column.")
DID_YOU_MEAN = _("(did you mean “{name}”?)")

_TERMS_BY_LOWER = {term.lower(): term for term in dublincore.TERMS}
_KNOWN_NAMES = [*fmt.ITEM_COLUMNS, *(dublincore.qualified_name(term) for term in dublincore.TERMS)]


def column_letter(index):
    """A, B, … Z, AA, AB …: how a spreadsheet names the column at a 0-based index."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True)
class Column:
    index: int
    name: str  # canonical: identifier, dc:title@nb
    field: str  # one of format.ITEM_COLUMNS, or "term"
    term: str = ""
    lang: str = ""

    @property
    def letter(self):
        return column_letter(self.index)


class HeaderError(Exception):
    def __init__(self, messages):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Header:
    columns: list

    @property
    def width(self):
        return len(self.columns)

    def get(self, field):
        return next((column for column in self.columns if column.field == field), None)

    @property
    def term_columns(self):
        return [column for column in self.columns if column.field == "term"]


def parse_header(cells):
    """The columns named by a header row; raises HeaderError listing every problem at once."""
    columns, problems, seen = [], [], {}
    for index, raw in enumerate(cells):
        name, letter = fmt.restore(raw).strip(), column_letter(index)
        if not name:
            problems.append(UNNAMED_COLUMN.format(letter=letter))
            continue
        try:
            column = _column(index, name)
        except ValidationError as error:
            problems.append(BAD_LANGUAGE.format(letter=letter, name=name, message=error.messages[0]))
            continue
        except KeyError:
            problems.append(UNKNOWN_COLUMN.format(letter=letter, name=name, hint=_hint(name)))
            continue
        if column.name in seen:
            problems.append(DUPLICATE_COLUMN.format(first=seen[column.name], second=letter, name=column.name))
            continue
        seen[column.name] = letter
        columns.append(column)
    if fmt.IDENTIFIER not in seen:
        problems.insert(0, str(NO_IDENTIFIER))
    if problems:
        raise HeaderError(problems)
    return Header(columns)


def _column(index, name):
    if name.lower() in fmt.ITEM_COLUMNS:
        return Column(index, name.lower(), name.lower())
    prefix, colon, local = name.partition(":")
    if not colon:
        raise KeyError(name)
    local, _, lang = local.partition("@")
    term = _TERMS_BY_LOWER.get(local.strip().lower(), local.strip())
    qualified = f"{prefix.strip().lower()}:{term}"
    term, lang = fmt.parse_term_column(f"{qualified}@{lang}" if lang else qualified)
    return Column(index, fmt.term_column(term, lang), "term", term, lang)


def _hint(name):
    bare = name.split("@")[0].strip()
    if bare.lower() in _TERMS_BY_LOWER:
        return " " + DID_YOU_MEAN.format(name=dublincore.qualified_name(_TERMS_BY_LOWER[bare.lower()]))
    close = difflib.get_close_matches(bare, _KNOWN_NAMES, n=1, cutoff=0.75)
    return " " + DID_YOU_MEAN.format(name=close[0]) if close else ""
