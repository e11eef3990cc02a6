"""EAD3, from SAA's own sample finding aid, read into the same shape as EAD 2002."""
from catalog.imports.ead import errors
from catalog.imports.ead.units import Value

import pytest

from .conftest import EAD3_SAMPLE, read

EAD3 = '<ead xmlns="http://ead3.archivists.org/schema/"><control><recordid>R</recordid></control>{}</ead>'


def test_the_sample_finding_aid():
    aid = read(EAD3_SAMPLE)
    assert (aid.version, aid.language, aid.eadid) == ("ead3", "en", "C1571")
    top = aid.units[0]
    assert (top.level, top.unitid, top.line) == ("collection", "C1571", 124)
    assert top.texts("title") == ["Clarence Brown Papers"]
    assert top.texts("created") == ["1907/2005"]  # <unitdate normal> and <unitdatestructured> agree: once
    assert top.texts("extent")[:3] == ["2 linear feet", "3 boxes", "12x40"]
    assert values(top, "creator") == [Value("Brown, Clarence", kind="agent")]  # <part>s, the empty one left out
    assert top.texts("language") == ["en", "ru"]
    assert Value("Mandelʹshtam, Osip, 1891-1938", kind="agent") in top.values["subject"]
    assert Value("Soviet Union--Description and travel.", kind="place") in top.values["spatial"]
    assert top.texts("type") == ["Correspondence -- 20th century.", "Manuscripts."]
    depths = {unit.depth for unit in aid.units}
    assert depths == {0, 1, 2, 3}
    correspondence = aid.units[1]
    assert (correspondence.level, correspondence.texts("created")) == ("file", ["1945-01-01/2005-12-31"])
    davenport = aid.units[2]
    assert (davenport.parent, davenport.texts("created")) == (1, ["1945/2005"])  # from <daterange>
    shelfmark = next(unit for unit in aid.units[1:] if unit.unitid)
    assert shelfmark.unitid == "2.4.5.34 (M)"
    assert aid.not_imported["container"] >= 8


def values(unit, term):
    return unit.values.get(term, [])


def test_structured_single_dates_and_open_ranges():
    (unit,) = read(EAD3.format(
        '<archdesc level="fonds"><did><unittitle lang="nob">Brev</unittitle>'
        '<unitdatestructured><datesingle standarddate="1945-09-24">24 Sept 1945</datesingle></unitdatestructured>'
        '<unitdatestructured><daterange><fromdate standarddate="1944">1944</fromdate></daterange></unitdatestructured>'
        '</did></archdesc>'
    ).encode()).units
    assert unit.texts("created") == ["1945-09-24", "1944/.."]
    assert unit.values["title"] == [Value("Brev", "nb")]  # the element's own @lang, as a BCP 47 tag


def test_too_deep_a_tree_is_refused_once_per_branch():
    body = "".join(f'<c level="file"><did><unittitle>{n}</unittitle></did>' for n in range(13)) + "</c>" * 13
    with pytest.raises(ExceptionGroup) as refused:
        read(EAD3.format(f'<archdesc level="fonds"><did/><dsc>{body}</dsc></archdesc>').encode())
    (fault,) = errors.faults(refused.value)
    assert isinstance(fault, errors.TooDeep)
    assert fault.message == errors.TOO_DEEP % {"line": 1, "depth": 12, "limit": 12}
