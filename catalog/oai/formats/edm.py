"""edm: the Europeana Data Model, the one format Europeana ingests.

A record is an rdf:RDF (EDM's external schema, http://www.europeana.eu/schemas/edm/EDM.xsd,
checked in the tests together with Europeana's schematron) holding:
- edm:ProvidedCHO, the item itself (rdf:about its page), with its Dublin Core description:
  every term EDM takes as it is, the others dumbed down to their element (dcterms:abstract is a
  dc:description, dcterms:license a dc:rights; dublincore.ELEMENT_OF), and terms that refine no
  element left out. Values keep their language as xml:lang; a value linked to an authority
  record points at it (rdf:resource), except where EDM takes literals only (dc:title) and in
  dc:rights (a rights holder's name is the credit line). Then the DCMI type as dc:type, the
  accession identifier and the reference code as dc:identifier, the unit it is arranged under as
  dcterms:isPartOf, and edm:type from the DCMI type (catalog.oai.europeana._EDM_TYPES);
- an edm:WebResource for each file a visitor of the item page gets (its own edm:rights where
  the file's statement differs from the item's; its type, and its byte size and pixel size
  where the resource is the original itself);
- the contextual entities the statements link to: edm:Agent, edm:Place (with wgs84_pos:lat and
  long), skos:Concept, and edm:TimeSpan for an event in dcterms:temporal whose dates read as a
  range, each with one skos:prefLabel per language (the preferred label in the catalogue's
  language, ARKIV_CATALOGUE_LANGUAGE, and the first variant of each other language), the other
  variants as skos:altLabel, and owl:sameAs its Wikidata, VIAF, GeoNames and LCSH URIs
  (skos:exactMatch on a skos:Concept);
- ore:Aggregation: edm:dataProvider and edm:provider (ARKIV_EDM_DATA_PROVIDER,
  ARKIV_EDM_PROVIDER), the item page as edm:isShownAt, the first file as edm:isShownBy, the
  others as edm:hasView, the first image as edm:object (Europeana's preview), and the item's
  rights URI as edm:rights.

Items Europeana would reject are not written at all: the format admits only the items that
catalog.oai.europeana.admits() describes, and reads what it writes beyond the Description with
catalog.oai.europeana.prepare().
"""
from copy import deepcopy
from functools import lru_cache

from lxml import etree

from catalog.dublincore import ELEMENT_OF, NS_DC, NS_DCMITYPE, NS_DCTERMS
from catalog.models import Authority

from .. import europeana
from ..markup import set_lang, set_text
from . import MetadataFormat, register

NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_EDM = "http://www.europeana.eu/schemas/edm/"
NS_ORE = "http://www.openarchives.org/ore/terms/"
NS_SKOS = "http://www.w3.org/2004/02/skos/core#"
NS_OWL = "http://www.w3.org/2002/07/owl#"
NS_WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
NS_EBUCORE = "http://www.ebu.ch/metadata/ontologies/ebucore/ebucore#"
NSMAP = {
    "rdf": NS_RDF, "edm": NS_EDM, "ore": NS_ORE, "dc": NS_DC, "dcterms": NS_DCTERMS,
    "skos": NS_SKOS, "owl": NS_OWL, "wgs84_pos": NS_WGS84, "ebucore": NS_EBUCORE,
}
ABOUT = f"{{{NS_RDF}}}about"
RESOURCE = f"{{{NS_RDF}}}resource"
DATATYPE = f"{{{NS_RDF}}}datatype"
XSD = "http://www.w3.org/2001/XMLSchema#"

# The DC elements and DCMI terms a ProvidedCHO takes (EDM-COMMON-MAIN.xsd, EuropeanaType).
_DC_TAKEN = {
    "contributor", "coverage", "creator", "date", "description", "format", "identifier", "language",
    "publisher", "relation", "rights", "source", "subject", "title", "type",
}
_DCTERMS_TAKEN = {
    "alternative", "conformsTo", "created", "extent", "hasFormat", "hasPart", "hasVersion", "isFormatOf",
    "isPartOf", "isReferencedBy", "isReplacedBy", "isRequiredBy", "issued", "isVersionOf", "medium",
    "provenance", "references", "replaces", "requires", "spatial", "tableOfContents", "temporal",
}
# Where a linked value may point at its entity: properties EDM types as resource or literal, and
# that name a contextual entity (dc:title, dc:identifier and dc:language take literals only).
_LINKABLE = {"creator", "contributor", "publisher", "subject", "coverage", "spatial", "temporal"}
# Terms whose element takes a resource (EDM's ResourceOrLiteralType): every relation term does.
_RESOURCE_TERMS = _LINKABLE | {
    "relation", "source", "isPartOf", "hasPart", "references", "isReferencedBy", "isVersionOf", "hasVersion",
    "isFormatOf", "hasFormat", "replaces", "isReplacedBy", "requires", "isRequiredBy", "conformsTo",
}


