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
  dcterms:isPartOf, and edm:type from the DCMI type (catalog.oai.europeana.EDM_TYPES);
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
from django.conf import settings
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


def write(parent, description):
    extra = description.extra
    e_rdf = etree.SubElement(parent, _q(NS_RDF, "RDF"), nsmap=NSMAP)
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
            _entity(e_rdf, entity)
    _aggregation(e_rdf, description, extra)
    return e_rdf


def _provided_cho(e_rdf, description, extra):
    e_cho = etree.SubElement(e_rdf, _q(NS_EDM, "ProvidedCHO"), {ABOUT: description.url})
    _resource(e_cho, _q(NS_DC, "type"), NS_DCMITYPE + description.dcmi_type)
    for identifier in (description.identifier, description.reference_code):
        if identifier:
            set_text(etree.SubElement(e_cho, _q(NS_DC, "identifier")), identifier)
    if description.parent_url:
        _resource(e_cho, _q(NS_DCTERMS, "isPartOf"), description.parent_url)
    for index, (term, value, lang) in enumerate(description.values):
        tag = _TAGS.get(term)
        if tag is None:
            continue
        entity = extra.entities.get(description.authorities.get(index))
        if entity is not None and term in _LINKABLE:
            _resource(e_cho, tag, entity.uri)
            continue
        value = value.strip()
        if value:
            e_value = etree.SubElement(e_cho, tag)
            set_text(e_value, value)
            set_lang(e_value, lang)
    etree.SubElement(e_cho, _q(NS_EDM, "type")).text = extra.edm_type


def _web_resource(e_rdf, resource, item_rights):
    e_resource = etree.SubElement(e_rdf, _q(NS_EDM, "WebResource"), {ABOUT: resource.url})
    etree.SubElement(e_resource, _q(NS_DC, "format")).text = resource.mime_type
    if resource.rights_uri and resource.rights_uri != item_rights:
        _resource(e_resource, _q(NS_EDM, "rights"), resource.rights_uri)
    etree.SubElement(e_resource, _q(NS_EBUCORE, "hasMimeType")).text = resource.mime_type
    original = resource.original
    if original:
        _typed(e_resource, _q(NS_EBUCORE, "fileByteSize"), original["size"], "long")
        if original["width"] and original["height"]:
            _typed(e_resource, _q(NS_EBUCORE, "width"), original["width"], "integer")
            _typed(e_resource, _q(NS_EBUCORE, "height"), original["height"], "integer")


def _entity(e_rdf, entity):
    if entity.span:
        tag = _q(NS_EDM, "TimeSpan")
    else:
        tag = _ENTITY_TAGS[entity.kind]
    e_entity = etree.SubElement(e_rdf, tag, {ABOUT: entity.uri})
    if entity.kind == Authority.PLACE and entity.latitude is not None and entity.longitude is not None:
        etree.SubElement(e_entity, _q(NS_WGS84, "lat")).text = str(entity.latitude)
        etree.SubElement(e_entity, _q(NS_WGS84, "long")).text = str(entity.longitude)
    preferred, alternative = _labels(entity)
    for name, labels in (("prefLabel", preferred), ("altLabel", alternative)):
        for label, lang in labels:
            e_label = etree.SubElement(e_entity, _q(NS_SKOS, name))
            set_text(e_label, label)
            set_lang(e_label, lang)
    if entity.span:
        begin, end = entity.span
        etree.SubElement(e_entity, _q(NS_EDM, "begin")).text = begin
        etree.SubElement(e_entity, _q(NS_EDM, "end")).text = end
    # A skos:Concept says the same with skos:exactMatch (EDM's schema gives it no owl:sameAs).
    same_as = _q(NS_SKOS, "exactMatch") if tag == _ENTITY_TAGS[Authority.CONCEPT] else _q(NS_OWL, "sameAs")
    for uri in entity.same_as:
        _resource(e_entity, same_as, uri)


def _labels(entity):
    """(preferred, alternative) labels as (text, lang): Europeana takes one skos:prefLabel per
    language at most. The preferred label is in the catalogue's language; the first variant in
    each other language is the record's preferred label in that language; every other variant is
    an alternative label."""
    catalogue_language = settings.ARKIV_CATALOGUE_LANGUAGE
    preferred, alternative = [(entity.label, catalogue_language)], []
    languages = {catalogue_language.lower()}
    for label, lang in entity.variants:
        if label == entity.label:
            continue
        if lang and lang.lower() not in languages:
            languages.add(lang.lower())
            preferred.append((label, lang))
        else:
            alternative.append((label, lang))
    return preferred, alternative


def _aggregation(e_rdf, description, extra):
    e_aggregation = etree.SubElement(e_rdf, _q(NS_ORE, "Aggregation"), {ABOUT: f"{description.url}#aggregation"})
    _resource(e_aggregation, _q(NS_EDM, "aggregatedCHO"), description.url)
    set_text(etree.SubElement(e_aggregation, _q(NS_EDM, "dataProvider")), settings.ARKIV_EDM_DATA_PROVIDER)
    files = extra.files
    for resource in files[1:]:
        _resource(e_aggregation, _q(NS_EDM, "hasView"), resource.url)
    _resource(e_aggregation, _q(NS_EDM, "isShownAt"), description.url)
    if files:
        _resource(e_aggregation, _q(NS_EDM, "isShownBy"), files[0].url)
    preview = next((resource for resource in files if resource.is_image), None)
    if preview is not None:
        _resource(e_aggregation, _q(NS_EDM, "object"), preview.url)
    set_text(etree.SubElement(e_aggregation, _q(NS_EDM, "provider")), settings.ARKIV_EDM_PROVIDER)
    _resource(e_aggregation, _q(NS_EDM, "rights"), extra.rights_uri)


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
    prepare=europeana.prepare,
))
