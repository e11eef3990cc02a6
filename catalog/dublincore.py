"""The Dublin Core vocabulary Arkiv describes items with.

A statement's `term` is the local name of a DCMI Metadata Terms property ("title", "created",
"isPartOf"). The fifteen DCMES 1.1 elements are the properties that also live in the legacy
`dc:` namespace; every other property refines one of them (or none), and `ELEMENT_OF` is the
dumb-down a simple-DC output (oai_dc, <meta name="DC.*">) applies.

Sources: DCMI Metadata Terms (2020-01-20), sections 2 and 3; DCMI Type Vocabulary.
"""
from collections import namedtuple

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

# ISAD(G) elements -> where Arkiv keeps them. A DCMI term where one says the same thing (a
# statement, repeatable and language-tagged like any other); a field of the unit where none does
# (ISAD(G) 3.1.4 level and 3.3.4 arrangement); the creator's history lives in the creator's
# authority record (its note and dates), as ISAAR(CPF) keeps it apart from the description. The
# EAD writers and readers (catalog/exports/ead/, catalog/imports/ead/) follow this table.
ISADG = {
    "3.1.1 reference code": "field:reference",  # composed: country, repository, local codes
    "3.1.2 title": "title",
    "3.1.3 dates": "created",  # or any date term: the first one read (DATE_TERMS)
    "3.1.4 level of description": "field:level",  # OAI qdc: a dc:type, its English name with xml:lang="en"
    "3.1.5 extent and medium": "extent",  # and "medium"
    "3.2.1 name of creator": "creator",
    "3.2.2 administrative / biographical history": "authority:note",  # of the creator's record
    "3.2.3 archival history": "provenance",
    "3.3.1 scope and content": "abstract",
    "3.3.4 system of arrangement": "field:arrangement",
    "3.4.1 conditions governing access": "accessRights",
    "3.4.2 conditions governing reproduction": "rights",
    "3.4.3 language of material": "language",
    "3.5.3 related units of description": "relation",
}
ISADG_EXTENT = ("extent", "medium")
ISADG_SCOPE = ("abstract", "description")  # scope and content: the abstract, else the description

Group = namedtuple("Group", "key label elements")

# How the public item page groups values: what, who, when, where, rights, and the rest.
GROUPS = (
    Group("what", pgettext_lazy("item page section", "What it is"),
          ("title", "description", "type", "format", "language", "subject")),
    Group("who", pgettext_lazy("item page section", "Who made it"), ("creator", "contributor", "publisher")),
    Group("when", pgettext_lazy("item page section", "When"), ("date",)),
    Group("where", pgettext_lazy("item page section", "Where"), ("coverage",)),
    Group("rights", pgettext_lazy("item page section", "Rights and credit"), ("rights",)),
    Group("context", pgettext_lazy("item page section", "Identifiers and related material"),
          ("identifier", "source", "relation")),
)