def _tag_of(term):
    """The element a statement of `term` is written as in a ProvidedCHO, or None."""
    if term in _DC_TAKEN:
        return etree.QName(NS_DC, term).text
    if term in _DCTERMS_TAKEN:
        return etree.QName(NS_DCTERMS, term).text
    element = ELEMENT_OF.get(term)
    return etree.QName(NS_DC, element).text if element else None


_TAGS = {term: _tag_of(term) for term in ELEMENT_OF}
_ENTITY_TAGS = {
    Authority.AGENT: etree.QName(NS_EDM, "Agent").text,
    Authority.PLACE: etree.QName(NS_EDM, "Place").text,
    Authority.CONCEPT: etree.QName(NS_SKOS, "Concept").text,
}


def _q(namespace, name):
    return etree.QName(namespace, name).text


# Tags, made once: a harvest writes millions of elements.
_DC_format = _q(NS_DC, "format")
_DC_identifier = _q(NS_DC, "identifier")
_DC_type = _q(NS_DC, "type")
_DCTERMS_isPartOf = _q(NS_DCTERMS, "isPartOf")
_EBUCORE_fileByteSize = _q(NS_EBUCORE, "fileByteSize")
_EBUCORE_hasMimeType = _q(NS_EBUCORE, "hasMimeType")
_EBUCORE_height = _q(NS_EBUCORE, "height")
_EBUCORE_width = _q(NS_EBUCORE, "width")
_EDM_ProvidedCHO = _q(NS_EDM, "ProvidedCHO")
_EDM_TimeSpan = _q(NS_EDM, "TimeSpan")
_EDM_WebResource = _q(NS_EDM, "WebResource")
_EDM_aggregatedCHO = _q(NS_EDM, "aggregatedCHO")
_EDM_begin = _q(NS_EDM, "begin")
_EDM_dataProvider = _q(NS_EDM, "dataProvider")
_EDM_end = _q(NS_EDM, "end")
_EDM_hasView = _q(NS_EDM, "hasView")
_EDM_isShownAt = _q(NS_EDM, "isShownAt")
_EDM_isShownBy = _q(NS_EDM, "isShownBy")
_EDM_object = _q(NS_EDM, "object")
_EDM_provider = _q(NS_EDM, "provider")
_EDM_rights = _q(NS_EDM, "rights")
_EDM_type = _q(NS_EDM, "type")
_ORE_Aggregation = _q(NS_ORE, "Aggregation")
_OWL_sameAs = _q(NS_OWL, "sameAs")
_RDF_RDF = _q(NS_RDF, "RDF")
_SKOS_exactMatch = _q(NS_SKOS, "exactMatch")
_WGS84_lat = _q(NS_WGS84, "lat")
_WGS84_long = _q(NS_WGS84, "long")
_SKOS_prefLabel = _q(NS_SKOS, "prefLabel")
_SKOS_altLabel = _q(NS_SKOS, "altLabel")


def write(parent, description):
    extra = description.extra
    e_rdf = etree.SubElement(parent, _RDF_RDF, nsmap=NSMAP)
    _provided_cho(e_rdf, description, extra)
    for resource in extra.files:
        _web_resource(e_rdf, resource, extra.rights_uri)
    written = set()
    for index, authority in description.authorities.items():
        if description.values[index][0] not in _LINKABLE:
            continue  # written as a literal: no entity to describe
        entity = extra.entities.get(authority)
        if entity is not None and entity.uri not in written:
            written.add(entity.uri)
            _entity(e_rdf, entity, extra.catalogue_language)
    _aggregation(e_rdf, description, extra)
    return e_rdf


def _provided_cho(e_rdf, description, extra):
    e_cho = etree.SubElement(e_rdf, _EDM_ProvidedCHO, {ABOUT: description.url})
    _resource(e_cho, _DC_type, NS_DCMITYPE + description.dcmi_type)
    for identifier in (description.identifier, description.reference_code):
        if identifier:
            set_text(etree.SubElement(e_cho, _DC_identifier), identifier)
    if description.parent_url:
        _resource(e_cho, _DCTERMS_isPartOf, description.parent_url)
    authorities, entities = description.authorities, extra.entities
    for index, (term, value, lang) in enumerate(description.values):
        tag = _TAGS.get(term)
        if tag is None:
            continue
        if index in authorities and term in _LINKABLE:
            entity = entities.get(authorities[index])
            if entity is not None:
                _resource(e_cho, tag, entity.uri)
                continue
        value = value.strip()
        if value:
            e_value = etree.SubElement(e_cho, tag)
            set_text(e_value, value)
            set_lang(e_value, lang)
    # A relation to another published item also points at it: its page is its ProvidedCHO.
    for term, _oai_identifier, url in description.related:
        tag = _TAGS.get(term)
        if tag is not None and term in _RESOURCE_TERMS:
            _resource(e_cho, tag, url)
    etree.SubElement(e_cho, _EDM_type).text = extra.edm_type


