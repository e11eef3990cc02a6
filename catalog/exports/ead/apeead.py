"""apeEAD (apeEAD.xsd 1.5): the EAD 2002 profile Archives Portal Europe ingests.

EAD 2002's namespace (urn:isbn:1-931666-22-9) with xlink for links, and the profile's own
limits, which this writer follows rather than the portal's conversion tool repairing them:
- <archdesc level="fonds" type="inventory">: the profile allows "fonds" alone at the top, for
  the finding aid as a whole, so a finding aid of a series or a collection says "fonds" there
  (its own level is not lost: the components below keep theirs);
- <eadid> needs @countrycode, @mainagencycode ("NO-ARKIV": country, hyphen, a code of at most
  eleven letters, digits, ':', '/' or '-') and @identifier, which has to be unique at the
  portal: the agency code and the unit's identifier ("NO-ARKIV_kf");
- no @lang on titles or notes; language codes, script codes and country codes from closed
  lists (read from the vendored schema: validation.enumeration), a language outside them named
  in words only; dates normalised in @normal only where both ends are known (its pattern has
  no open ends);
- @otherlevel is an NMTOKEN: a level's name is written with its spaces and punctuation as "_";
- names are text with the record's URI in @authfilenumber; <dao> takes xlink:href, xlink:title
  and the portal's xlink:role (IMAGE, TEXT, SOUND, VIDEO, UNSPECIFIED).
Every element carries @encodinganalog with its ISAD(G) number, as the portal's own examples do.
"""
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from lxml import etree

from . import model, validation
from .writing import Writer

NAMESPACE = "urn:isbn:1-931666-22-9"
NS_XLINK = "http://www.w3.org/1999/xlink"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_FILE = "apeEAD.xsd"
SCHEMA_LOCATION = (
    f"{NAMESPACE} http://www.archivesportaleurope.net/Portal/profiles/apeEAD.xsd "
    f"{NS_XLINK} http://www.loc.gov/standards/xlink/xlink.xsd"
)

BAD_AGENCY_CODE = _(
    "Archives Portal Europe takes an agency code of a country code, a hyphen and at most eleven "
    "letters, digits, “:”, “/” or “-”, and “%(code)s” is not one: set ARKIV_COUNTRY_CODE and "
    "ARKIV_REPOSITORY_CODE (the repository's ISIL) to such a code."
)
BAD_COUNTRY_CODE = _(
    "Archives Portal Europe takes an ISO 3166-1 country code, and ARKIV_COUNTRY_CODE is "
    "“%(code)s”: set it to the repository's country (“NO”)."
)

ROLES = (("image/", "IMAGE"), ("text/", "TEXT"), ("application/pdf", "TEXT"), ("audio/", "SOUND"), ("video/", "VIDEO"))
_NOT_NMTOKEN = re.compile(r"[^\w.\-:]+")
_NORMAL_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"


