"""The admin for an archivist whose language is Norwegian Bokmål: every page of Arkiv's admin,
rendered through the test client with Accept-Language nb, shows Arkiv's labels, help texts,
actions, filters and messages in Norwegian, and none of the English source strings of the
admin, the models, the forms and the services (taken from the nb catalogue, by the files the
strings come from)."""
import html
import re
from http import HTTPStatus

import polib
import pytest
from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.arrangement import jobs as arrangement_jobs
from catalog.models import Authority, Item, Statement
from catalog.services import item_withdraw
from tests.admin.arrangement_trees import make_tree, unit
from tests.admin.conftest import staff_user
from tests.factories import (
    AuthorityFactory, AuthorityLinkFactory, CollectionFactory, DigitalFileFactory, ItemFactory, StatementFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

# The sources whose strings this test holds the admin to (the others' pages have tests of their own).
SOURCES = (
    "catalog/admin/", "catalog/templates/admin/", "catalog/models/", "catalog/forms.py",
    "catalog/services.py", "catalog/validators.py", "catalog/apps.py",
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|%[sd]|\{\w*\}")


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def norwegian_editor(db):
    client = Client(headers={"accept-language": "nb"})
    client.force_login(staff_user("redaktor", "Editor"))
    return client


@pytest.fixture
def catalogue(db):
    """A little of everything the admin lists: items in every state, an unreadable and an open
    date, records of every kind with variants and links, collections, a file, a tombstone."""
    fonds = CollectionFactory(identifier="finnmark", title="Øst-Finnmark 1944–1945")
    CollectionFactory(identifier="dokumenter", title="Dokumenter", parent=fonds)
    person = AuthorityFactory(preferred_label="Igor Djakonov", agent_type="person", dates="1915-1999")
    VariantFactory(authority=person, label="Igor Diakonoff")
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes", latitude="69.7271", longitude="30.045")
    AuthorityLinkFactory(authority=place, source="geonames", uri="https://www.geonames.org/779683")
    AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Frigjøringen")
    note = ItemFactory(identifier="notat-1945", dcmi_type="Text", title="Notat om de sovjetiske styrkene")
    note.collections.add(fonds)
    StatementFactory(item=note, term="created", value="24. september 1945")
    StatementFactory(item=note, term="creator", value="Djakonov", authority=person)
    StatementFactory(item=note, term="spatial", value="Kirkenes", authority=place)
    DigitalFileFactory(item=note, label="side 1")
    unread = ItemFactory(identifier="brev-uten-dato", dcmi_type="Text", title="Brev")
    StatementFactory(item=unread, term="created", value="etter krigen")
    open_ended = ItemFactory(identifier="foto-1944", title="Bro")
    StatementFactory(item=open_ended, term="created", value="1944/..")
    gone = ItemFactory(identifier="trukket-1945", title="Trukket", status=Item.PUBLISHED)
    Item.objects.filter(pk=gone.pk).update(ever_published=True)
    gone.refresh_from_db()
    item_withdraw(item=gone)
    return {"note": note, "unread": unread, "open": open_ended, "person": person, "place": place, "fonds": fonds}


def import_preview(client):
    csv = (
        "identifier,type,status,dc:title@nb,dcterms:created\n"
        "notat-1945,Text,draft,Notat om de sovjetiske styrkene,24. september 1945\n"
        "ny-1945,Text,draft,Nytt brev,1945\n"
        "feil id!,Text,draft,Feil,1945\n"
    )
    upload = SimpleUploadedFile("liste.csv", csv.encode(), content_type="text/csv")
    response = client.post(url("catalog_item_import"), {"csv_file": upload})
    assert response.status_code == HTTPStatus.FOUND
    return client.get(response["Location"])


def pages(client, catalogue):
    """Every kind of page of Arkiv's admin, rendered for `client`."""
    note, person, place = catalogue["note"], catalogue["person"], catalogue["place"]
    gets = [
        url("index"), url("app_list", "catalog"),
        url("catalog_item_changelist"), url("catalog_item_changelist") + f"?authority={person.pk}",
        url("catalog_item_changelist") + "?decade=1940&status__exact=draft",
        url("catalog_item_change", note.pk), url("catalog_item_change", catalogue["unread"].pk),
        url("catalog_item_change", catalogue["open"].pk), url("catalog_item_add"),
        url("catalog_item_import"),
        url("catalog_authority_changelist"), url("catalog_authority_change", person.pk),
        url("catalog_authority_change", place.pk), url("catalog_authority_add"),
        url("catalog_agent_changelist"), url("catalog_agent_change", person.pk),
        url("catalog_place_changelist"), url("catalog_concept_changelist"),
        url("catalog_collection_changelist"), url("catalog_collection_change", catalogue["fonds"].pk),
        url("catalog_digitalfile_changelist"), url("catalog_digitalfile_change", note.files.get().pk),
        url("catalog_tombstone_changelist"),
        reverse("admin_language"),
    ]
    rendered = {}
    for address in gets:
        response = client.get(address)
        assert response.status_code == HTTPStatus.OK, address
        rendered[address] = response.content.decode()
    merge = client.post(url("catalog_authority_changelist"), {
        "action": "merge_authorities", helpers.ACTION_CHECKBOX_NAME: [person.pk, place.pk],
    }, follow=True)
    rendered["merge of two kinds"] = merge.content.decode()
    other = AuthorityFactory(preferred_label="I. Diakonoff")
    merge = client.post(url("catalog_authority_changelist"), {
        "action": "merge_authorities", helpers.ACTION_CHECKBOX_NAME: [person.pk, other.pk],
    })
    rendered["merge page"] = merge.content.decode()
    preview = import_preview(client)
    rendered["import preview"] = preview.content.decode()
    job = preview.wsgi_request.path
    client.post(job, {"skip_bad_rows": "on"})
    rendered["import summary"] = client.get(job).content.decode()
    merged = client.post(url("catalog_authority_changelist"), {
        "action": "merge_authorities", helpers.ACTION_CHECKBOX_NAME: [person.pk, other.pk],
        "apply": "yes", "target": person.pk,
    }, follow=True)
    rendered["merged"] = merged.content.decode()
    published = client.post(url("catalog_item_changelist"), {
        "action": "publish_items", helpers.ACTION_CHECKBOX_NAME: [note.pk, catalogue["unread"].pk],
    }, follow=True)
    rendered["publish action"] = published.content.decode()
    refused = client.post(url("catalog_collection_change", catalogue["fonds"].pk), {
        "title": "Øst-Finnmark", "identifier": "type", "position": "0",
    })
    rendered["collection refused"] = refused.content.decode()
    rendered.update(arrangement_pages(client))
    return rendered


def arrangement_pages(client):
    """The arrangement's pages (catalog/admin/arrangement.py) and the levels of description."""
    tree = make_tree()
    unit("kf-c", parent=tree["fonds"], level_code="series", code="C", status=Item.DRAFT)
    series, folder = tree["a"], tree["file"]
    user = User.objects.get(pk=client.session["_auth_user_id"])
    job = arrangement_jobs.Job.create(user=user, unit=tree["fonds"], description="…")
    job.progress(10, 40)
    gets = {
        "arrangements": url("catalog_item_arrangements"),
        "arrangement": url("catalog_item_arrangement", tree["fonds"].pk) + f"?open={series.pk}",
        "unit form": url("catalog_item_change", folder.pk),
        "move form": url("catalog_item_move", folder.pk),
        "job": reverse("admin:catalog_item_arrangement_job", kwargs={"token": job.token}),
    }
    # The levels are kept by administrators (the shipped groups have no permissions on them).
    administrator = Client(headers={"accept-language": "nb"})
    administrator.force_login(User.objects.create_superuser("administrator"))
    as_administrator = {
        "levels": url("catalog_level_changelist"),
        "level": url("catalog_level_change", series.level_id),
        "level in use": url("catalog_level_delete", series.level_id),
    }
    rendered = {}
    for name, address in [*gets.items(), *as_administrator.items()]:
        response = (administrator if name in as_administrator else client).get(address)
        assert response.status_code == HTTPStatus.OK, address
        rendered[name] = response.content.decode()
    rendered["move confirmation"] = client.post(url("catalog_item_move", folder.pk), {"parent": "kf-c"}).content.decode()
    rendered["move refused"] = client.post(url("catalog_item_move", series.pk), {"parent": "kf-a-1"}).content.decode()
    rendered["moved"] = client.post(
        url("catalog_item_move", folder.pk), {"parent": "kf-b", "confirm": "yes"}, follow=True,
    ).content.decode()
    rendered["reordered"] = client.post(
        url("catalog_item_order", tree["fonds"].pk), {"down": series.pk}, follow=True,
    ).content.decode()
    return rendered


def english_sources():
    """The parts of every English msgid of SOURCES (split at placeholders) longer than one
    word, unless the Norwegian keeps them (names, codes)."""
    catalogue = polib.pofile(str(settings.LOCALE_PATHS[0] / "nb" / "LC_MESSAGES" / "django.po"))
    parts = set()
    for entry in catalogue:
        if not any(path.startswith(SOURCES) for path, _line in entry.occurrences):
            continue
        translations = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            for part in PLACEHOLDER.split(source):
                part = part.strip(" :;,.")
                if len(part.split()) > 1 and part not in translations:
                    parts.add(part)
    return parts


def test_the_english_sources_are_found_in_the_catalogue():
    parts = english_sources()
    assert "Merge selected records into one…" in parts
    assert "Only places have coordinates: clear latitude and longitude, or make this a place" in parts
    assert len(parts) > 150


def test_no_english_source_string_is_left_on_the_admin_pages_in_norwegian(norwegian_editor, catalogue):
    sources = english_sources()
    left = {
        page: sorted(part for part in sources if part in text or part in html.unescape(text))
        for page, text in pages(norwegian_editor, catalogue).items()
    }
    assert not any(left.values()), {page: parts for page, parts in left.items() if parts}


def test_the_admin_pages_in_norwegian_show_arkivs_labels(norwegian_editor, catalogue):
    rendered = pages(norwegian_editor, catalogue)
    note = catalogue["note"]
    expected = {
        url("index"): ["Arkiv demo catalogue: katalogisering", "Katalog", "Autoritetsposter", "Objekter",
                       "Slettemerker", "Digitale filer", "Samlinger", "Språk / <span lang=\"en\">Language</span>"],
        url("catalog_item_changelist"): [
            "Importer CSV", "Publiser valgte objekter", "Trekk valgte objekter tilbake fra offentligheten",
            "Eksporter valgte objekter som CSV", "Etter tiår", "1940-tallet", "Uten dato, eller med uleselig dato",
            "Etter digitale filer", "Med filer", "I ingen samling", "Utkast", "Publisert", "Trukket tilbake",
            "Finner en identifikator eller begynnelsen av den", "DCMI-type", "title=\"Datoen kunne ikke leses\"",
        ],
        url("catalog_item_changelist") + f"?authority={catalogue['person'].pk}": ["Etter autoritetspost", "Igor Djakonov"],
        url("catalog_item_change", note.pk): [
            "Dublin Core-opplysninger", "Fulltekst", "Om posten", "Dato slik Arkiv leser den",
            "«24. september 1945»: fra 1945-09-24 til 1945-09-24", "Identifikator", "Objektets faste identifikator",
            "Forhåndsvisning", "Fildetaljer", "Bildetekst", "Originalen kan lastes ned", "Digitale filer",
            "Autoritetsposten verdien står for",
        ],
        url("catalog_item_change", catalogue["unread"].pk): [
            "«etter krigen» kunne ikke leses, så objektet sorteres og filtreres ikke etter dato",
        ],
        url("catalog_item_change", catalogue["open"].pk): ["«1944/..»: fra 1944-01-01, åpen slutt"],
        url("catalog_item_add"): ["Kontrolleres og beskrives når du lagrer."],
        url("catalog_item_import"): [
            "Importer objekter fra CSV", "Last opp et regneark lagret som CSV", "CSV- eller EAD-fil", "Identifikator for det nye arkivet (EAD)", "Forhåndsvis importen",
            "Opprett autoritetsposter for navn som ikke finnes fra før",
        ],
        url("catalog_authority_changelist"): [
            "Slå sammen valgte poster til én…", "Lenkede objekter", "Variantformer", "Foretrukket navn",
            "Aktør (person eller organisasjon)", "Sted", "Søker i foretrukket navn", "1 objekt<",
        ],
        url("catalog_authority_change", catalogue["place"].pk): [
            "Merknader", "På det offentlige nettstedet", "Adressenavn", "Breddegrad",
            "Bare for steder: breddegrad i desimalgrader (WGS 84).",
            "Variantformer (andre skrivemåter, translitterasjoner, tidligere navn)",
            "Samme enhet i andre registre (Wikidata, VIAF, GeoNames …)", "Autoritetsregister",
        ],
        url("catalog_agent_changelist"): ["Aktører (personer og organisasjoner)", "Etter aktørtype"],
        url("catalog_place_changelist"): ["Steder", "Lengdegrad"],
        url("catalog_concept_changelist"): ["Begreper og hendelser"],
        url("catalog_collection_changelist"): ["OAI-sett", "Del av", "1 objekt"],
        url("catalog_digitalfile_changelist"): ["Størrelse", "Piksler", "Lastet opp", "MIME-type"],
        url("catalog_digitalfile_change", note.files.get().pk): ["EXIF (privat: publiseres aldri)"],
        url("catalog_tombstone_changelist"): ["Datostempel", "Objektet nå", "trukket tilbake"],
        reverse("admin_language"): ["Språk / Language", "Nettleserens språk", "norsk bokmål", "English", "Lagre"],
        "merge of two kinds": ["Utvalget blander Aktør (person eller organisasjon) og Sted"],
        "merge page": ["Slå sammen autoritetsposter", "Velg posten du vil beholde.", "Slå sammen med den valgte posten"],
        "import preview": [
            "Forhåndsvisning av liste.csv", "nytt objekt", "rad med feil", "Hopp over radene med feil",
            "«feil id!» kan ikke være en identifikator",
        ],
        "import summary": ["Importerte liste.csv: 1 nytt objekt, ", " rad med feil hoppet over.", "Importer en annen fil"],
        "merged": ["1 post er slått sammen med «Igor Djakonov». Navnet er nå en variantform"],
        "publish action": ["2 objekter er publisert."],
        "collection refused": ["«type» er navnet på OAI-PMH-sett Arkiv lager selv (DCMI-typer, arkiver): velg en annen kode."],
    }
    missing = {
        page: [text for text in texts if text not in html.unescape(rendered[page])]
        for page, texts in expected.items()
    }
    assert not any(missing.values()), {page: texts for page, texts in missing.items() if texts}


def test_the_arrangement_pages_in_norwegian(norwegian_editor, catalogue):
    rendered = {page: html.unescape(text) for page, text in arrangement_pages(norwegian_editor).items()}
    expected = {
        "arrangements": ["Ordninger", "Enhetene øverst i en ordning", "Enheter rett under", "Nivå"],
        "arrangement": [
            "Ordningen av KF", "Legg til en enhet under", "Flytt", "Referansekode", "3 enheter rett under",
            "Nr.", "Rekkefølge", "Plasser", "Flytt kf-b opp", "1, lukk", "Utkast", "Arkiv", "Serie", "Mappe",
        ],
        "unit form": ["Plass i ordningen", "Ordning", "Legg til en enhet under", "NO ARKIV KF/A/1", "Ordningsprinsipp"],
        "move form": ["Flytt kf-a-1", "Nytt sted: under", "Se hva flyttingen endrer", "flyttes sammen med alle enhetene under den"],
        "move confirmation": [
            "Flytte <strong>kf-a-1</strong> (KF/A/1) under <strong>kf-c</strong> (KF/C)?", "2 poster endres:", "kf-a-1 og den 1 enheten under den.",
            "2 publiserte enheter blir skjult for besøkende og høstere", "Flytt: 2 poster endres",
        ],
        "move refused": ["kf-a-1 ligger under kf-a i ordningen (eller er kf-a selv)"],
        "moved": ["Flyttet kf-a-1: referansekoden er nå NO ARKIV KF/B/1. 2 poster er endret for høstere."],
        "reordered": ["Plasserte kf-a som nummer 2 av 3 under KF."],
        "job": ["Endrer kf", "10 av de 40 enhetene under er ferdige (25 %).", "Se ordningen"],
        "levels": ["Beskrivelsesnivåer", "Navn på ditt språk", "EAD-nivå", "Stykke"],
        "level": ["Nivåets navn på engelsk"],
        "level in use": ["Nivået «Serie» kan ikke slettes:", "Serie er nivået til 3 enheter: gi dem et annet nivå først"],
    }
    missing = {page: [text for text in texts if text not in rendered[page]] for page, texts in expected.items()}
    assert not any(missing.values()), {page: texts for page, texts in missing.items() if texts}


def test_the_same_pages_stay_english_for_an_english_browser(catalogue):
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff_user("editor", "Editor"))
    page = html.unescape(client.get(url("catalog_item_changelist")).content.decode())
    assert "Publish selected items" in page and "By decade" in page and "1940s" in page
    assert "Objekter" not in page and "Publiser valgte objekter" not in page


def test_messages_and_errors_follow_the_archivists_language(norwegian_editor, catalogue):
    """A refusal raised deep in the services and the forms reaches the archivist in Norwegian."""
    untitled = ItemFactory(identifier="uten-tittel")
    Statement.objects.filter(item=untitled).delete()
    response = norwegian_editor.post(url("catalog_item_changelist"), {
        "action": "publish_items", helpers.ACTION_CHECKBOX_NAME: [untitled.pk],
    }, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["uten-tittel har ingen tittel: gi objektet en dc:title før du publiserer."]