def _web_resource(e_rdf, resource, item_rights):
    e_resource = etree.SubElement(e_rdf, _EDM_WebResource, {ABOUT: resource.url})
    etree.SubElement(e_resource, _DC_format).text = resource.mime_type
    if resource.rights_uri and resource.rights_uri != item_rights:
        _resource(e_resource, _EDM_rights, resource.rights_uri)
    etree.SubElement(e_resource, _EBUCORE_hasMimeType).text = resource.mime_type
    original = resource.original
    if original:
        _typed(e_resource, _EBUCORE_fileByteSize, original["size"], "long")
        if original["width"] and original["height"]:
            _typed(e_resource, _EBUCORE_width, original["width"], "integer")
            _typed(e_resource, _EBUCORE_height, original["height"], "integer")


def _entity(e_rdf, entity, catalogue_language):
    key = (
        entity.kind, entity.uri, entity.label, tuple(entity.variants), tuple(entity.same_as),
        entity.latitude, entity.longitude, entity.span, catalogue_language,
    )
    e_rdf.append(deepcopy(_entity_element(key)))


# An authority record is written the same way in every record that links to it, page after page:
# it is built once and copied (lxml copies a small tree in a third of the time it takes to build
# it). The key is everything written, so a changed record is built afresh, never served stale.
@lru_cache(maxsize=4096)
def _entity_element(key):
    kind, uri, label, variants, same_as, latitude, longitude, span, catalogue_language = key
    tag = _EDM_TimeSpan if span else _ENTITY_TAGS[kind]
    e_entity = etree.Element(tag, {ABOUT: uri}, nsmap=NSMAP)
    if kind == Authority.PLACE and latitude is not None and longitude is not None:
        etree.SubElement(e_entity, _WGS84_lat).text = str(latitude)
        etree.SubElement(e_entity, _WGS84_long).text = str(longitude)
    preferred, alternative = _labels(label, variants, catalogue_language)
    for name, labels in ((_SKOS_prefLabel, preferred), (_SKOS_altLabel, alternative)):
        for text, lang in labels:
            e_label = etree.SubElement(e_entity, name)
            set_text(e_label, text)
            set_lang(e_label, lang)
    if span:
        begin, end = span
        etree.SubElement(e_entity, _EDM_begin).text = begin
        etree.SubElement(e_entity, _EDM_end).text = end
    # A skos:Concept says the same with skos:exactMatch (EDM's schema gives it no owl:sameAs).
    same_as_tag = _SKOS_exactMatch if tag == _ENTITY_TAGS[Authority.CONCEPT] else _OWL_sameAs
    for link in same_as:
        _resource(e_entity, same_as_tag, link)
    return e_entity


def _labels(label, variants, catalogue_language):
    """(preferred, alternative) labels as (text, lang): Europeana takes one skos:prefLabel per
    language at most. The preferred label is in the catalogue's language; the first variant in
    each other language is the record's preferred label in that language; every other variant is
    an alternative label."""
    preferred, alternative = [(label, catalogue_language)], []
    languages = {catalogue_language.lower()}
    for variant, lang in variants:
        if variant == label:
            continue
        if lang and lang.lower() not in languages:
            languages.add(lang.lower())
            preferred.append((variant, lang))
        else:
            alternative.append((variant, lang))
    return preferred, alternative


def _aggregation(e_rdf, description, extra):
    e_aggregation = etree.SubElement(e_rdf, _ORE_Aggregation, {ABOUT: f"{description.url}#aggregation"})
    _resource(e_aggregation, _EDM_aggregatedCHO, description.url)
    set_text(etree.SubElement(e_aggregation, _EDM_dataProvider), extra.data_provider)
    files = extra.files
    for resource in files[1:]:
        _resource(e_aggregation, _EDM_hasView, resource.url)
    _resource(e_aggregation, _EDM_isShownAt, description.url)
    if files:
        _resource(e_aggregation, _EDM_isShownBy, files[0].url)
    preview = next((resource for resource in files if resource.is_image), None)
    if preview is not None:
        _resource(e_aggregation, _EDM_object, preview.url)
    set_text(etree.SubElement(e_aggregation, _EDM_provider), extra.provider)
    _resource(e_aggregation, _EDM_rights, extra.rights_uri)


def _resource(parent, tag, uri):
    return etree.SubElement(parent, tag, {RESOURCE: uri})


def _typed(parent, tag, value, datatype):
    e_value = etree.SubElement(parent, tag, {DATATYPE: XSD + datatype})
    e_value.text = str(value)
    return e_value


register(MetadataFormat(
    prefix="edm",
    namespace=NS_RDF,
    schema="http://www.europeana.eu/schemas/edm/EDM.xsd",
    nsmap=NSMAP,
    write=write,
    admits=europeana.admits,
    admitted_count=europeana.admitted_count,
    prepare=europeana.prepare,
))
