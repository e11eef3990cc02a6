"""What the two version readers share: walking the units and applying a mapping table.

A reader is made for one parsed file (safe.read_tree) and one namespace (EAD 2002's, EAD3's, or
none, as AtoM writes EAD 2002). `read()` returns the FindingAid (units.py): the archdesc, then
every component (c, c01 … c12) in document order, each with its parent's number. How a date,
an extent, a name, a language or a unitid is written differs between the versions, so each
version's class (ead2002.py, ead3.py) reads those itself; everything else is the table's.
"""
from collections import Counter

from django.core.exceptions import ValidationError

from ...models.items import MAX_DEPTH
from ...validators import normalise_language, validate_language
from . import errors, mapping
from .text import collapse_text, local_name
from .units import FindingAid, Unit, Value

COMPONENTS = frozenset({"c", *(f"c{n:02d}" for n in range(1, 13))})


class Reader:
    """Reads one file. A version's class gives `version`, `rules` (its mapping table) and the
    readers of what the versions write differently: description_language(), eadid(),
    name(element), dates(element) and extents(element) (pairs of term and text)."""

    version = ""
    rules = ()

    def __init__(self, tree, namespace):
        self.root = tree.getroot()
        self.namespace = namespace
        self.steps = self.compile(self.rules)
        self.language = ""
        self.not_imported = Counter()

    # --- names -------------------------------------------------------------------------------

    def path(self, path):
        """An ElementPath in the file's namespace: did/unittitle → {ns}did/{ns}unittitle."""
        if not self.namespace:
            return path
        return "/".join(f"{{{self.namespace}}}{step}" if step not in ("", ".") else step for step in path.split("/"))

    def compile(self, rules):
        """The table as a tree of steps, so that a unit's elements are each visited once: a
        path's plain steps (did/origination/persname) are looked up child by child, and what
        follows a // (controlaccess//subject) is found among the descendants of the step before
        it, in document order."""
        top = _Step()
        for rule in rules:
            plain, descendants, below = rule.path.partition("//")
            step = top
            for name in plain.split("/"):
                step = step.children.setdefault(self.path(name), _Step())
            if descendants:
                step.below.setdefault(self.path(below), []).append(rule)
            else:
                step.here.append(rule)
        return top

    def find(self, element, path):
        return element.find(self.path(path))

    def findall(self, element, path):
        return element.findall(self.path(path))

    # --- the walk ----------------------------------------------------------------------------

    def read(self):
        """The FindingAid; raises errors.NoArchdesc, or an ExceptionGroup of errors.TooDeep."""
        archdesc = self.find(self.root, "archdesc")
        if archdesc is None:
            raise errors.NoArchdesc(errors.NO_ARCHDESC)
        self.language = self.description_language() or ""
        units, too_deep, written = [], [], {}  # written: each unit's unitid as the file has it
        pending = [(archdesc, None, 0)]  # a stack: children pushed in reverse come off in order
        while pending:
            element, parent, depth = pending.pop()
            unit = self.read_unit(element, len(units), parent, depth)
            written[unit.number] = unit.unitid
            above = written.get(parent, "")
            if above and unit.unitid.startswith(above + "/"):
                # A full reference code (Arkiv's export, AtoM's inherited codes): the unit's own
                # part is what follows its parent's.
                unit.unitid = unit.unitid[len(above) + 1:]
            units.append(unit)
            if depth >= MAX_DEPTH:
                too_deep.append(errors.TooDeep(
                    errors.TOO_DEEP % {"line": unit.line, "depth": depth, "limit": MAX_DEPTH}, line=unit.line,
                ))
                continue  # its children are deeper still: one message for the branch
            children = self.components(element)
            unit.has_children = bool(children)
            pending.extend((child, unit.number, depth + 1) for child in reversed(children))
        if too_deep:
            raise ExceptionGroup("EAD units too deep", too_deep)
        return FindingAid(self.version, self.language, self.eadid(), units, self.not_imported)

    def components(self, element):
        """The components directly below a unit: in <dsc> for the archdesc, as children for a
        component (EAD allows both in both)."""
        found = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = local_name(child)
            if name in COMPONENTS:
                found.append(child)
            elif name == "dsc":
                found.extend(self.components(child))
        return found

    def read_unit(self, element, number, parent, depth):
        level = element.get("level", "")
        unit = Unit(
            number=number, parent=parent, depth=depth, line=element.sourceline, tag=local_name(element),
            level=level, otherlevel=element.get("otherlevel", "") if level == "otherlevel" else "",
            unitid=self.unitid(element),
        )
        self.walk(unit, element, self.steps, count=True)
        return unit

    def walk(self, unit, element, step, count):
        """Apply the rules below `step` to the children of `element`; True if any read a value.
        With `count`, the children no rule read are counted as not imported (for the unit's own
        parts and its did's)."""
        found = False
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            entry = step.children.get(tag)
            read = False
            if entry is not None:
                for rule in entry.here:
                    read = self.apply(unit, rule, child) or read
                if entry.below:
                    for match in child.iterdescendants(*entry.below):
                        for rule in entry.below[match.tag]:
                            read = self.apply(unit, rule, match) or read
                if entry.children:
                    read = self.walk(unit, child, entry, count=count and step is self.steps) or read
            if count and not read:
                name = tag.rpartition("}")[2]
                if name not in mapping.QUIET and name not in COMPONENTS:
                    self.not_imported[name] += 1
            found = found or read
        return found

    # --- values ------------------------------------------------------------------------------

    def apply(self, unit, rule, element):
        """Give the values of `element` to the unit as `rule` says; True (the element is read)."""
        read = rule.read
        if read in mapping.NAMES:
            name = self.name(element)
            target = "creator" if self.is_creator(element) else rule.target
            unit.add(target, Value(name, kind=read))
        elif read == mapping.DATE:
            for date in self.dates(element):
                unit.add(rule.target, Value(date))
        elif read == mapping.EXTENT:
            for term, text in self.extents(element):
                unit.add(term, Value(text, self.lang_of(element)))
        elif read == mapping.LANGUAGE:
            unit.add(rule.target, Value(self.language_of_material(element)))
        elif read == mapping.NOTE and self.is_administrative(element):
            pass  # AtoM's record-keeping, read as nothing on purpose
        else:
            text = collapse_text(element) if read == mapping.NOTE else collapse_text(element, skip=())
            if rule.target == mapping.ARRANGEMENT:
                unit.arrangement = "\n\n".join(filter(None, (unit.arrangement, text)))
            else:
                unit.add(rule.target, Value(text, self.lang_of(element)))
        return True

    def lang_of(self, element):
        """The language of an element's text: its own, else the description's."""
        return language_tag(element.get("lang", "")) or self.language

    def is_creator(self, element):
        return (element.get("role") or element.get("relator") or "").strip().casefold() in mapping.CREATOR_ROLES

    def is_administrative(self, element):
        kind = element.get("type") or element.get("localtype") or ""
        return local_name(element) == "odd" and kind.replace(" ", "").casefold() in mapping.ADMINISTRATIVE_ODD

    def language_of_material(self, element):
        code = element.get("langcode", "").strip()
        return language_tag(code) or code or collapse_text(element)

    def unitid(self, element):
        """The unit's code: the first <unitid> that is a code (not an address in the exporting
        system), without the country and repository codes written before it (AtoM: "CA ON00362
        U257"; Arkiv: "NO ARKIV A/3" with repositorycode="NO-ARKIV")."""
        for unitid in self.findall(element, "did/unitid"):
            kind = (unitid.get("type") or unitid.get("localtype") or "").casefold()
            text = " ".join(collapse_text(unitid).split())
            if not text or kind in mapping.IGNORED_UNITIDS or text.startswith("/") or "://" in text:
                continue
            for prefix in _code_prefixes(unitid.get("countrycode", ""), unitid.get("repositorycode", "")):
                if text.startswith(prefix):
                    return text[len(prefix):].strip()
            return text
        return ""


