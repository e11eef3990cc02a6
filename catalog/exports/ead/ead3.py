"""EAD3 (ead3.xsd, SAA 1.1.1): the finding aid in the current version of the standard."""
from django.conf import settings

from .writing import Writer

NAMESPACE = "http://ead3.archivists.org/schema/"


class EAD3(Writer):
    namespace = NAMESPACE
    nsmap = {None: NAMESPACE}

    def header(self, top):
        control = self.E("control")
        self.S(control, "recordid", top.identifier)
        titlestmt = self.S(self.S(control, "filedesc"), "titlestmt")
        self.S(titlestmt, "titleproper", top.sort_title or top.identifier)
        self.S(control, "maintenancestatus", value="derived")
        agency = self.S(control, "maintenanceagency", countrycode=settings.ARKIV_COUNTRY_CODE)
        self.S(agency, "agencycode", self.agency_code)
        self.S(agency, "agencyname", settings.ARKIV_REPOSITORY_NAME)
        event = self.S(self.S(control, "maintenancehistory"), "maintenanceevent")
        self.S(event, "eventtype", value="derived")
        self.S(event, "eventdatetime", self.now.isoformat(timespec="seconds"), standarddatetime=self.now.isoformat(timespec="seconds"))
        self.S(event, "agenttype", value="machine")
        self.S(event, "agent", "Arkiv")
        return [control]

    def description(self, unit):
        did = self.E("did")
        self.S(did, "unitid", unit.reference_code)
        self.S(did, "unittitle", unit.sort_title or unit.identifier)
        return [did]
