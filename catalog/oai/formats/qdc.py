"""qdc: qualified Dublin Core, every DCMI Metadata Term as catalogued.

Nothing is dumbed down: dcterms:created, dcterms:spatial, dcterms:isPartOf stay what they are.
The fifteen elements are written in the dc: namespace and their refinements in dcterms:, as
DCMI's XML guidelines do, grouped under the element they refine and in the cataloguer's order.
The container is Arkiv's own element, typed with the `elementOrRefinementContainer` that DCMI's
dcterms.xsd provides for exactly this, so a record validates against the official DCMI schemas
(2008-02-11). Where a value is in a DCMI encoding scheme it says so with xsi:type: the DCMI type
(dcterms:DCMIType), the item's page (dcterms:URI), and dates written as W3CDTF.
"""
import re
from datetime import date

from lxml import etree

from catalog.dublincore import ELEMENT_OF, ELEMENTS, NS_DC, NS_DCTERMS, NS_XSI, TERMS

from ..markup import XSI_TYPE, set_lang, set_text
from . import MetadataFormat, register

NS_QDC = "urn:arkiv:qdc"
"""A name, not an address: the container's schema is served by each repository, at the URL
ListMetadataFormats gives."""

_ROOT = etree.QName(NS_QDC, "qualifieddc").text
# dcterms is declared on the container even when no refinement follows: xsi:type values name it.
NSMAP = {"qdc": NS_QDC, "dc": NS_DC, "dcterms": NS_DCTERMS, "xsi": NS_XSI}
_TAGS = {term: etree.QName(NS_DC if term in ELEMENTS else NS_DCTERMS, term).text for term in TERMS}
# Elements first, each followed by its refinements; then the terms that refine no element.
_ORDER = {
    term: position
    for position, term in enumerate(
        [term for element in ELEMENTS for term in TERMS if ELEMENT_OF[term] == element]
        + [term for term in TERMS if ELEMENT_OF[term] is None]
    )
}
_DATE_TERMS = {term for term in TERMS if ELEMENT_OF[term] == "date"}
# W3CDTF as the schema's union of xs:gYear, xs:gYearMonth and xs:date accepts it.
_W3CDTF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def write(parent, description):
    e_qdc = etree.SubElement(parent, _ROOT, nsmap=NSMAP)
    _value(e_qdc, "type", description.dcmi_type, scheme="DCMIType")
    _value(e_qdc, "identifier", description.url, scheme="URI")
    _value(e_qdc, "identifier", description.identifier)
    for term, value, lang in sorted(description.values, key=lambda value: _ORDER[value[0]]):
        if (term == "type" and value == description.dcmi_type) or (term == "identifier" and value == description.identifier):
            continue  # written above
        scheme = "W3CDTF" if term in _DATE_TERMS and not lang and _is_w3cdtf(value) else None
        _value(e_qdc, term, value, lang=lang, scheme=scheme)
    return e_qdc


def _value(parent, term, value, *, lang="", scheme=None):
    value = value.strip()
    if not value:
        return
    e_value = etree.SubElement(parent, _TAGS[term])
    set_text(e_value, value)
    if scheme:
        # The schema forbids xml:lang on a value in an encoding scheme: it is not language.
        e_value.set(XSI_TYPE, f"dcterms:{scheme}")
    else:
        set_lang(e_value, lang)


def _is_w3cdtf(value):
    match = _W3CDTF.match(value.strip())
    if not match:
        return False
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return False
    return True


register(MetadataFormat(
    prefix="qdc",
    namespace=NS_QDC,
    schema_file="qdc.xsd",
    nsmap=NSMAP,
    write=write,
))
