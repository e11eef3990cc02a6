"""EAD3: every export validates against ead3.xsd (the `export` fixture checks each one), and how
each ISAD(G) element is mapped, one field against one XPath (ArchivesSpace's export_ead3_spec)."""
import pytest

from catalog.models import Item

from .conftest import SITE

pytestmark = pytest.mark.django_db

ARCHDESC = "/e:ead/e:archdesc"
TOP = f"{ARCHDESC}/e:did"


def component(identifier):
    """The <c> of a unit, found by its unitid's @identifier."""
    return f"//e:c[e:did/e:unitid/@identifier='{identifier}']"


# --- validity ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("identifier", ["kf", "kf-a", "kf-a-1", "kf-a-1-3", "kf-c"])
@pytest.mark.parametrize("site_url", ["", SITE])
def test_every_export_validates(export, fonds, identifier, site_url):
    export(Item.objects.get(identifier=identifier), "ead3", site_url=site_url)


# --- how the control section is mapped ---------------------------------------------------------------

def test_how_the_record_is_identified(ead3, values):
    assert values(ead3, "/e:ead/e:control/e:recordid") == ["kf"]
    assert values(ead3, "/e:ead/e:control/e:recordid/@instanceurl") == [f"{SITE}/items/kf/"]


def test_how_the_title_of_the_finding_aid_is_mapped(ead3, values):
    assert values(ead3, "/e:ead/e:control/e:filedesc/e:titlestmt/e:titleproper") == ["Kirkenes municipality archive"]


def test_how_the_maintenance_agency_is_mapped(ead3, values, settings):
    assert values(ead3, "/e:ead/e:control/e:maintenanceagency/e:agencycode") == [
        f"{settings.ARKIV_COUNTRY_CODE}-{settings.ARKIV_REPOSITORY_CODE}"
    ]
    assert values(ead3, "/e:ead/e:control/e:maintenanceagency/e:agencyname") == [settings.ARKIV_REPOSITORY_NAME]


def test_how_the_maintenance_history_is_mapped(ead3, values):
    assert values(ead3, "/e:ead/e:control/e:maintenancehistory/e:maintenanceevent/e:eventtype/@value") == ["derived"]


def test_how_the_language_of_the_description_is_declared(ead3, values, settings):
    assert settings.ARKIV_CATALOGUE_LANGUAGE == "en"
    assert values(ead3, "/e:ead/e:control/e:languagedeclaration/e:language/@langcode") == ["eng"]


# --- how the identity of a unit is mapped ------------------------------------------------------------

def test_how_the_level_is_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/@level") == ["fonds"]
    assert values(ead3, f"{component('kf-a-1')}/@level") == ["file"]


def test_how_a_level_of_the_archives_own_is_mapped(ead3, values):
    assert values(ead3, f"{component('kf-c')}/@level") == ["otherlevel"]
    assert values(ead3, f"{component('kf-c')}/@otherlevel") == ["Photo album (bound)"]


def test_how_the_reference_code_is_mapped(ead3, values, settings):
    assert values(ead3, f"{component('kf-a-1')}/e:did/e:unitid") == ["NO ARKIV KF/A/1"]
    assert values(ead3, f"{component('kf-a-1')}/e:did/e:unitid/@countrycode") == [settings.ARKIV_COUNTRY_CODE]


def test_how_titles_in_two_languages_are_mapped(ead3, values):
    assert values(ead3, f"{component('kf-a-1-2')}/e:did/e:unittitle/@lang") == ["eng", "nob"]
    assert values(ead3, f"{component('kf-a-1-2')}/e:did/e:unittitle[@lang='nob']") == ["Brev fra Kirkenes"]


def test_how_a_date_range_is_mapped(ead3, values):
    assert values(ead3, f"{component('kf-a')}/e:did/e:unitdatestructured/e:daterange/e:fromdate/@standarddate") == ["1944-10"]
    assert values(ead3, f"{component('kf-a')}/e:did/e:unitdatestructured/e:daterange/e:todate/@standarddate") == ["1945-09"]


def test_how_the_date_as_written_is_kept(ead3, values):
    assert values(ead3, f"{component('kf-a')}/e:did/e:unitdatestructured/@altrender") == ["1944-10/1945-09"]


def test_how_a_date_with_an_open_end_is_mapped(ead3, values):
    assert values(ead3, f"{component('kf-a-2')}/e:did/e:unitdatestructured/e:daterange/e:fromdate/@standarddate") == ["1944"]
    assert values(ead3, f"{component('kf-a-2')}/e:did/e:unitdatestructured/e:daterange/e:todate") == []


