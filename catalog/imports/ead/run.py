"""The EAD import: read the file, turn its units into rows, and hand them to the CSV engine.

    outcome = import_ead(stream, store=PlanStore(path), fonds_identifier="KF", apply=False)

reader → header → plan → apply, as for a spreadsheet (catalog/imports/csv.py), with an EAD
reader in front: safe.read_tree parses the file defensively, versions.reader_for picks the
version's reader, which returns the normalised FindingAid, and rows.make_rows makes it rows of
the CSV import's shape, which the engine plans and applies (csv.import_rows) exactly as it does
a spreadsheet's rows: the dry run (apply=False) and the import are the same code path, the
plan goes to the PlanStore, names are matched to authority records by preferred label or
variant (names that match none become new records: an EAD import always creates them, since a
finding aid's names are the creators and subjects of its fonds), and applying writes every unit
in one transaction or none.

A file that cannot be read (too large, malformed, hostile, not EAD, faults in its description)
changes nothing: its faults go to the store as file errors, each saying where it is, and the
result says the file is unreadable. Dates the engine cannot read are kept as written (and the
unit flagged), as a finding aid's dates are prose more often than a spreadsheet's.

The store also keeps (under "ead") the line of each row's unit, so that a row error can be
shown where it is in the file (`EadImport.where`), and the notes of how the file was read.
"""
import dataclasses
from dataclasses import dataclass, field

from ..csv import UNREADABLE, ImportResult, Options, import_rows
from ..format import fold
from ..lookup import Authorities, PendingAuthority
from . import errors, rows, safe, versions


@dataclass
class EadImport:
    result: ImportResult
    fonds: str = ""
    version: str = ""
    lines: list = field(default_factory=list)  # line in the file of the unit of each row, from row 2
    notes: list = field(default_factory=list)
    matched: list = field(default_factory=list)  # how each name was matched to an existing record
    new_records: list = field(default_factory=list)  # the authority records the import makes

    def where(self, row):
        """The line in the EAD file of the unit a CSV row stands for (None for the header)."""
        index = (row or 0) - 2
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def as_json(self):
        return {
            "fonds": self.fonds, "version": self.version, "lines": self.lines, "notes": self.notes,
            "matched": self.matched, "new_records": self.new_records,
        }


def import_ead(stream, *, store, fonds_identifier="", options=None, apply=False, publish=False,
               expected_digest=None, progress=None):
    """Plan (and with apply=True, apply) the import of a binary stream holding an EAD file as a
    new fonds; see the module docstring. `progress(fraction)` is called as the units are planned,
    with the fraction done (0 to 1). Returns an EadImport."""
    options = dataclasses.replace(
        options or Options(), create_authorities=True, accept_unreadable_dates=True, history_source="ead",  # history's ChangeSet.EAD_IMPORT
    )
    faults = []
    try:
        tree = safe.read_tree(stream)
        aid = versions.reader_for(tree).read()
        del tree  # the units hold all that is needed: free the document before planning
        fonds = rows.fonds_identifier(aid, fonds_identifier)
        made = rows.make_rows(aid, fonds=fonds, publish=publish)
    except* errors.EadError as found:  # faults of the file; anything else is a bug, and raised
        faults = errors.faults(found)
    if faults:
        return _unreadable(store, faults)
    count = len(made.rows)

    def open_rows():
        yield 1, made.header
        yield from enumerate(made.rows, start=2)

    load = _authorities(made.names)
    matched, new_records = _names(made.links, load)
    result = import_rows(
        open_rows, store=store, options=options, apply=apply, expected_digest=expected_digest,
        progress=progress and (lambda row: progress(min(1, (row - 1) / max(count, 1)))),
        authorities=load,
    )
    outcome = EadImport(result, fonds, aid.version, [unit.line for unit in aid.units], made.notes, matched, new_records)
    store.set("ead", outcome.as_json())
    return outcome


def _authorities(names):
    """A loader of the authority index that knows what kind of record each name of a subject
    stands for. dc:subject takes concepts, agents and places; a name none of them has yet would
    become a concept, but EAD says a <persname> is a person and a <geogname> a place. So each
    such name is declared as a record to create of its kind; the engine creates it only if a
    row uses it, that is, if no existing record matched the name first."""

    def load():
        found = Authorities.load()
        for kind, label in sorted(names):
            found.pending.setdefault((kind, fold(label)), PendingAuthority(kind, label))
        return found

    return load


def _names(links, load):
    """How the finding aid's names stand against the authority records, as the engine matches
    them (lookup.Authorities.resolve): the notes of the names matched to a record (one for each
    name and record), and of the records to be made (one for each). A name the engine refuses
    (ambiguous) is left to be reported as the error of its rows."""
    authorities = load()
    matched, made = {}, {}
    for term, label in sorted(links):
        try:
            match = authorities.resolve(label, term, create=True)
        except ValueError:
            continue
        if match.pending is not None:
            made.setdefault(id(match.pending), match.note)
        else:
            matched.setdefault((match.authority_id, label), match.note)
    return list(matched.values()), list(made.values())


def _unreadable(store, faults):
    store.reset()
    for fault in faults:
        store.add_file_error(None, fault.message)
    result = ImportResult(
        counts=store.counts(), errors=store.error_count(), digest="", applied=False, readable=False,
        message=str(UNREADABLE),
    )
    store.set("result", result.as_json())
    return EadImport(result)
