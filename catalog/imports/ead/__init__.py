"""EAD import: a finding aid in EAD 2002 or EAD3 (as AtoM and ArchivesSpace export them) into
a new fonds, through the same plan / preview / atomic apply as the CSV import.

    safe.py      parse the file defensively (no entities, no DTD, no network, a size cap)
    versions.py  which EAD it is (the root's namespace), and its reader
    ead2002.py   EAD 2002 (with or without its namespace)    } one reader per version, both
    ead3.py      EAD3                                         } returning units.FindingAid
    base.py      what the two readers share: the walk through the units, the mapping applied
    mapping.py   the mapping as data: each EAD path and the Dublin Core term or field it fills
    units.py     the normalised shape: units in document order, values by DC term
    rows.py      units → rows of the CSV import's shape (identifiers, levels, local codes)
    run.py       import_ead(): all of it, then the CSV engine (catalog/imports/csv.py)
    errors.py    one class per fault, messages that say the fix, gathered in an ExceptionGroup
"""
from .errors import EadError, faults
from .run import EadImport, import_ead

__all__ = ["EadError", "EadImport", "faults", "import_ead"]
