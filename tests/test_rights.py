"""catalog/rights.py: the controlled list of rights statements and licences."""
import csv
import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from lxml import etree

from catalog import rights

KIT = Path(settings.BASE_DIR).parent / "shared" / "schemas" / "rights"
CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
BY_SA = "http://creativecommons.org/licenses/by-sa/4.0/"


def read(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_list_holds_the_twelve_statements_six_licences_cc0_and_the_mark_in_order():
    kinds = [statement.kind for statement in rights.STATEMENTS]
    assert (kinds.count("rightsstatement"), kinds.count("cc-licence"), kinds.count("cc0"), kinds.count("pdm")) == (12, 6, 1, 1)
    assert [statement.uri for statement in rights.STATEMENTS] == [row["uri"] for row in read(rights.RIGHTS_CSV)]
    assert rights.STATEMENTS[0] == (CNE, rights.STATEMENTS[0].label, "rightsstatement")


def test_every_label_is_the_lists_own_english_label():
    with translation.override("en"):
        assert [str(statement.label) for statement in rights.STATEMENTS] == [row["label"] for row in read(rights.RIGHTS_CSV)]


@pytest.mark.skipif(not KIT.exists(), reason="the shared schema kit is not beside the project")
@pytest.mark.parametrize("name", ["rights.csv", "europeana_accepted_rights.csv"])
def test_the_vendored_lists_are_the_kits_byte_for_byte(name):
    vendored = (rights.DATA / name).read_bytes()
    assert vendored == (KIT / name).read_bytes()
    assert hashlib.sha256(vendored).hexdigest() in (rights.DATA / "README.md").read_text()


def test_europeana_accepts_its_fourteen_and_no_other():
    accepted = [statement.uri for statement in rights.STATEMENTS if rights.europeana_accepts(statement.uri)]
    assert sorted(accepted) == sorted(row["uri"] for row in read(rights.EUROPEANA_CSV))
    assert len(accepted) == 14
    for refused in ("http://rightsstatements.org/vocab/UND/1.0/", "http://rightsstatements.org/vocab/NKC/1.0/",
                    "http://rightsstatements.org/vocab/InC-RUU/1.0/", "https://creativecommons.org/licenses/by/4.0/", ""):
        assert not rights.europeana_accepts(refused)


def test_labels_are_translated_and_unknown_uris_shown_as_themselves():
    with translation.override("nb"):
        assert rights.label(CNE) == "Opphavsrett ikke vurdert"
        assert rights.label(INC) == "Opphavsrettsbeskyttet"
    with translation.override("en"):
        assert rights.label(CNE) == "Copyright Not Evaluated"
    assert rights.label("http://example.org/licence") == "http://example.org/licence"
    assert rights.get("http://example.org/licence") is None and not rights.is_known("")
    assert rights.get(BY_SA).kind == "cc-licence" and rights.is_known(BY_SA)


@pytest.mark.parametrize("written", [
    CNE,
    "https://rightsstatements.org/vocab/CNE/1.0/",
    "http://rightsstatements.org/vocab/CNE/1.0",
    "https://rightsstatements.org/page/CNE/1.0/?language=en",
    "  rightsstatements.org/vocab/cne/1.0/ ",
])
def test_the_forms_people_paste_are_normalised_to_the_lists_uri(written):
    assert rights.normalise(written) == CNE


@pytest.mark.parametrize("written", [
    "https://creativecommons.org/licenses/by-sa/4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/deed.nb",
    "https://creativecommons.org/licenses/by-sa/4.0/legalcode",
    "http://www.creativecommons.org/licenses/by-sa/4.0/#",
])
def test_a_licences_deed_and_legal_code_are_the_licence(written):
    assert rights.normalise(written) == BY_SA


@pytest.mark.parametrize("written", [
    "", "   ", "In copyright", "http://creativecommons.org/licenses/by-sa/3.0/",
    "http://rightsstatements.org/vocab/InC/2.0/", "http://example.org/vocab/CNE/1.0/",
])
def test_what_is_not_in_the_list_normalises_to_nothing(written):
    assert rights.normalise(written) == ""


def test_the_nearest_uri_is_offered_for_a_misspelt_one_and_none_for_a_stranger():
    assert rights.nearest("http://rightsstatements.org/vocab/InC-EUD/1.0/") == "http://rightsstatements.org/vocab/InC-EDU/1.0/"
    assert rights.nearest("http://creativecommons.org/licences/by-sa/4.0/") == BY_SA
    assert rights.nearest("http://example.org/") is None
    assert rights.nearest("") is None


def test_a_uri_is_found_inside_free_text():
    assert rights.find_in("Copyright not evaluated (http://rightsstatements.org/vocab/CNE/1.0/)") == (
        CNE, "http://rightsstatements.org/vocab/CNE/1.0/")
    assert rights.find_in("Licensed https://creativecommons.org/licenses/by-sa/4.0.")[0] == BY_SA
    assert rights.find_in("© Russian Seven") is None
    assert rights.find_in("see http://creativecommons.org/licenses/by/2.0/") is None


@pytest.mark.parametrize("uri, short, group", [
    ("http://creativecommons.org/publicdomain/mark/1.0/", "PDM", "free"),
    ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0", "free"),
    ("http://creativecommons.org/licenses/by/4.0/", "CC BY", "free"),
    (BY_SA, "CC BY-SA", "free"),
    ("http://creativecommons.org/licenses/by-nc/4.0/", "CC BY-NC", "conditions"),
    ("http://creativecommons.org/licenses/by-nd/4.0/", "CC BY-ND", "conditions"),
    ("http://creativecommons.org/licenses/by-nc-sa/4.0/", "CC BY-NC-SA", "conditions"),
    ("http://creativecommons.org/licenses/by-nc-nd/4.0/", "CC BY-NC-ND", "conditions"),
    ("http://rightsstatements.org/vocab/InC-EDU/1.0/", "InC-EDU", "conditions"),
    ("http://rightsstatements.org/vocab/InC-NC/1.0/", "InC-NC", "conditions"),
    ("http://rightsstatements.org/vocab/NoC-NC/1.0/", "NoC-NC", "conditions"),
    ("http://rightsstatements.org/vocab/NoC-OKLR/1.0/", "NoC-OKLR", "conditions"),
    ("http://rightsstatements.org/vocab/NoC-CR/1.0/", "NoC-CR", "conditions"),
    ("http://rightsstatements.org/vocab/NoC-US/1.0/", "NoC-US", "conditions"),
    (INC, "InC", "permission"),
    ("http://rightsstatements.org/vocab/InC-RUU/1.0/", "InC-RUU", "permission"),
    ("http://rightsstatements.org/vocab/InC-OW-EU/1.0/", "InC-OW-EU", "permission"),
    (CNE, "CNE", "unknown"),
    ("http://rightsstatements.org/vocab/UND/1.0/", "UND", "unknown"),
    ("http://rightsstatements.org/vocab/NKC/1.0/", "NKC", "unknown"),
])
def test_each_statement_has_its_short_name_and_reuse_group(uri, short, group):
    assert (rights.short_name(uri), rights.reuse(uri)) == (short, group)
    assert uri in rights.uris_for_reuse(group)


def test_no_statement_or_an_unknown_one_is_unknown_and_the_groups_cover_the_list():
    assert rights.reuse("") == rights.reuse("http://example.org/") == "unknown"
    groups = [rights.uris_for_reuse(group) for group in rights.REUSE]
    assert sorted(uri for group in groups for uri in group) == sorted(statement.uri for statement in rights.STATEMENTS)


def test_licences_are_told_from_statements():
    assert [rights.is_licence(s.uri) for s in rights.STATEMENTS].count(True) == 8
    assert not rights.is_licence(CNE) and rights.is_licence(BY_SA) and not rights.is_licence("")


def test_the_badge_is_svg_with_the_short_name_named_for_screen_readers():
    with translation.override("nb"):
        badge = etree.fromstring(rights.icon(INC))
    svg = "{http://www.w3.org/2000/svg}"
    assert badge.tag == f"{svg}svg" and badge.get("role") == "img"
    assert badge.get("aria-label") == badge.find(f"{svg}title").text == "Opphavsrettsbeskyttet"
    assert badge.find(f"{svg}text").text == "InC"
    assert etree.fromstring(rights.icon(BY_SA)).find(f"{svg}text").text == "CC BY-SA"
    assert rights.icon("http://example.org/") == "" and rights.icon("") == ""


@pytest.mark.django_db
def test_the_demo_note_carries_its_uri_in_the_field_and_not_twice_in_the_text():
    from catalog.models import Item

    call_command("load_demo", verbosity=0, stdout=StringIO())
    note = Item.objects.get(identifier="finnmark-1945-note-0924")
    assert note.rights_uri == CNE
    assert not note.statements.filter(term="rights", value__contains="rightsstatements.org").exists()
    assert Item.objects.get(identifier="russian-seven-2020-red-army-europe").rights_uri == INC
    photo = Item.objects.get(identifier="finnmark-1945-photo-troops-leaving")
    assert (photo.rights_uri, photo.values("rights")[0].value) == ("", "Photograph: Sør-Varanger Museum")
    assert not Item.objects.exclude(rights_uri="").exclude(rights_uri__in=[s.uri for s in rights.STATEMENTS]).exists()


def test_a_badge_beside_its_label_is_hidden_from_screen_readers():
    badge = etree.fromstring(rights.icon(INC, decorative=True))
    assert badge.get("aria-hidden") == "true" and badge.get("role") is None and badge.get("aria-label") is None
    assert badge.find("{http://www.w3.org/2000/svg}title") is None
