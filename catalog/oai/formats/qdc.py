"""qdc: qualified Dublin Core, every DCMI Metadata Term as catalogued.

Nothing is dumbed down: dcterms:created, dcterms:spatial, dcterms:isPartOf stay what they are.
The fifteen elements are written in the dc: namespace and their refinements in dcterms:, as
DCMI's XML guidelines do, grouped under the element they refine and in the cataloguer's order.
The container is Arkiv's own element, typed with the `elementOrRefinementContainer` that DCMI's
dcterms.xsd provides for exactly this, so a record validates against the official DCMI schemas
(2008-02-11). Where a value is in a DCMI encoding scheme it says so with xsi:type: the DCMI type
(dcterms:DCMIType), the item's page (dcterms:URI), and dates written as W3CDTF. A value linked to
an authority record is followed, under the same term, by the record's URIs in external authority
files (Wikidata, VIAF, GeoNames ...), typed dcterms:URI: harvesters that reconcile names read
them, and the label stays for those that do not.

A unit's place in the arrangement (ISAD(G) 3.1.1 and 3.1.4, dublincore.ISADG):
- its level of description as a second dc:type, the level's name in English with
  xml:lang="en" ("Series"), beside the DCMI type, which is untagged and typed
  dcterms:DCMIType. DCMI Terms has no property for an archival level; dcterms:type (a
  refinement of dc:type) would say no more, and DCMI's schemas admit no encoding scheme of our
  own, so the language tag is what tells a word from the DCMI term. A unit whose level was
  never set is at the level of an item (Level.default);
- the unit it is arranged under, as two dcterms:isPartOf typed dcterms:URI: the parent's OAI
  identifier (oai:<repository>:<identifier>, what a harvester holds it by) and its page;
- its full reference code ("NO ARKIV KF/A/3") as a dc:identifier, after the page and the
  accession identifier.

A relation statement that names another published item (catalog/relations.py) is written as the
cataloguer wrote it, then twice more under the same term, typed dcterms:URI: the other record's
OAI identifier and its page.

The item's rights (catalog/rights.py) as its URI, typed dcterms:URI, first among the rights
values. A Creative Commons licence, CC0 or the Public Domain Mark is a grant of use, so it is a
dcterms:license (DCMI: "a legal document giving official permission to do something with the
resource"); a rightsstatements.org statement says what the rights are without granting any, so it
is dc:rights, the property DCMI and rightsstatements.org name for a rights statement (its range is
dcterms:RightsStatement). Free-text notes follow as catalogued.
"""
import re
from datetime import date

from lxml import etree

from catalog import rights
from catalog.dublincore import ELEMENT_OF, ELEMENTS, NS_DC, NS_DCTERMS, NS_XSI, TERMS
from catalog.models import AuthorityLink

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
    _value(e_qdc, "type", description.level, lang="en")
    _value(e_qdc, "identifier", description.url, scheme="URI")
    _value(e_qdc, "identifier", description.identifier)
    _value(e_qdc, "identifier", description.reference_code)
    written = {
        ("type", description.dcmi_type), ("type", description.level),
        ("identifier", description.identifier), ("identifier", description.reference_code),
    }
    part_of = [("isPartOf", uri, "", "URI") for uri in (description.parent_oai_identifier, description.parent_url) if uri]
    written |= {(term, value) for term, value, _lang, _scheme in part_of}
    # The external URIs of a value's authority record (prepare() read them), after the value.
    authority_uris = description.extra if isinstance(description.extra, dict) else {}
    statements = []
    if description.rights_uri:
        term = "license" if rights.is_licence(description.rights_uri) else "rights"
        statements.append((term, description.rights_uri, "", "URI"))
        written.add((term, description.rights_uri))
    for index, (term, value, lang) in enumerate(description.values):
        if (term, value) in written:
            continue  # written above, or the arrangement's own
        statements.append((term, value, lang, "W3CDTF" if term in _DATE_TERMS and not lang and _is_w3cdtf(value) else None))
        statements += [(term, uri, "", "URI") for uri in authority_uris.get(index, ())]
    # A relation to another published item: its OAI identifier and its page, after the text.
    related = [(term, uri, "", "URI") for term, oai_identifier, url in description.related for uri in (oai_identifier, url)]
    # The arrangement's isPartOf before the cataloguer's (the sort is stable).
    for term, value, lang, scheme in sorted(part_of + statements + related, key=lambda value: _ORDER[value[0]]):
        _value(e_qdc, term, value, lang=lang, scheme=scheme)
    return e_qdc


def prepare(descriptions):
    """Give each Description, as its `extra`, the external URIs of the authority records its
    values link to ({index in values: [uri, ...]}): one query for the page."""
    wanted = {pk for description in descriptions for pk in description.authorities.values()}
    uris = {}
    if wanted:
        links = AuthorityLink.objects.filter(authority_id__in=wanted).order_by("authority_id", "source", "uri")
        for pk, uri in links.values_list("authority_id", "uri"):
            uris.setdefault(pk, []).append(uri)
    for description in descriptions:
        description.extra = {index: uris[pk] for index, pk in description.authorities.items() if pk in uris}


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
    prepare=prepare,
))
