"""A FindingAid → rows of the CSV import's shape, so that EAD goes through the one import engine.

Each unit becomes one row, parents before their children (document order), with the columns
the CSV header understands (catalog/imports/format.py): identifier, type, status, level, parent,
local_code and a column per Dublin Core term and language (dc:title@en, dcterms:created…). The
engine then plans, previews and applies them as it does a spreadsheet, names included: a name
is matched to an authority record by its preferred label or a variant, or becomes a new record.

Decisions, in the order of the columns:

- identifier: the fonds gets the identifier the archivist gives (or one made from its unitid or
  eadid, valid per IDENTIFIER_PATTERN), each component that identifier followed by its number
  in document order: KF, KF-1, KF-2 … A unitid cannot be the identifier: it is optional
  (ArchivesSpace components often have none), repeats across branches, and may hold characters
  an identifier cannot; the numbers are always valid, unique below the fonds, and the same each
  time the same file is read. An EAD import makes a new fonds, so none of them may exist yet.
- type: Collection for a unit at any level but item, or with units below it; an item's DCMI
  type follows its genre (<genreform>, GENRE_TYPES), else Text.
- status: draft, for archivists to publish after review, unless the import is told to publish.
- level: the code of the Level whose EAD level is @level (otherlevel: whose code or name is
  @otherlevel); none → the engine's default (item). An unknown level is an error naming the
  levels Arkiv has.
- parent: the identifier of the enclosing unit.
- local_code: the unitid, made a valid local code (LOCAL_CODE_PATTERN: spaces and other
  characters become hyphens, “HR-HDA 145” → “HR-HDA-145”, with a note); the unitid as written
  is kept in dc:identifier. Two siblings with the same code would share a reference code: that
  is an error naming both lines (nothing is renamed behind the archivist's back).
- arrangement: the system of arrangement (ISAD(G) 3.3.4), the unit's own field.
"""
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ...lookups import StartsWithExactly
from ...models import Item, Level
from ...models.items import REFERENCE_TAKEN
from ...validators import IDENTIFIER_PATTERN, LOCAL_CODE_PATTERN, validate_identifier
from .. import format as fmt
from . import errors
from .units import Value

TERM_ORDER = (
    "identifier", "title", "created", "extent", "medium", "creator", "abstract", "description",
    "accessRights", "rights", "provenance", "relation", "bibliographicCitation",
    "subject", "spatial", "type", "language",
)
"""The order of the term columns, as ISAD(G) orders its elements."""

GENRE_TYPES = (
    ("photo", "StillImage"), ("print", "StillImage"), ("drawing", "StillImage"), ("poster", "StillImage"),
    ("postcard", "StillImage"), ("slide", "StillImage"), ("negative", "StillImage"), ("picture", "StillImage"),
    ("map", "Image"), ("plan", "Image"), ("architectural", "Image"), ("graphic", "Image"), ("image", "Image"),
    ("moving", "MovingImage"), ("film", "MovingImage"), ("video", "MovingImage"),
    ("sound", "Sound"), ("audio", "Sound"), ("oral histor", "Sound"),
    ("object", "PhysicalObject"), ("artifact", "PhysicalObject"), ("artefact", "PhysicalObject"),
    ("dataset", "Dataset"), ("database", "Dataset"), ("software", "Software"),
)
"""Words in an item's genre (<genreform>, lower case) and the DCMI type they make it; the first
match wins, and an item matching none is Text (letters, records, manuscripts)."""

_NOT_CODE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Rows:
    header: list
    rows: list  # lists of cells, one per unit, in unit order
    notes: list = field(default_factory=list)  # texts for the preview
    names: set = field(default_factory=set)  # (kind, label): the kind each name of a subject stands for
    links: set = field(default_factory=set)  # (term, label): every value to match to an authority record


def fonds_identifier(aid, given=""):
    """The identifier of the new fonds: the one given, else one made of the archdesc's unitid or
    the eadid. Raises errors.FondsIdentifier."""
    identifier = (given or "").strip()
    if not identifier:
        for candidate in (aid.units[0].unitid, aid.eadid):
            made = _NOT_CODE.sub("-", candidate).strip("-._")[:100].rstrip("-._")
            if made and IDENTIFIER_PATTERN.match(made):
                return made
        raise errors.FondsIdentifier(errors.NO_FONDS_IDENTIFIER)
    try:
        validate_identifier(identifier)
    except ValidationError as error:
        raise errors.FondsIdentifier(error.messages[0]) from None
    return identifier


