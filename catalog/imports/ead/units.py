"""The normalised shape every EAD reader returns, whatever the version of the file.

A FindingAid is its units in document order, the archdesc first (number 0). Each Unit says
where it sits (its parent's number, its depth, its line in the file), what EAD says of its level
and code, and its description as values of Dublin Core terms (the statements it will have in
Arkiv, as catalog.dublincore.ISADG maps ISAD(G) to DC), plus the ISAD(G) fields that DC lacks
(`arrangement`). A name carries the kind of authority record it stands for (agent, place or
concept), which EAD says by its element (persname, geogname, subject).

The shape is also how two finding aids are compared: `FindingAid.outline()` keeps what a round
trip through Arkiv must not lose (titles, dates, levels and the hierarchy).
"""
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple


class Value(NamedTuple):
    text: str
    lang: str = ""  # BCP 47, of free text; names, dates and codes have none
    kind: str = ""  # for names: the kind of authority record (catalog.models.Authority.KINDS)


@dataclass
class Unit:
    number: int  # 0 for the archdesc, then each component in document order
    parent: int | None  # number of the enclosing unit
    depth: int  # 0 for the archdesc
    line: int  # where its element starts in the file
    tag: str  # archdesc, c, c01 … c12
    level: str = ""  # @level as written
    otherlevel: str = ""  # @otherlevel, when level is "otherlevel"
    unitid: str = ""  # the unit's own code as written (no country or repository prefix)
    has_children: bool = False
    arrangement: str = ""
    values: dict = field(default_factory=dict)  # DC term -> [Value], in document order, no repeats

    def add(self, term, value):
        if not value.text:
            return
        found = self.values.setdefault(term, [])
        if value not in found:
            found.append(value)

    def texts(self, term):
        return [value.text for value in self.values.get(term, ())]

    @property
    def title(self):
        return next(iter(self.texts("title")), "")


class Outline(NamedTuple):
    """What a unit must keep through a round trip: compare two lists of these."""

    level: str
    parent: int | None
    titles: tuple
    dates: tuple


@dataclass
class FindingAid:
    version: str  # "2002" or "ead3"
    language: str  # of the description (BCP 47), "" if the file does not say
    eadid: str
    units: list
    not_imported: Counter = field(default_factory=Counter)  # element name -> how often

    def outline(self):
        return [
            Outline(unit.otherlevel or unit.level, unit.parent, tuple(unit.texts("title")), tuple(unit.texts("created")))
            for unit in self.units
        ]
