"""Where each part of an EAD unit goes in Arkiv: the mapping as data, one table per version.

A Rule reads the elements at `path` (relative to the unit's element: archdesc, c, c01 … c12)
and gives their values to `target`, a Dublin Core term (the unit's statements, following
catalog.dublincore.ISADG) or "arrangement" (ISAD(G) 3.3.4, a field of the unit). `read` says
how the elements become values; the version's reader (ead2002.py, ead3.py) knows each way:

    TEXT      the element's text (mixed content collapsed), in the description's language
    NOTE      the same, without the note's <head> (Arkiv labels the value itself)
    DATE      an EDTF date from @normal (EAD3: @standarddate), else the text as written
    EXTENT    <physdesc> and its parts: extent and dimensions → extent, physfacet → medium
    LANGUAGE  the @langcode of a <language>, as a BCP 47 tag (eng → en)
    AGENT, PLACE, CONCEPT
              a name, linked to an authority record of that kind; a name in <controlaccess>
              whose role (EAD 2002 @role, EAD3 @relator) is creator counts as a creator

Everything else in a unit is counted and reported as not imported, apart from what needs no
place: structure (did, dsc, components), headings, the repository (Arkiv is the repository now)
and the unitid, which the reader takes apart itself (local code and dc:identifier).

The tables follow AtoM's EAD import (its ead.yml maps XPaths to setters the same way) where
Arkiv has a field for the same thing, and catalog.dublincore.ISADG everywhere.
"""
from typing import NamedTuple

TEXT, NOTE, DATE, EXTENT, LANGUAGE = "text", "note", "date", "extent", "language"
AGENT, PLACE, CONCEPT = "agent", "place", "concept"
NAMES = (AGENT, PLACE, CONCEPT)
ARRANGEMENT = "arrangement"


class Rule(NamedTuple):
    path: str
    target: str
    read: str


EAD2002 = (
    Rule("did/unittitle", "title", TEXT),
    Rule("did/unitdate", "created", DATE),
    Rule("did/physdesc", "extent", EXTENT),
    Rule("did/origination/persname", "creator", AGENT),
    Rule("did/origination/corpname", "creator", AGENT),
    Rule("did/origination/famname", "creator", AGENT),
    Rule("did/origination/name", "creator", AGENT),
    Rule("did/abstract", "description", TEXT),
    Rule("did/note", "description", NOTE),
    Rule("did/langmaterial/language", "language", LANGUAGE),
    Rule("scopecontent", "abstract", NOTE),
    Rule("odd", "description", NOTE),
    Rule("note", "description", NOTE),
    Rule("arrangement", ARRANGEMENT, NOTE),
    Rule("accessrestrict", "accessRights", NOTE),
    Rule("userestrict", "rights", NOTE),
    Rule("custodhist", "provenance", NOTE),
    Rule("acqinfo", "provenance", NOTE),
    Rule("relatedmaterial", "relation", NOTE),
    Rule("prefercite", "bibliographicCitation", NOTE),
    Rule("controlaccess//persname", "subject", AGENT),
    Rule("controlaccess//corpname", "subject", AGENT),
    Rule("controlaccess//famname", "subject", AGENT),
    Rule("controlaccess//name", "subject", AGENT),
    Rule("controlaccess//subject", "subject", CONCEPT),
    Rule("controlaccess//function", "subject", CONCEPT),
    Rule("controlaccess//occupation", "subject", CONCEPT),
    Rule("controlaccess//geogname", "spatial", PLACE),
    Rule("controlaccess//genreform", "type", TEXT),
)

EAD3 = (
    Rule("did/unittitle", "title", TEXT),
    Rule("did/unitdate", "created", DATE),
    Rule("did/unitdatestructured", "created", DATE),
    Rule("did/physdesc", "extent", EXTENT),
    Rule("did/physdescstructured", "extent", EXTENT),
    Rule("did/physdescset", "extent", EXTENT),
    Rule("did/origination/persname", "creator", AGENT),
    Rule("did/origination/corpname", "creator", AGENT),
    Rule("did/origination/famname", "creator", AGENT),
    Rule("did/origination/name", "creator", AGENT),
    Rule("did/abstract", "description", TEXT),
    Rule("did/didnote", "description", NOTE),
    Rule("did/langmaterial//language", "language", LANGUAGE),
    Rule("scopecontent", "abstract", NOTE),
    Rule("odd", "description", NOTE),
    Rule("arrangement", ARRANGEMENT, NOTE),
    Rule("accessrestrict", "accessRights", NOTE),
    Rule("userestrict", "rights", NOTE),
    Rule("custodhist", "provenance", NOTE),
    Rule("acqinfo", "provenance", NOTE),
    Rule("relatedmaterial", "relation", NOTE),
    Rule("prefercite", "bibliographicCitation", NOTE),
    Rule("controlaccess//persname", "subject", AGENT),
    Rule("controlaccess//corpname", "subject", AGENT),
    Rule("controlaccess//famname", "subject", AGENT),
    Rule("controlaccess//name", "subject", AGENT),
    Rule("controlaccess//subject", "subject", CONCEPT),
    Rule("controlaccess//function", "subject", CONCEPT),
    Rule("controlaccess//occupation", "subject", CONCEPT),
    Rule("controlaccess//geogname", "spatial", PLACE),
    Rule("controlaccess//genreform", "type", TEXT),
)

CREATOR_ROLES = frozenset({"creator", "cre", "author", "aut"})
"""Roles (EAD 2002 @role, EAD3 @relator; words or MARC relator codes) that make a name in
<controlaccess> a creator of the unit, as ICA-AtoM and ArchivesSpace write creators there too."""

QUIET = frozenset({"did", "dsc", "head", "thead", "runner", "repository", "unitid"})
"""Parts of a unit that need no place of their own, so are not reported as not imported."""

ADMINISTRATIVE_ODD = frozenset({
    "publicationstatus", "statusdescription", "levelofdetail", "descriptionidentifier",
    "institutionidentifier", "sources", "languageofdescription", "scriptofdescription",
})
"""<odd type="…"> that AtoM writes about its own record (published or draft, level of detail),
not about the material: read as nothing, since the imported units get Arkiv's own status."""

IGNORED_UNITIDS = frozenset({"aspace_uri", "ark", "ark-superseded"})
"""<unitid type="…"> (EAD3: localtype) that are addresses in the exporting system, not codes."""

