"""Relations between records: which Dublin Core terms may point at another item of the
catalogue, and how a relation reads from the other end.

A statement of a relation term (dcterms:references, isPartOf, hasVersion, dc:relation, dc:source
…) may name another item as its `target` (Statement.target); its `value` keeps a readable text
(the other item's title as the cataloguer wrote it), so every output that knows no links still
says what it is. dcterms:conformsTo is left out: it names a standard, not a record.

The other item shows the relation from its own end without anyone typing it twice: a
“References” on the article reads as “Referenced by” on the note. DCMI pairs its relation terms
as inverses (DCMI Metadata Terms, 2020, the isPartOf/hasPart … pairs), and dc:relation is its
own inverse. dc:source has none: the other end is labelled “Source of” on the page, and no
invented term is ever written in an output.

Thematic “part of” (dcterms:isPartOf to another record) is not the arrangement: a unit's place
in its fonds is Item.parent (catalog/arrangement/), which outputs write on their own.
"""
from django.utils.translation import pgettext_lazy

from . import dublincore

# Relation terms, and the term that says the same thing from the other end (None: no DCMI term).
INVERSES = {
    "relation": "relation",
    "source": None,
    "isPartOf": "hasPart",
    "hasPart": "isPartOf",
    "references": "isReferencedBy",
    "isReferencedBy": "references",
    "isVersionOf": "hasVersion",
    "hasVersion": "isVersionOf",
    "isFormatOf": "hasFormat",
    "hasFormat": "isFormatOf",
    "replaces": "isReplacedBy",
    "isReplacedBy": "replaces",
    "requires": "isRequiredBy",
    "isRequiredBy": "requires",
}
RELATION_TERMS = tuple(term for term in dublincore.TERMS if term in INVERSES)

# The other end of a dc:source, as the page labels it: not a term, never in an output.
SOURCE_OF = "sourceOf"
SOURCE_OF_LABEL = pgettext_lazy("Dublin Core term", "Source of")

INVERSE_LIMIT = 50
"""Items shown from the other end of one item's relations: a much-cited record lists the first
ones (by title) and says that there are more."""


def is_relation(term):
    return term in INVERSES


def inverse(term):
    """The key a relation of `term` is shown under on the other item: the inverse DCMI term, or
    SOURCE_OF for dc:source."""
    return INVERSES[term] or SOURCE_OF


def label(key):
    """The page's label of a relation key (a DCMI term, or SOURCE_OF)."""
    return SOURCE_OF_LABEL if key == SOURCE_OF else dublincore.LABELS[key]
