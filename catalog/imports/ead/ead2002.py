"""EAD 2002 (urn:isbn:1-931666-22-9, or no namespace): what AtoM and ArchivesSpace export.

Dates are <unitdate normal="1918/1941">1918 - 1941</unitdate>: the normal form when there is
one (EDTF-like already), else the text as written. An extent is <physdesc> with <extent>,
<physfacet>, <dimensions> and <genreform> inside, or plain text (AtoM writes "24 cm of
textual records." as the whole <physdesc>). Names are text. The description's language is
eadheader/profiledesc/langusage/language/@langcode.
"""
from . import mapping
from .base import Reader, edtf, element_text, language_tag
from .text import collapse_text, local_name

EXTENT_PARTS = {"extent": "extent", "dimensions": "extent", "physfacet": "medium", "genreform": "type"}


class Ead2002(Reader):
    version = "2002"
    rules = mapping.EAD2002

    def description_language(self):
        language = self.find(self.root, "eadheader/profiledesc/langusage/language")
        return language_tag(language.get("langcode", "")) if language is not None else ""

    def eadid(self):
        return element_text(self.find(self.root, "eadheader/eadid"))

    def name(self, element):
        return " ".join(collapse_text(element).split())

    def dates(self, element):
        normal = element.get("normal", "").strip()
        return [edtf(normal)] if normal else [" ".join(collapse_text(element).split())]

    def extents(self, physdesc):
        parts = [child for child in physdesc if isinstance(child.tag, str)]
        loose = (physdesc.text or "") + "".join(child.tail or "" for child in parts)
        if loose.strip() or not parts:
            # Prose ("1 photograph: 8 x 10 inches"), maybe with tagged words in it: one extent.
            return [("extent", " ".join(collapse_text(physdesc).split()))]
        return [
            (EXTENT_PARTS[local_name(part)], " ".join(collapse_text(part).split()))
            for part in parts if local_name(part) in EXTENT_PARTS
        ]