def test_how_an_unreadable_date_is_mapped(ead3, values):
    assert values(ead3, f"{component('kf-a-1')}/e:did/e:unitdate") == ["the year the bridge opened"]


def test_how_extent_and_medium_are_mapped(ead3, values):
    assert values(ead3, f"{TOP}/e:physdesc") == ["2 boxes", "paper"]


# --- how context is mapped ---------------------------------------------------------------------------

def test_how_a_creator_with_a_record_is_mapped(ead3, values):
    assert values(ead3, f"{TOP}/e:origination/e:corpname/e:part") == ["Sør-Varanger kommune"]
    assert values(ead3, f"{TOP}/e:origination/e:corpname/@identifier") == ["https://www.wikidata.org/wiki/Q483987"]


def test_how_a_person_as_creator_is_mapped(ead3, values):
    assert values(ead3, f"{component('kf-a')}/e:did/e:origination/e:persname/e:part") == ["R. Karlsen"]


def test_how_a_creator_by_name_only_is_mapped(ead3, values):
    assert values(ead3, f"{component('kf-a-2')}/e:did/e:origination/e:name/e:part") == ["An unknown clerk"]


def test_how_the_creators_history_is_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:bioghist/e:p") == [
        "The municipality around Kirkenes, formed in 1858.", "Its town was rebuilt after 1945.",
    ]


def test_how_a_creators_history_is_given_once_down_a_path(ead3, values):
    # The series names the municipality again; the fonds above gives its history already.
    assert values(ead3, f"{component('kf-a')}/e:bioghist/e:head") == ["R. Karlsen"]


def test_how_the_archival_history_is_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:custodhist/e:p") == ["Transferred by the municipality in 1990."]


# --- how content and structure are mapped ------------------------------------------------------------

def test_how_scope_and_content_is_mapped(ead3, values):
    # The abstract, in both its languages; the description stands behind it.
    assert values(ead3, f"{ARCHDESC}/e:scopecontent/e:p/@lang") == ["eng", "nob"]
    assert values(ead3, f"{ARCHDESC}/e:scopecontent/e:p[@lang='nob']") == ["Kommunens arkiv fra frigjøringen."]


def test_how_the_system_of_arrangement_is_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:arrangement/e:p") == ["In three series by function.", "Each series by date."]


# --- how conditions of access and use are mapped -----------------------------------------------------

def test_how_conditions_of_access_are_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:accessrestrict/e:p") == ["Open to all."]


def test_how_conditions_of_reproduction_are_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:userestrict/e:p") == ["CC BY 4.0"]


def test_how_the_languages_of_the_material_are_mapped(ead3, values):
    assert values(ead3, f"{TOP}/e:langmaterial/e:language/@langcode") == ["nob", "rus"]


def test_how_related_material_is_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:relatedmaterial/e:p") == ["The county governor's archive."]


# --- how access points and files are mapped ----------------------------------------------------------

def test_how_a_linked_place_is_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:controlaccess/e:geogname/@identifier") == ["https://sws.geonames.org/779683/"]


def test_how_a_linked_subject_is_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:controlaccess/e:subject/e:part") == ["Liberation of Finnmark"]


def test_how_a_public_file_is_mapped(ead3, values):
    href = values(ead3, f"{component('kf-a-1-3')}/e:did/e:dao/@href")
    assert len(href) == 1 and href[0].startswith(f"{SITE}/files/")


def test_without_the_sites_address_there_are_no_links(export, fonds, values):
    document = export(fonds, "ead3")
    assert values(document, "//e:dao | //@instanceurl | //e:representation") == []


# --- how the arrangement is mapped -------------------------------------------------------------------

def test_how_the_hierarchy_is_mapped(ead3, values):
    assert values(ead3, f"{ARCHDESC}/e:dsc/e:c/e:did/e:unitid/@identifier") == ["kf-a", "kf-c"]
    assert values(ead3, f"{component('kf-a')}/e:c/e:did/e:unitid/@identifier") == ["kf-a-1", "kf-a-2"]


def test_units_follow_the_arrangement_order(ead3, values):
    assert values(ead3, f"{component('kf-a-1')}/e:c/e:did/e:unitid/@identifier") == ["kf-a-1-2", "kf-a-1-3", "kf-a-1-1"]


def test_a_draft_series_and_everything_below_it_are_left_out(ead3, values):
    assert values(ead3, "//e:unitid[contains(., 'KF/B')]") == []


def test_a_unit_without_units_below_has_no_dsc(export, fonds, values):
    document = export(Item.objects.get(identifier="kf-a-1-1"), "ead3")
    assert values(document, "//e:dsc") == []