def _code_prefixes(country, repository):
    """What may stand before a unit's own code in its unitid: the country and repository codes,
    the repository's with or without the country's prefix (NO-ARKIV, ARKIV)."""
    country, repository = country.strip(), repository.strip()
    if not (country or repository):
        return ()
    short = repository.removeprefix(f"{country}-") if country else repository
    found = [" ".join(filter(None, (country, code))) + " " for code in dict.fromkeys((repository, short)) if code]
    return found or [f"{country} "]


class _Step:
    """One step of the mapping's paths: the rules that end here, those that apply to elements
    anywhere below (by qualified name), and the steps that follow (by qualified name)."""

    __slots__ = ("here", "below", "children")

    def __init__(self):
        self.here, self.below, self.children = [], {}, {}


def language_tag(code):
    """A BCP 47 tag for an ISO 639 code as EAD writes it (eng, fre, nob), or "" if it is none."""
    code = (code or "").strip()
    try:
        validate_language(code)
    except ValidationError:
        return ""
    return normalise_language(code)


def edtf(normal):
    """An EDTF date from EAD's normalised form: 19440101 → 1944-01-01, a range whose ends are
    the same day → that day, an open end → .."""
    parts = [_iso(part) for part in normal.strip().split("/")]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return "/".join(parts)


def _iso(part):
    part = part.strip()
    if part.isdigit() and len(part) in (6, 8):
        return "-".join(filter(None, (part[:4], part[4:6], part[6:8])))
    return part or ".."


def element_text(element):
    return "" if element is None else " ".join(collapse_text(element).split())

