"""oai_dc: simple Dublin Core, the format every OAI-PMH repository must offer.

Every statement is dumbed down to the fifteen DCMES elements (dcterms:created becomes dc:date,
dcterms:spatial dc:coverage, dcterms:isPartOf dc:relation; see dublincore.ELEMENT_OF), written
in the order of the specification. Terms that refine no element (dcterms:provenance, ...) have
no place in simple DC and are left out. A value keeps its language as xml:lang; an authority
value reads as its preferred label. The item's DCMI type, its public page and its accession
identifier are always there, for aggregators that link back and de-duplicate.

A unit's place in the arrangement: its full reference code ("NO ARKIV KF/A/3") is a
dc:identifier, and the unit it is arranged under two dc:relation values, its OAI identifier and
its page (the dumb-down of qdc's dcterms:isPartOf). The level of description is in qdc only: in
simple DC, aggregators read dc:type as the DCMI type, and "Series" beside "Text" would pass
there for a type of resource.

A relation statement that names another published item (catalog/relations.py) adds that item's
page, its URI, as one more dc:relation (dc:source for a source) after the text.

The item's rights statement or licence (catalog/rights.py) is the first dc:rights, as its bare
URI, which is how DPLA-style hubs and rightsstatements.org ask for it; the free-text rights notes
follow as written.
"""
from lxml import etree

from catalog.dublincore import ELEMENT_OF, ELEMENTS, NS_DC, NS_OAI_DC

from ..markup import set_lang, set_text
from . import MetadataFormat, register

_ROOT = etree.QName(NS_OAI_DC, "dc").text
NSMAP = {"oai_dc": NS_OAI_DC, "dc": NS_DC}
_TAGS = {element: etree.QName(NS_DC, element).text for element in ELEMENTS}


# Where a term's values go: elements in the order of the specification, and within one element
# its own values before those of its refinements (a dc:title before a dcterms:alternative, since
# aggregators take the first title as the title). The sort is stable, so the cataloguer's order
# holds among equals.
_PLACE = {
    term: (ELEMENTS.index(element), term != element)
    for term, element in ELEMENT_OF.items()
    if element is not None
}


def write(parent, description):
    e_dc = etree.SubElement(parent, _ROOT, nsmap=NSMAP)
    values = [
        ("type", description.dcmi_type, ""),
        ("identifier", description.url, ""),
        ("identifier", description.identifier, ""),
        ("identifier", description.reference_code, ""),
        ("relation", description.parent_oai_identifier, ""),
        ("relation", description.parent_url, ""),
        ("rights", description.rights_uri, ""),
        *((term, value, lang) for term, value, lang in description.values if term in _PLACE),
        # A relation to another published item: its page, the other record's URI, after the text.
        *((term, url, "") for term, _oai_identifier, url in description.related),
    ]
    values.sort(key=lambda value: _PLACE[value[0]])
    seen = set()
    for term, value, lang in values:
        element, value = ELEMENT_OF[term], value.strip()
        if not value or (element, value, lang) in seen:
            continue
        seen.add((element, value, lang))
        e_value = etree.SubElement(e_dc, _TAGS[element])
        set_text(e_value, value)
        set_lang(e_value, lang)
    return e_dc


register(MetadataFormat(
    prefix="oai_dc",
    namespace=NS_OAI_DC,
    schema="http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    nsmap=NSMAP,
    write=write,
))