# Plain-language labels for every term; refinements read as what they mean to a visitor. One
# context for all: the same English word names other things elsewhere ("Published" is also an
# item's status, "Type" a facet), which Norwegian may say otherwise.
LABELS = {
    "title": pgettext_lazy("Dublin Core term", "Title"),
    "creator": pgettext_lazy("Dublin Core term", "Creator"),
    "subject": pgettext_lazy("Dublin Core term", "Subject"),
    "description": pgettext_lazy("Dublin Core term", "Description"),
    "publisher": pgettext_lazy("Dublin Core term", "Publisher"),
    "contributor": pgettext_lazy("Dublin Core term", "Contributor"),
    "date": pgettext_lazy("Dublin Core term", "Date"),
    "type": pgettext_lazy("Dublin Core term", "Type"),
    "format": pgettext_lazy("Dublin Core term", "Format"),
    "identifier": pgettext_lazy("Dublin Core term", "Identifier"),
    "source": pgettext_lazy("Dublin Core term", "Source"),
    "language": pgettext_lazy("Dublin Core term", "Language"),
    "relation": pgettext_lazy("Dublin Core term", "Related"),
    "coverage": pgettext_lazy("Dublin Core term", "Coverage"),
    "rights": pgettext_lazy("Dublin Core term", "Rights"),
    "abstract": pgettext_lazy("Dublin Core term", "Summary"),
    "accessRights": pgettext_lazy("Dublin Core term", "Access"),
    "accrualMethod": pgettext_lazy("Dublin Core term", "Accrual method"),
    "accrualPeriodicity": pgettext_lazy("Dublin Core term", "Accrual periodicity"),
    "accrualPolicy": pgettext_lazy("Dublin Core term", "Accrual policy"),
    "alternative": pgettext_lazy("Dublin Core term", "Other title"),
    "audience": pgettext_lazy("Dublin Core term", "Audience"),
    "available": pgettext_lazy("Dublin Core term", "Available"),
    "bibliographicCitation": pgettext_lazy("Dublin Core term", "Citation"),
    "conformsTo": pgettext_lazy("Dublin Core term", "Conforms to"),
    "created": pgettext_lazy("Dublin Core term", "Created"),
    "dateAccepted": pgettext_lazy("Dublin Core term", "Date accepted"),
    "dateCopyrighted": pgettext_lazy("Dublin Core term", "Copyright date"),
    "dateSubmitted": pgettext_lazy("Dublin Core term", "Date submitted"),
    "educationLevel": pgettext_lazy("Dublin Core term", "Education level"),
    "extent": pgettext_lazy("Dublin Core term", "Extent"),
    "hasFormat": pgettext_lazy("Dublin Core term", "Other format"),
    "hasPart": pgettext_lazy("Dublin Core term", "Has part"),
    "hasVersion": pgettext_lazy("Dublin Core term", "Has version"),
    "instructionalMethod": pgettext_lazy("Dublin Core term", "Instructional method"),
    "isFormatOf": pgettext_lazy("Dublin Core term", "Format of"),
    "isPartOf": pgettext_lazy("Dublin Core term", "Part of"),
    "isReferencedBy": pgettext_lazy("Dublin Core term", "Referenced by"),
    "isReplacedBy": pgettext_lazy("Dublin Core term", "Replaced by"),
    "isRequiredBy": pgettext_lazy("Dublin Core term", "Required by"),
    "issued": pgettext_lazy("Dublin Core term", "Published"),
    "isVersionOf": pgettext_lazy("Dublin Core term", "Version of"),
    "license": pgettext_lazy("Dublin Core term", "Licence"),
    "mediator": pgettext_lazy("Dublin Core term", "Mediator"),
    "medium": pgettext_lazy("Dublin Core term", "Medium"),
    "modified": pgettext_lazy("Dublin Core term", "Modified"),
    "provenance": pgettext_lazy("Dublin Core term", "Provenance"),
    "references": pgettext_lazy("Dublin Core term", "References"),
    "replaces": pgettext_lazy("Dublin Core term", "Replaces"),
    "requires": pgettext_lazy("Dublin Core term", "Requires"),
    "rightsHolder": pgettext_lazy("Dublin Core term", "Rights holder"),
    "spatial": pgettext_lazy("Dublin Core term", "Place"),
    "tableOfContents": pgettext_lazy("Dublin Core term", "Contents"),
    "temporal": pgettext_lazy("Dublin Core term", "Period"),
    "valid": pgettext_lazy("Dublin Core term", "Valid"),
}

# A title or other title in another language than the one a page is headed with (a translated
# title, as ISBD calls it): the item page labels it so rather than as a second title.
PARALLEL_TITLE = _("Parallel title")

