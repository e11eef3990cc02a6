"""EAD3 (http://ead3.archivists.org/schema/): the version Arkiv writes, and newer exporters.

Dates come as <unitdate normal="…"> as in EAD 2002, or structured: <unitdatestructured> with
<datesingle standarddate="…"> or <daterange> of <fromdate>/<todate>, or a <dateset> of those.
An extent is <physdescstructured> (quantity and unit type, with dimensions and physfacet),
grouped in <physdescset>, or plain <physdesc>. A name is made of <part>s. Elements carry @lang;
the description's language is control/languagedeclaration/language/@langcode.
"""
from . import mapping
from .base import Reader, edtf, element_text, language_tag
from .text import collapse_text, joined_text, local_name


class Ead3(Reader):
    version = "ead3"
    rules = mapping.EAD3

    def description_language(self):
        language = self.find(self.root, "control/languagedeclaration/language")
        if language is not None and language_tag(language.get("langcode", "")):
            return language_tag(language.get("langcode"))
        control = self.find(self.root, "control")
        return language_tag(control.get("lang", "")) if control is not None else ""

    def eadid(self):
        return element_text(self.find(self.root, "control/recordid"))

    def name(self, element):
        parts = self.findall(element, "part")
        return joined_text(parts) if parts else " ".join(collapse_text(element).split())

    def dates(self, element):
        if local_name(element) == "unitdate":
            normal = element.get("normal", "").strip()
            return [edtf(normal)] if normal else [" ".join(collapse_text(element).split())]
        found = []
        for date in element.iter():
            name = local_name(date) if isinstance(date.tag, str) else ""
            if name == "datesingle":
                found.append(self._standard(date))
            elif name == "daterange":
                start, end = self.find(date, "fromdate"), self.find(date, "todate")
                found.append(edtf(f"{self._standard(start) or '..'}/{self._standard(end) or '..'}"))
        return [date for date in found if date]

    def _standard(self, element):
        if element is None:
            return ""
        return element.get("standarddate", "").strip() or " ".join(collapse_text(element).split())

    def extents(self, element):
        name = local_name(element)
        if name == "physdesc":
            return [("extent", " ".join(collapse_text(element).split()))]
        if name == "physdescset":
            return [found for part in self.findall(element, "physdescstructured") for found in self.extents(part)]
        quantity = element_text(self.find(element, "quantity"))
        unit_type = element_text(self.find(element, "unittype"))
        found = [("extent", " ".join(filter(None, (quantity, unit_type))))]
        found += [("extent", element_text(part)) for part in self.findall(element, "dimensions")]
        found += [("medium", element_text(part)) for part in self.findall(element, "physfacet")]
        return [(term, text) for term, text in found if text]