class ApeEAD(Writer):
    namespace = NAMESPACE
    nsmap = {None: NAMESPACE, "xlink": NS_XLINK, "xsi": NS_XSI}

    @classmethod
    def problems(cls):
        """What in the settings keeps a valid apeEAD from being written: messages."""
        found = []
        country = settings.ARKIV_COUNTRY_CODE
        if country not in validation.enumeration(SCHEMA_FILE, "am.countrycode", "countrycode"):
            found.append(str(BAD_COUNTRY_CODE % {"code": country}))
        code = f"{country}-{settings.ARKIV_REPOSITORY_CODE}"
        if not re.fullmatch(validation.simple_type_pattern(SCHEMA_FILE, "data.repositorycode"), code):
            found.append(str(BAD_AGENCY_CODE % {"code": code}))
        return found

    def root_attributes(self, top):
        return {"audience": "external", f"{{{NS_XSI}}}schemaLocation": SCHEMA_LOCATION}

    # <eadheader>
    def header(self, top):
        header = self.E("eadheader", langencoding="iso639-2b", scriptencoding="iso15924", dateencoding="iso8601",
                        countryencoding="iso3166-1", repositoryencoding="iso15511", relatedencoding="MARC21")
        self.S(header, "eadid", top.identifier, countrycode=settings.ARKIV_COUNTRY_CODE,
               mainagencycode=self.agency_code, identifier=f"{self.agency_code}_{top.identifier}", url=top.page)
        filedesc = self.S(header, "filedesc")
        self.S(self.S(filedesc, "titlestmt"), "titleproper", top.title, encodinganalog="245")
        self.S(self.S(filedesc, "publicationstmt"), "publisher", settings.ARKIV_REPOSITORY_NAME)
        profile = self.S(header, "profiledesc")
        creation = self.S(profile, "creation", "Derived from the catalogue by Arkiv: ")
        self.S(creation, "date", self.now.date().isoformat(), normal=self.now.date().isoformat())
        language = model.language(settings.ARKIV_CATALOGUE_LANGUAGE)
        usage = self.S(profile, "langusage")
        self.language(usage, language)
        self.S(profile, "descrules", "ISAD(G) second edition")
        return [header]

    def archdesc_attributes(self, top):
        return {"level": "fonds", "type": "inventory", "encodinganalog": "3.1.4", "relatedencoding": "ISAD(G)v2"}

    def component_attributes(self, unit):
        attributes = self.level_attributes(unit)
        if "otherlevel" in attributes:
            attributes["otherlevel"] = _NOT_NMTOKEN.sub("_", attributes["otherlevel"]).strip("_") or "otherlevel"
        return {**attributes, "encodinganalog": "3.1.4"}

    def dsc_attributes(self):
        return {"type": "othertype"}

    # <did> and the notes
    def description(self, unit, parent):
        self.did(unit, parent)
        for history in unit.histories:
            self.note(parent, "bioghist", history.paragraphs, head=history.name, encodinganalog="3.2.2")
        self.notes(parent, "custodhist", unit.archival_history, "3.2.3")
        self.notes(parent, "scopecontent", unit.scope, "3.3.1")
        if unit.arrangement:
            self.note(parent, "arrangement", unit.arrangement, encodinganalog="3.3.4")
        self.notes(parent, "accessrestrict", unit.access, "3.4.1")
        self.notes(parent, "userestrict", unit.reproduction, "3.4.2")
        self.notes(parent, "relatedmaterial", unit.related, "3.5.3")
        access_points = unit.access_points
        if access_points:
            controlaccess = self.S(parent, "controlaccess")
            for name in access_points:
                self.name(controlaccess, name)

    def did(self, unit, parent):
        did = self.S(parent, "did")
        self.S(did, "unitid", unit.reference_code, type="call number", encodinganalog="3.1.1")
        for title, _lang in unit.titles:
            self.S(did, "unittitle", title, encodinganalog="3.1.2")
        if unit.date:
            self.S(did, "unitdate", unit.date.written, normal=self.normal(unit.date), encodinganalog="3.1.3")
        for term, value in unit.extents:
            physdesc = self.S(did, "physdesc", encodinganalog="3.1.5")
            self.S(physdesc, "extent" if term == "extent" else "physfacet", value)
        for creator in unit.creators:
            self.name(self.S(did, "origination", label="Creator", encodinganalog="3.2.1"), creator)
        languages = unit.languages
        if languages:
            langmaterial = self.S(did, "langmaterial", encodinganalog="3.4.3")
            for language in languages:
                self.language(langmaterial, language)
        if unit.depth == 0:
            self.S(self.S(did, "repository"), "corpname", settings.ARKIV_REPOSITORY_NAME)
        for digital_object in unit.digital_objects:
            self.dao(did, digital_object)
        return did

    def dao(self, parent, digital_object):
        element = etree.SubElement(parent, self.q("dao"), nsmap={"xlink": NS_XLINK})
        for name, value in (
            ("type", "simple"), ("href", digital_object.href), ("title", digital_object.title),
            ("role", self.role(digital_object.mime_type)),
        ):
            element.set(f"{{{NS_XLINK}}}{name}", value)
        return element

    def normal(self, date):
        """@normal where both ends are known: the profile's pattern has no open ends."""
        ends = date.ends
        if not ends or not all(ends) or not all(re.fullmatch(_NORMAL_DATE, end) for end in ends):
            return None
        start, end = ends
        return start if start == end else f"{start}/{end}"

    def language(self, parent, language):
        codes = validation.enumeration(SCHEMA_FILE, "am.langcode", "langcode")
        scripts = validation.enumeration(SCHEMA_FILE, "language", "scriptcode")
        script = model.script_code(language.tag) if language.code in codes else ""
        return self.S(
            parent, "language", language.name, langcode=language.code if language.code in codes else None,
            scriptcode=script if script in scripts else None,
        )

    def name(self, parent, name):
        return self.S(parent, name.element, name.label, authfilenumber=name.uri)

    @staticmethod
    def role(mime_type):
        return next((role for prefix, role in ROLES if mime_type.startswith(prefix)), "UNSPECIFIED")

    def notes(self, parent, element_name, notes, encodinganalog):
        """One element holding every statement's paragraphs (apeEAD has no @lang to tell them
        apart, so they follow in stored order)."""
        found = [paragraph for note in notes for paragraph in note.paragraphs]
        if found:
            self.note(parent, element_name, found, encodinganalog=encodinganalog)

    def note(self, parent, element_name, paragraphs, *, head=None, encodinganalog=None):
        element = self.S(parent, element_name, encodinganalog=encodinganalog)
        if head:
            self.S(element, "head", head)
        for paragraph in paragraphs:
            self.S(element, "p", paragraph)
        return element
