"""apeEAD: every export validates against apeEAD.xsd (the `export` fixture checks each one), how
each element is mapped within the profile's limits, and settings the profile cannot take."""
import pytest

from catalog.exports import ead
from catalog.exports.ead.apeead import BAD_AGENCY_CODE, BAD_COUNTRY_CODE
from catalog.models import Item

from .conftest import SITE, state

pytestmark = pytest.mark.django_db

ARCHDESC = "/e:ead/e:archdesc"
TOP = f"{ARCHDESC}/e:did"


def component(reference):
    return f"//e:c[e:did/e:unitid='NO ARKIV {reference}']"


@pytest.mark.parametrize("identifier", ["kf", "kf-a", "kf-a-1", "kf-a-1-3", "kf-c"])
@pytest.mark.parametrize("site_url", ["", SITE])
def test_every_export_validates(export, fonds, identifier, site_url):
    export(Item.objects.get(identifier=identifier), "apeead", site_url=site_url)


def test_how_the_finding_aid_is_identified(apeead, values, settings):
    assert values(apeead, "/e:ead/e:eadheader/e:eadid/@identifier") == ["NO-ARKIV_kf"]
    assert values(apeead, "/e:ead/e:eadheader/e:eadid/@mainagencycode") == ["NO-ARKIV"]
    assert values(apeead, "/e:ead/e:eadheader/e:eadid/@countrycode") == [settings.ARKIV_COUNTRY_CODE]


def test_how_the_top_is_typed(apeead, values):
    assert values(apeead, f"{ARCHDESC}/@type") == ["inventory"]


def test_the_top_is_a_fonds_whatever_its_level_as_the_profile_allows_nothing_else(export, fonds, values):
    document = export(Item.objects.get(identifier="kf-a"), "apeead")
    assert values(document, f"{ARCHDESC}/@level") == ["fonds"]


def test_how_the_reference_code_is_mapped(apeead, values):
    assert values(apeead, f"{component('KF/A/1')}/e:did/e:unitid/@type") == ["call number"]


def test_how_a_level_of_the_archives_own_is_mapped(apeead, values):
    # @otherlevel is an NMTOKEN in the profile: no spaces or brackets.
    assert values(apeead, f"{component('KF/C')}/@otherlevel") == ["Photo_album_bound"]


def test_how_a_date_range_is_normalised(apeead, values):
    assert values(apeead, f"{component('KF/A')}/e:did/e:unitdate/@normal") == ["1944-10/1945-09"]


def test_how_a_date_with_an_open_end_is_mapped(apeead, values):
    # The profile's pattern has no open ends: the date is given as written only.
    assert values(apeead, f"{component('KF/A/2')}/e:did/e:unitdate") == ["1944/.."]
    assert values(apeead, f"{component('KF/A/2')}/e:did/e:unitdate/@normal") == []


def test_how_extent_and_medium_are_mapped(apeead, values):
    assert values(apeead, f"{TOP}/e:physdesc/e:extent") == ["2 boxes"]
    assert values(apeead, f"{TOP}/e:physdesc/e:physfacet") == ["paper"]


def test_how_a_creator_with_a_record_is_mapped(apeead, values):
    assert values(apeead, f"{TOP}/e:origination/e:corpname/@authfilenumber") == ["https://www.wikidata.org/wiki/Q483987"]


def test_how_the_creators_history_is_mapped(apeead, values):
    assert values(apeead, f"{ARCHDESC}/e:bioghist/e:head") == ["Sør-Varanger kommune"]


def test_how_scope_and_content_in_two_languages_is_mapped(apeead, values):
    assert values(apeead, f"{ARCHDESC}/e:scopecontent/e:p") == [
        "Records of the municipality during the liberation.", "Kommunens arkiv fra frigjøringen.",
    ]


def test_how_the_languages_of_the_material_are_mapped(apeead, values):
    assert values(apeead, f"{TOP}/e:langmaterial/e:language/@scriptcode") == ["Latn", "Cyrl"]


def test_a_language_outside_the_profiles_list_is_named_without_a_code(export, fonds, values):
    state(fonds, "language", "fkv")  # Kven: ISO 639-3 only
    document = export(fonds, "apeead")
    assert values(document, f"{TOP}/e:langmaterial/e:language[not(@langcode)]") == ["Kven Finnish"]


def test_how_a_linked_place_is_mapped(apeead, values):
    assert values(apeead, f"{ARCHDESC}/e:controlaccess/e:geogname/@authfilenumber") == ["https://sws.geonames.org/779683/"]


def test_how_a_public_image_is_mapped(apeead, values):
    assert values(apeead, f"{component('KF/A/1/3')}/e:did/e:dao/@xlink:role") == ["IMAGE"]


def test_a_draft_series_and_everything_below_it_are_left_out(apeead, values):
    assert values(apeead, "//e:unitid[contains(., 'KF/B')]") == []


def test_an_agency_code_the_profile_cannot_take_is_refused_with_the_fix(settings):
    settings.ARKIV_REPOSITORY_CODE = "A REPOSITORY"
    with pytest.raises(ead.NotExportable) as refused:
        ead.get("apeead")
    assert str(refused.value) == BAD_AGENCY_CODE % {"code": "NO-A REPOSITORY"}
    assert ead.get("ead3")  # EAD3 takes any code


def test_a_country_code_the_profile_cannot_take_is_refused_with_the_fix(settings):
    settings.ARKIV_COUNTRY_CODE = "Norway"
    with pytest.raises(ead.NotExportable, match="ARKIV_COUNTRY_CODE") as refused:
        ead.get("apeead")
    assert str(BAD_COUNTRY_CODE % {"code": "Norway"}) in str(refused.value)


def test_manage_py_check_warns_of_codes_the_profile_cannot_take(settings):
    from catalog.exports.ead.checks import check_apeead_codes

    assert check_apeead_codes() == []
    settings.ARKIV_COUNTRY_CODE = "Norway"
    assert [warning.id for warning in check_apeead_codes()] == ["arkiv.ead.W001", "arkiv.ead.W001"]
