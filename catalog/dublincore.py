"""The Dublin Core vocabulary Arkiv describes items with.

A statement's `term` is the local name of a DCMI Metadata Terms property ("title", "created",
"isPartOf"). The fifteen DCMES 1.1 elements are the properties that also live in the legacy
`dc:` namespace; every other property refines one of them (or none), and `ELEMENT_OF` is the
dumb-down a simple-DC output (oai_dc, <meta name="DC.*">) applies.

Sources: DCMI Metadata Terms (2020-01-20), sections 2 and 3; DCMI Type Vocabulary.
"""
from collections import namedtuple

NS_DC = "http://purl.org/dc/elements/1.1/"
NS_DCTERMS = "http://purl.org/dc/terms/"
NS_DCMITYPE = "http://purl.org/dc/dcmitype/"
NS_OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_XML = "http://www.w3.org/XML/1998/namespace"

NSMAP = {"dc": NS_DC, "dcterms": NS_DCTERMS, "dcmitype": NS_DCMITYPE, "xsi": NS_XSI}

# The fifteen elements of DCMES 1.1, in the order of the specification (and of oai_dc output).
ELEMENTS = (
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
)

# Every other DCMI Terms property, mapped to the element it refines; None where DCMI declares
# no sub-property relation to the fifteen (such values are left out of simple DC).
REFINEMENTS = {
    "abstract": "description",
    "accessRights": "rights",
    "accrualMethod": None,
    "accrualPeriodicity": None,
    "accrualPolicy": None,
    "alternative": "title",
    "audience": None,
    "available": "date",
    "bibliographicCitation": "identifier",
    "conformsTo": "relation",
    "created": "date",
    "dateAccepted": "date",
    "dateCopyrighted": "date",
    "dateSubmitted": "date",
    "educationLevel": None,
    "extent": "format",
    "hasFormat": "relation",
    "hasPart": "relation",
    "hasVersion": "relation",
    "instructionalMethod": None,
    "isFormatOf": "relation",
    "isPartOf": "relation",
    "isReferencedBy": "relation",
    "isReplacedBy": "relation",
    "isRequiredBy": "relation",
    "issued": "date",
    "isVersionOf": "relation",
    "license": "rights",
    "mediator": None,
    "medium": "format",
    "modified": "date",
    "provenance": None,
    "references": "relation",
    "replaces": "relation",
    "requires": "relation",
    # DCMI gives rightsHolder no super-property, but a credit line is rights information and
    # aggregators (Europeana's EDM mapping among them) expect it in dc:rights.
    "rightsHolder": "rights",
    "spatial": "coverage",
    "tableOfContents": "description",
    "temporal": "coverage",
    "valid": "date",
}

TERMS = ELEMENTS + tuple(sorted(REFINEMENTS, key=str.lower))
ELEMENT_OF = {**{element: element for element in ELEMENTS}, **REFINEMENTS}

# DCMI Type Vocabulary.
DCMI_TYPES = (
    "Collection", "Dataset", "Event", "Image", "InteractiveResource", "MovingImage",
    "PhysicalObject", "Service", "Software", "Sound", "StillImage", "Text",
)

# Terms whose values may point at an authority record, and which kinds of record fit.
AUTHORITY_KINDS = {
    "creator": ("agent",),
    "contributor": ("agent",),
    "publisher": ("agent",),
    "rightsHolder": ("agent",),
    "subject": ("concept", "agent", "place"),
    "coverage": ("place", "concept"),
    "spatial": ("place",),
    "temporal": ("concept",),
}

# Terms whose values are dates, most specific first: the first one present dates the item.
DATE_TERMS = ("created", "date", "issued", "dateCopyrighted", "available", "valid", "modified")

Group = namedtuple("Group", "key label elements")

# How the public item page groups values: what, who, when, where, rights, and the rest.
GROUPS = (
    Group("what", "What it is", ("title", "description", "type", "format", "language", "subject")),
    Group("who", "Who made it", ("creator", "contributor", "publisher")),
    Group("when", "When", ("date",)),
    Group("where", "Where", ("coverage",)),
    Group("rights", "Rights and credit", ("rights",)),
    Group("context", "Identifiers and related material", ("identifier", "source", "relation")),
)

# Plain-language labels for every term; refinements read as what they mean to a visitor.
LABELS = {
    "title": "Title", "creator": "Creator", "subject": "Subject", "description": "Description",
    "publisher": "Publisher", "contributor": "Contributor", "date": "Date", "type": "Type",
    "format": "Format", "identifier": "Identifier", "source": "Source", "language": "Language",
    "relation": "Related", "coverage": "Coverage", "rights": "Rights",
    "abstract": "Summary", "accessRights": "Access", "accrualMethod": "Accrual method",
    "accrualPeriodicity": "Accrual periodicity", "accrualPolicy": "Accrual policy",
    "alternative": "Other title", "audience": "Audience", "available": "Available",
    "bibliographicCitation": "Citation", "conformsTo": "Conforms to", "created": "Created",
    "dateAccepted": "Date accepted", "dateCopyrighted": "Copyright date",
    "dateSubmitted": "Date submitted", "educationLevel": "Education level", "extent": "Extent",
    "hasFormat": "Other format", "hasPart": "Has part", "hasVersion": "Has version",
    "instructionalMethod": "Instructional method", "isFormatOf": "Format of",
    "isPartOf": "Part of", "isReferencedBy": "Referenced by", "isReplacedBy": "Replaced by",
    "isRequiredBy": "Required by", "issued": "Published", "isVersionOf": "Version of",
    "license": "Licence", "mediator": "Mediator", "medium": "Medium", "modified": "Modified",
    "provenance": "Provenance", "references": "References", "replaces": "Replaces",
    "requires": "Requires", "rightsHolder": "Rights holder", "spatial": "Place",
    "tableOfContents": "Contents", "temporal": "Period", "valid": "Valid",
}


def element_of(term):
    """The DCMES element a term dumbs down to, or None if it has none."""
    return ELEMENT_OF[term]


def is_element(term):
    return term in ELEMENTS


def qualified_name(term):
    """The prefixed name used in CSV headers and HTML: dc:title for the fifteen, dcterms:created
    for the refinements."""
    return f"dc:{term}" if term in ELEMENTS else f"dcterms:{term}"


def term_from_qualified_name(name):
    """Inverse of qualified_name; also accepts dcterms: for the fifteen. Raises KeyError."""
    prefix, _, local = name.partition(":")
    if prefix == "dc" and local in ELEMENTS:
        return local
    if prefix == "dcterms" and local in ELEMENT_OF:
        return local
    raise KeyError(name)


def term_choices():
    """Choices for a form field, grouped under the element each term refines."""
    groups = []
    for element in ELEMENTS:
        members = [(element, f"{LABELS[element]} (dc:{element})")]
        members += [
            (term, f"{LABELS[term]} (dcterms:{term})")
            for term in TERMS if REFINEMENTS.get(term) == element
        ]
        groups.append((LABELS[element], members))
    others = [(term, f"{LABELS[term]} (dcterms:{term})") for term in TERMS if term in REFINEMENTS and REFINEMENTS[term] is None]
    groups.append(("Other DCMI terms", others))
    return groups