def make_rows(aid, *, fonds, publish=False):
    """The rows of a FindingAid (units.py) as a new fonds `fonds`. Raises an ExceptionGroup of
    errors (unknown levels, bad or repeated unitids, a fonds identifier too long or taken)."""
    count = len(aid.units) - 1
    if len(f"{fonds}-{count}") > 100 and count:
        raise errors.FondsIdentifier(errors.FONDS_IDENTIFIER_TOO_LONG % {"identifier": fonds, "count": count})
    identifiers = [fonds] + [f"{fonds}-{unit.number}" for unit in aid.units[1:]]
    faults, notes = [], []
    levels = _Levels()
    codes, seen = [], {}
    for unit in aid.units:
        try:
            level = levels.code(unit)
        except errors.EadError as fault:
            faults.append(fault)
            level = ""
        if not unit.level:
            notes.append(str(errors.NO_LEVEL % {"line": unit.line}))
        code = local_code(unit, faults, notes)
        if code:
            first = seen.setdefault((unit.parent, code), unit.line)
            if first != unit.line:
                faults.append(errors.DuplicateUnitid(
                    errors.DUPLICATE_UNITID % {"line": unit.line, "unitid": unit.unitid, "first": first}, line=unit.line,
                ))
        codes.append((level, code))
    faults += _taken(fonds, identifiers, codes[0][1] or fonds)
    if faults:
        raise ExceptionGroup("EAD description faults", faults)
    columns = _term_columns(aid)
    header = [fmt.IDENTIFIER, fmt.TYPE, fmt.STATUS, fmt.LEVEL, fmt.PARENT, fmt.LOCAL_CODE, fmt.ARRANGEMENT]
    header += [fmt.term_column(term, lang) for term, lang in columns]
    status = Item.PUBLISHED if publish else Item.DRAFT
    rows, names, links = [], set(), set()
    for unit, identifier, (level, code) in zip(aid.units, identifiers, codes):
        parent = identifiers[unit.parent] if unit.parent is not None else ""
        cells = [identifier, dcmi_type(unit, level), status, level, parent, code, unit.arrangement]
        values = _values(unit)
        for term, lang in columns:
            found = [value.text for value in values.get((term, lang), ())]
            cells.append(fmt.join_values(found))
        rows.append([fmt.neutralise(cell) for cell in cells])
        names.update((value.kind, value.text) for value in unit.values.get("subject", ()) if value.kind)
        links.update((term, value.text) for term, found in unit.values.items() for value in found if value.kind)
    if aid.not_imported:
        elements = ", ".join(
            str(errors.ONE_ELEMENT % {"tag": tag, "count": count}) for tag, count in sorted(aid.not_imported.items())
        )
        notes.append(str(errors.NOT_IMPORTED % {"elements": elements}))
    return Rows(header, rows, notes, names, links)


def local_code(unit, faults, notes):
    """The unit's local code made from its unitid ("" without one); a fault or a note if it
    had to be made or cannot be."""
    if not unit.unitid:
        return ""
    code = _NOT_CODE.sub("-", unit.unitid).lstrip("-._").rstrip("-")
    if not LOCAL_CODE_PATTERN.match(code):
        faults.append(errors.BadUnitid(errors.BAD_UNITID % {"line": unit.line, "unitid": unit.unitid}, line=unit.line))
        return ""
    if code != unit.unitid:
        notes.append(str(errors.UNITID_CHANGED % {"line": unit.line, "unitid": unit.unitid, "code": code}))
    return code


def dcmi_type(unit, level):
    if (level and level != "item") or unit.has_children:
        return "Collection"
    genres = " ".join(unit.texts("type")).lower()
    return next((dcmi for word, dcmi in GENRE_TYPES if word in genres), "Text")


def _values(unit):
    """The unit's values by (term, language), the unitid as dc:identifier among them."""
    found = {}
    if unit.unitid:
        found[("identifier", "")] = [Value(unit.unitid)]
    for term, values in unit.values.items():
        for value in values:
            found.setdefault((term, "" if value.kind else value.lang), []).append(value)
    return found


def _term_columns(aid):
    present = set()
    for unit in aid.units:
        present.update(_values(unit).keys())
    order = {term: index for index, term in enumerate(TERM_ORDER)}
    return sorted(present, key=lambda key: (order.get(key[0], len(order)), key[1]))


def _taken(fonds, identifiers, top_reference):
    """Faults for identifiers or the fonds's reference code that the catalogue already has."""
    taken = Item.objects.filter(Q(identifier=fonds) | StartsWithExactly(F("identifier"), f"{fonds}-"))
    wanted = set(identifiers)
    clash = next((identifier for identifier in taken.values_list("identifier", flat=True).iterator() if identifier in wanted), None)
    faults = []
    if clash is not None:
        faults.append(errors.FondsIdentifier(errors.IDENTIFIER_TAKEN % {"identifier": clash}))
    other = Item.objects.filter(reference=top_reference).values_list("identifier", flat=True).first()
    if other is not None:
        faults.append(errors.DuplicateUnitid(str(REFERENCE_TAKEN % {"reference": top_reference, "other": other})))
    return faults


class _Levels:
    """EAD's @level and @otherlevel → the code of a Level row, read once."""

    def __init__(self):
        self.rows = list(Level.objects.order_by("position", "code").values_list("code", "name", "ead_level"))
        self.known = ", ".join(code for code, _name, _ead in self.rows)

    def code(self, unit):
        if not unit.level:
            return ""
        if unit.level == "otherlevel":
            if not unit.otherlevel.strip():
                raise errors.UnknownLevel(errors.NO_OTHERLEVEL % {"line": unit.line, "known": self.known}, line=unit.line)
            wanted = fmt.fold(unit.otherlevel)
            found = next((code for code, name, _ead in self.rows if wanted in (fmt.fold(code), fmt.fold(name))), None)
        else:
            found = next((code for code, _name, ead in self.rows if ead == unit.level), None)
            found = found or next((code for code, _name, _ead in self.rows if code == unit.level), None)
        if found is None:
            name = unit.otherlevel or unit.level
            raise errors.UnknownLevel(errors.UNKNOWN_LEVEL % {"line": unit.line, "level": name, "known": self.known}, line=unit.line)
        return found
