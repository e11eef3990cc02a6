"""Which EAD a file is: by the root's namespace, or for AtoM's namespace-less files by its parts."""
import pytest

from catalog.imports.ead import errors
from catalog.imports.ead.ead2002 import Ead2002
from catalog.imports.ead.ead3 import Ead3
from catalog.imports.ead.versions import EAD2002_NAMESPACE, EAD3_NAMESPACE, reader_for

from .conftest import ASPACE, ATOM, ATOM_FIXTURE, EAD3_SAMPLE
from .test_safe import parse


@pytest.mark.parametrize("path, reader, namespace", [
    (ASPACE, Ead2002, EAD2002_NAMESPACE),  # ArchivesSpace: EAD 2002 in its namespace
    (ATOM, Ead2002, ""),  # AtoM 2.4: EAD 2002 without a namespace, with an <eadheader>
    (ATOM_FIXTURE, Ead2002, ""),  # AtoM's test fixture: only an <archdesc>
    (EAD3_SAMPLE, Ead3, EAD3_NAMESPACE),
])
def test_the_version_of_real_files(path, reader, namespace):
    found = reader_for(parse(path.read_bytes()))
    assert type(found) is reader
    assert found.namespace == namespace


def test_a_namespace_less_file_with_control_is_ead3():
    found = reader_for(parse(b"<ead><control/><archdesc level='fonds'><did/></archdesc></ead>"))
    assert type(found) is Ead3


def test_an_unknown_namespace_names_the_expected_ones():
    with pytest.raises(errors.NotEad) as refused:
        reader_for(parse(b'<ead xmlns="http://example.org/ead"><archdesc/></ead>'))
    assert refused.value.message == errors.UNKNOWN_NAMESPACE % {
        "namespace": "http://example.org/ead", "ead2002": "urn:isbn:1-931666-22-9",
        "ead3": "http://ead3.archivists.org/schema/",
    }


def test_another_root_is_not_ead():
    with pytest.raises(errors.NotEad) as refused:
        reader_for(parse(b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"/>'))
    assert refused.value.message == errors.NOT_EAD % {"tag": "OAI-PMH"}


def test_a_file_without_archdesc_is_refused():
    with pytest.raises(errors.NoArchdesc):
        reader_for(parse(b'<ead xmlns="urn:isbn:1-931666-22-9"><eadheader/></ead>')).read()
