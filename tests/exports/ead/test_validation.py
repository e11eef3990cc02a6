"""The vendored schemas load offline and do reject what they should: a test that validates
against them can fail."""
from pathlib import Path

import pytest
from lxml import etree

from catalog.exports.ead import validation

SHARED = Path("/work/shared/schemas/ead")


def test_the_schemas_compile_without_the_network():
    # apeEAD.xsd imports xlink from loc.gov; the resolver gives the local copy, and the parser
    # has the network off, so this would fail rather than fetch.
    assert validation.schema("apeEAD.xsd") is not None
    assert validation.schema("ead3.xsd") is not None


def test_an_ead3_without_its_control_section_is_invalid():
    document = b'<ead xmlns="http://ead3.archivists.org/schema/"><archdesc level="fonds"><did><unittitle>x</unittitle></did></archdesc></ead>'
    assert any("archdesc" in error for error in validation.errors(document, "ead3.xsd"))


def test_apeead_refuses_a_top_that_is_not_a_fonds():
    document = (
        b'<ead xmlns="urn:isbn:1-931666-22-9"><eadheader><eadid countrycode="NO" mainagencycode="NO-ARKIV" '
        b'identifier="NO-ARKIV_x">x</eadid><filedesc><titlestmt><titleproper>x</titleproper></titlestmt>'
        b'</filedesc></eadheader><archdesc level="series"><did><unittitle>x</unittitle></did></archdesc></ead>'
    )
    errors = validation.errors(document, "apeEAD.xsd")
    assert len(errors) == 1 and "level" in errors[0]
    assert validation.errors(document.replace(b'level="series"', b'level="fonds"'), "apeEAD.xsd") == []


@pytest.mark.skipif(not SHARED.exists(), reason="the shared schema kit is not here")
@pytest.mark.parametrize("vendored, shared", [
    ("ead3.xsd", "ead3/ead3.xsd"), ("apeEAD.xsd", "apeead/apeEAD.xsd"), ("xlink.xsd", "xlink.xsd"),
])
def test_the_vendored_schemas_are_the_kits_unchanged(vendored, shared):
    assert (validation.SCHEMAS / vendored).read_bytes() == (SHARED / shared).read_bytes()


@pytest.mark.skipif(not SHARED.exists(), reason="the shared schema kit is not here")
def test_the_portals_own_sample_is_valid():
    sample = etree.parse(str(SHARED / "apeead/samples/IMAGES_LANGUAGES.ead.xml"))
    assert validation.errors(sample, "apeEAD.xsd") == []
