"""The EAD import: read the file, turn its units into rows, and hand them to the CSV engine.

    outcome = import_ead(stream, store=PlanStore(path), fonds_identifier="KF", apply=False)

reader → header → plan → apply, as for a spreadsheet (catalog/imports/csv.py), with an EAD
reader in front: safe.read_tree parses the file defensively, versions.reader_for picks the
version's reader, which returns the normalised FindingAid, and rows.make_rows makes it rows of
the CSV import's shape. Those rows are written as CSV to a temporary file and imported by
import_csv, so the dry run (apply=False) and the import are the same code path as for CSV:
the plan goes to the PlanStore, names are matched to authority records by preferred label or
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
import csv
import dataclasses
import io
import tempfile
from dataclasses import dataclass, field

from ..csv import UNREADABLE, ImportResult, Options, import_csv
from ..format import fold
from ..lookup import Authorities, PendingAuthority
from . import errors, rows, safe, versions

SPOOL_BYTES = 16 * 1024 * 1024
"""The rows stay in memory up to this size, then go to a temporary file."""


@dataclass
class EadImport:
    result: ImportResult
    fonds: str = ""
    version: str = ""
    lines: list = field(default_factory=list)  # line in the file of the unit of each row, from row 2
    notes: list = field(default_factory=list)

    def where(self, row):
        """The line in the EAD file of the unit a CSV row stands for (None for the header)."""
        index = (row or 0) - 2
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def as_json(self):
        return {"fonds": self.fonds, "version": self.version, "lines": self.lines, "notes": self.notes}


def import_ead(stream, *, store, fonds_identifier="", options=None, apply=False, publish=False,
               expected_digest=None, progress=None):
    """Plan (and with apply=True, apply) the import of a binary stream holding an EAD file as a
    new fonds; see the module docstring. Returns an EadImport."""
    options = dataclasses.replace(options or Options(), create_authorities=True, accept_unreadable_dates=True)
    try:
        tree = safe.read_tree(stream)
        aid = versions.reader_for(tree).read()
        del tree  # the units hold all that is needed: free the document before planning
        fonds = rows.fonds_identifier(aid, fonds_identifier)
        made = rows.make_rows(aid, fonds=fonds, publish=publish)
    except (errors.EadError, ExceptionGroup) as error:
        return _unreadable(store, errors.faults(error))
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        size = _write_csv(made, spool)
        spool.seek(0)
        result = import_csv(
            spool, store=store, options=options, apply=apply, expected_digest=expected_digest,
            progress=progress and (lambda done: progress(done / max(size, 1))),
            authorities=_authorities(made.names),
        )
    outcome = EadImport(result, fonds, aid.version, [unit.line for unit in aid.units], made.notes)
    store.set("ead", outcome.as_json())
    return outcome


def _write_csv(made, target):
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(made.header)
    writer.writerows(made.rows)
    text.flush()
    text.detach()  # the spool stays open for the engine
    return target.tell()


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
