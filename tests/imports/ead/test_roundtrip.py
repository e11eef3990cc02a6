"""Import → EAD3 export → read again: no title, date, level or hierarchy link lost.

The export is the issue's documented entry point, `manage.py export_ead UNIT --out FILE
--format ead3` (helper H3's catalog/exports/ead). Both sides are compared in the reader's
normalised shape (units.FindingAid.outline): each unit's level, its parent, its titles, its dates.
"""
import pytest
from django.core.management import call_command

from catalog.imports.ead import rows

from .conftest import ASPACE, ATOM, ICA_ATOM, read

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source", [ATOM, ASPACE, ICA_ATOM], ids=["atom", "archivesspace", "ica-atom"])
def test_a_finding_aid_survives_import_and_export(run_ead, tmp_path, source):
    # A finding aid holds only what the public may read: imported published, to be exported whole.
    outcome, _ = run_ead(source, fonds="RT", apply=True, publish=True)
    assert outcome.result.applied, outcome.result.message
    exported = tmp_path / "rt.xml"
    call_command("export_ead", "RT", out=str(exported), format="ead3")
    again = read(exported)
    assert again.version == "ead3"
    assert again.outline() == read(source).outline()
    # Each unit's own code comes back from the full reference code the export writes (NO ARKIV A/B).
    # A unit without one is known by its identifier there: RT, RT-1 …
    codes = [rows.local_code(unit, [], []) for unit in read(source).units]
    identifiers = ["RT"] + [f"RT-{number}" for number in range(1, len(codes))]
    assert [unit.unitid for unit in again.units] == [code or identifier for code, identifier in zip(codes, identifiers)]
    # The system of arrangement (ISAD(G) 3.3.4) is carried too, unit by unit.
    assert [unit.arrangement for unit in again.units] == [unit.arrangement for unit in read(source).units]
