"""EAD3 (ead3.xsd, SAA EAD3 1.1.1): the finding aid in the current version of the standard.

One method per part of the document (ArchivesSpace's serialize_control, serialize_did, …), each
building one small element from a prepared `model.Unit`. Languages are written as ISO 639-2/B
codes (control/@langencoding), scripts as ISO 15924, as EAD3's schematron expects; dates that
Arkiv can read are structured (<unitdatestructured>, ISO 8601 in @standarddate, the form as
written in @altrender), the others given as written (<unitdate>). Extents stay free text
(<physdesc>): a <physdescstructured> needs a quantity and a unit type that a free-text extent
does not reliably give.
"""
from django.conf import settings

from . import model
from .writing import Writer

NAMESPACE = "http://ead3.archivists.org/schema/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NAMESPACE} https://www.loc.gov/ead/ead3.xsd"
ISADG = "ISAD(G): General International Standard Archival Description, Second Edition (ICA, 2000)"


class EAD3(Writer):
    namespace = NAMESPACE
    nsmap = {None: NAMESPACE, "xsi": NS_XSI}

    def root_attributes(self, top):
        return {"audience": "external", f"{{{NS_XSI}}}schemaLocation": SCHEMA_LOCATION}

    # <control>
    def header(self, top):
        control = self.E("control", langencoding="iso639-2b", scriptencoding="iso15924", countryencoding="iso3166-1",
                         dateencoding="iso8601", repositoryencoding="iso15511")
        self.S(control, "recordid", top.identifier, instanceurl=top.page)
        if top.page:
            self.S(control, "representation", top.title, href=top.page, linktitle=top.title, localtype="html")
        self.S(self.S(self.S(control, "filedesc"), "titlestmt"), "titleproper", top.title)
        self.S(control, "maintenancestatus", value="derived")
        agency = self.S(control, "maintenanceagency", countrycode=settings.ARKIV_COUNTRY_CODE)
        self.S(agency, "agencycode", self.agency_code)
        self.S(agency, "agencyname", settings.ARKIV_REPOSITORY_NAME)
        declared = self.S(control, "languagedeclaration")
        language = model.language(settings.ARKIV_CATALOGUE_LANGUAGE)
        self.S(declared, "language", language.name, langcode=language.code or None)
        self.S(declared, "script", scriptcode=model.script_code(language.tag))
        convention = self.S(control, "conventiondeclaration")
        self.S(convention, "abbr", "ISAD(G)")
        self.S(convention, "citation", ISADG)
        self.S(self.S(control, "maintenancehistory"), "maintenanceevent").extend(self.maintenance_event())
        return [control]

    def maintenance_event(self):
        return [
            self.E("eventtype", value="derived"),
            self.E("eventdatetime", self.now_text, standarddatetime=self.now_text),
            self.E("agenttype", value="machine"),
            self.E("agent", "Arkiv"),
        ]

    # <did> and the notes
    def description(self, unit, parent):
        self.did(unit, parent)
        for history in unit.histories:
            self.note(parent, "bioghist", [model.Paragraphs("", history.paragraphs)], head=history.name)
        self.notes(parent, "custodhist", unit.archival_history)
        self.notes(parent, "scopecontent", unit.scope)
        if unit.arrangement:
            self.note(parent, "arrangement", [model.Paragraphs("", unit.arrangement)])
        self.notes(parent, "accessrestrict", unit.access)
        self.notes(parent, "userestrict", unit.reproduction)
        self.notes(parent, "relatedmaterial", unit.related)
        access_points = unit.access_points
        if access_points:
            controlaccess = self.S(parent, "controlaccess")
            for name in access_points:
                self.name(controlaccess, name)

    def did(self, unit, parent):
        did = self.S(parent, "did")
        self.S(did, "unitid", unit.reference_code, countrycode=settings.ARKIV_COUNTRY_CODE,
               repositorycode=self.agency_code, identifier=unit.identifier)
        for title, lang in unit.titles:
            self.S(did, "unittitle", title, lang=model.language_code(lang))
        if unit.date:
            self.date(did, unit.date)
        for term, value in unit.extents:
            self.S(did, "physdesc", value, localtype=term)
        for creator in unit.creators:
            self.name(self.S(did, "origination", label="Creator"), creator)
        languages = unit.languages
        if languages:
            langmaterial = self.S(did, "langmaterial")
            for language in languages:
                self.S(langmaterial, "language", language.name, langcode=language.code)
        if unit.depth == 0:
            repository = self.S(did, "repository")
            self.S(self.S(repository, "corpname"), "part", settings.ARKIV_REPOSITORY_NAME)
        for digital_object in unit.digital_objects:
            self.S(did, "dao", daotype="derived", href=digital_object.href, linktitle=digital_object.title,
                   localtype=digital_object.mime_type)
        return did

    def date(self, parent, date):
        ends = date.ends
        if ends is None:
            return self.S(parent, "unitdate", date.written)
        structured = self.S(parent, "unitdatestructured", altrender=date.written)
        start, end = ends
        if start == end:
            self.S(structured, "datesingle", start, standarddate=start)
            return structured
        span = self.S(structured, "daterange")
        if start:
            self.S(span, "fromdate", start, standarddate=start)
        if end:
            self.S(span, "todate", end, standarddate=end)
        return structured

    def name(self, parent, name):
        element = self.S(parent, name.element, identifier=name.uri, source=name.source)
        self.S(element, "part", name.label)
        return element

    def notes(self, parent, element_name, notes):
        if notes:
            self.note(parent, element_name, notes)

    def note(self, parent, element_name, notes, *, head=None):
        """One element holding the paragraphs of each statement, each <p> in its language."""
        element = self.S(parent, element_name)
        if head:
            self.S(element, "head", head)
        for note in notes:
            lang = model.language_code(note.lang)
            for paragraph in note.paragraphs:
                self.S(element, "p", paragraph, lang=lang)
        return element