# The DCMI types as a visitor reads them (StillImage: Still image).
TYPE_LABELS = {
    "Collection": pgettext_lazy("DCMI type", "Collection"),
    "Dataset": pgettext_lazy("DCMI type", "Dataset"),
    "Event": pgettext_lazy("DCMI type", "Event"),
    "Image": pgettext_lazy("DCMI type", "Image"),
    "InteractiveResource": pgettext_lazy("DCMI type", "Interactive resource"),
    "MovingImage": pgettext_lazy("DCMI type", "Moving image"),
    "PhysicalObject": pgettext_lazy("DCMI type", "Physical object"),
    "Service": pgettext_lazy("DCMI type", "Service"),
    "Software": pgettext_lazy("DCMI type", "Software"),
    "Sound": pgettext_lazy("DCMI type", "Sound"),
    "StillImage": pgettext_lazy("DCMI type", "Still image"),
    "Text": pgettext_lazy("DCMI type", "Text"),
}

OTHER_TERMS = _("Other DCMI terms")


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
    """Choices for a form field, grouped under the element each term refines. The labels are
    lazy: they are read in the language of the page that shows them."""
    groups = []
    for element in ELEMENTS:
        members = [(element, _choice_label(element))]
        members += [(term, _choice_label(term)) for term in TERMS if REFINEMENTS.get(term) == element]
        groups.append((LABELS[element], members))
    others = [(term, _choice_label(term)) for term in TERMS if term in REFINEMENTS and REFINEMENTS[term] is None]
    groups.append((OTHER_TERMS, others))
    return groups


def _choice_label(term):
    return format_lazy("{} ({})", LABELS[term], qualified_name(term))


# How the item editor in the admin groups statements: each section one thing an archivist
# describes, named plainly, holding the terms that say it (the element and the refinements that
# matter there: created and issued under Date, spatial under Place). The first term is the one a
# new value of the section gets. Every term is in exactly one section; "other" takes the rest.
EditorSection = namedtuple("EditorSection", "key label terms")

EDITOR_SECTIONS = (
    EditorSection("title", LABELS["title"], ("title", "alternative")),
    EditorSection("creator", LABELS["creator"], ("creator",)),
    EditorSection("contributor", LABELS["contributor"], ("contributor",)),
    EditorSection("date", LABELS["date"], (
        "created", "date", "issued", "dateCopyrighted", "available", "modified", "valid",
        "dateAccepted", "dateSubmitted",
    )),
    EditorSection("place", LABELS["spatial"], ("spatial", "coverage")),
    EditorSection("period", LABELS["temporal"], ("temporal",)),
    EditorSection("subject", LABELS["subject"], ("subject",)),
    EditorSection("description", LABELS["description"], ("description", "abstract", "tableOfContents")),
    EditorSection("type", LABELS["type"], ("type",)),
    EditorSection("format", LABELS["format"], ("extent", "medium", "format")),
    EditorSection("language", LABELS["language"], ("language",)),
    EditorSection("publisher", LABELS["publisher"], ("publisher",)),
    EditorSection("relation", LABELS["relation"], (
        "relation", "isPartOf", "hasPart", "references", "isReferencedBy", "isVersionOf",
        "hasVersion", "isFormatOf", "hasFormat", "replaces", "isReplacedBy", "requires",
        "isRequiredBy", "conformsTo",
    )),
    EditorSection("source", LABELS["source"], ("source",)),
    EditorSection("identifier", LABELS["identifier"], ("identifier", "bibliographicCitation")),
    EditorSection("rights", LABELS["rights"], ("rights", "license", "accessRights", "rightsHolder")),
    EditorSection("provenance", LABELS["provenance"], ("provenance",)),
    EditorSection("other", OTHER_TERMS, (
        "audience", "mediator", "educationLevel", "instructionalMethod", "accrualMethod",
        "accrualPeriodicity", "accrualPolicy",
    )),
)
SECTION_OF = {term: section.key for section in EDITOR_SECTIONS for term in section.terms}
SECTIONS = {section.key: section for section in EDITOR_SECTIONS}
