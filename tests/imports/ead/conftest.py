"""EAD import tests: the real files in files/ (see files/README.md), and a runner of the import."""
import io
from pathlib import Path

import pytest

from catalog.imports.csv import Options, PlanStore
from catalog.imports.ead import import_ead, safe, versions

FILES = Path(__file__).parent / "files"
ATOM = FILES / "atom-2.4-wlu-fonds.ead.xml"
ATOM_FIXTURE = FILES / "atom-test-fixture.ead.xml"
ICA_ATOM = FILES / "icaatom-qubit-1.2-hda-collection.ead.xml"
ASPACE = FILES / "archivesspace-oai-resource.ead.xml"
EAD3_SAMPLE = FILES / "saa-ead3-sample-C1571.ead3.xml"


def read(source):
    """The FindingAid of a path or of bytes."""
    stream = source.open("rb") if isinstance(source, Path) else io.BytesIO(source)
    with stream:
        return versions.reader_for(safe.read_tree(stream)).read()


@pytest.fixture
def run_ead(tmp_path):
    """run_ead(path or bytes, fonds="", apply=False, publish=False, **options) -> (EadImport, store)."""
    stores = []

    def run(source, *, fonds="", apply=False, publish=False, expected_digest=None, **options):
        data = source.read_bytes() if isinstance(source, Path) else source
        store = PlanStore(tmp_path / f"plan-{len(stores)}.sqlite3")
        stores.append(store)
        outcome = import_ead(
            io.BytesIO(data), store=store, fonds_identifier=fonds, options=Options(**options), apply=apply,
            publish=publish, expected_digest=expected_digest,
        )
        return outcome, store

    yield run
    for store in stores:
        store.close()


def ead2002(body, header='<eadheader><eadid>T</eadid><filedesc><titlestmt><titleproper>T</titleproper></titlestmt></filedesc></eadheader>'):
    """A small EAD 2002 document (in its namespace) around an <archdesc>…</archdesc>."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ead xmlns="urn:isbn:1-931666-22-9">{header}{body}</ead>'
    ).encode()
