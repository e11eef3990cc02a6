import io
import json

import pytest
from PIL import Image

from catalog import imaging

from catalog.site import jsonld
from catalog.models import Authority, Item, Statement
from tests.factories import AuthorityFactory, AuthorityLinkFactory, CollectionFactory, ItemFactory, described_note

pytestmark = pytest.mark.django_db

BASE_URL = "https://arkiv.example.org"
SITE = "https://arkiv.example.org"
NOTE_URL = f"{SITE}/items/finnmark-1945-note-0924/"
NOTE_DESCRIPTION = (
    "Signed statement that the Soviet forces claimed no material compensation, kept the "
    "retreating German army from destroying homes, roads and bridges, spared 20,000–25,000 "
    "people from forced evacuation, and helped with food and rebuilding."
)


def described(item):
    return Item.objects.with_description().get(pk=item.pk)


def item_with(*statements, dcmi_type="Text", **fields):
    """An item whose statements are (term, value[, authority[, lang]]) tuples."""
    item = ItemFactory(dcmi_type=dcmi_type, **fields)
    for position, statement in enumerate(statements, start=1):
        term, value, authority, lang = statement + (None, None, None, "")[len(statement):]
        Statement.objects.create(
            item=item, term=term, value=value, authority=authority, lang=lang, position=position
        )
    return described(item)


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "darkslategray").save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


def test_the_note_as_schema_org():
    assert jsonld.item_jsonld(described_note(), base_url=BASE_URL) == {
        "@context": "https://schema.org",
        "@type": "ArchiveComponent",
        "@id": NOTE_URL,
        "url": NOTE_URL,
        "identifier": "finnmark-1945-note-0924",
        "additionalType": "http://purl.org/dc/dcmitype/Text",
        # The title in the reader's language (en), then the parallel title in Norwegian.
        "name": [
            {"@value": "Note on the Soviet forces in Eastern Finnmark", "@language": "en"},
            {"@value": "Notat om de sovjetiske styrkene i Øst-Finnmark", "@language": "nb"},
        ],
        "description": {"@value": NOTE_DESCRIPTION, "@language": "en"},
        "creator": [
            {"@type": "Person", "@id": f"{SITE}/authorities/agent/r-karlsen/", "name": "R. Karlsen",
             "url": f"{SITE}/authorities/agent/r-karlsen/"},
            {"@type": "Person", "@id": f"{SITE}/authorities/agent/p-lukin-griege/",
             "name": "P. Lukin-Griege", "url": f"{SITE}/authorities/agent/p-lukin-griege/"},
        ],
        "contributor": {
            "@type": "Person", "@id": f"{SITE}/authorities/agent/igor-diakonoff/",
            "name": "Igor Diakonoff", "url": f"{SITE}/authorities/agent/igor-diakonoff/",
        },
        "copyrightHolder": {
            "@type": "Organization", "@id": f"{SITE}/authorities/agent/national-archives-of-norway/",
            "name": "National Archives of Norway",
            "url": f"{SITE}/authorities/agent/national-archives-of-norway/",
        },
        "dateCreated": "1945-09-24",
        "about": {
            "@type": "DefinedTerm",
            "@id": f"{SITE}/authorities/concept/withdrawal-of-soviet-troops-from-norway/",
            "name": "Withdrawal of Soviet troops from Norway",
            "url": f"{SITE}/authorities/concept/withdrawal-of-soviet-troops-from-norway/",
        },
        "contentLocation": {
            "@type": "Place", "@id": f"{SITE}/authorities/place/kirkenes/", "name": "Kirkenes",
            "url": f"{SITE}/authorities/place/kirkenes/",
            "geo": {"@type": "GeoCoordinates", "latitude": 69.7271, "longitude": 30.045},
            "sameAs": "https://authority.example.org/place/kirkenes",
        },
        "inLanguage": "nb",
        "isPartOf": {
            "@type": "Collection", "@id": f"{SITE}/collections/documents/", "name": "Documents",
            "url": f"{SITE}/collections/documents/",
        },
        "holdingArchive": {"@type": "ArchiveOrganization", "name": "Arkiv demo catalogue", "url": f"{SITE}/"},
    }


@pytest.mark.parametrize(
    "dcmi_type, expected",
    [("StillImage", ["ArchiveComponent", "Photograph"]), ("Image", ["ArchiveComponent", "Photograph"]),
     ("Dataset", ["ArchiveComponent", "Dataset"]), ("Collection", ["ArchiveComponent", "Collection"]),
     ("Text", "ArchiveComponent"), ("PhysicalObject", "ArchiveComponent")],
)
def test_type_follows_the_dcmi_type(dcmi_type, expected):
    document = jsonld.item_jsonld(item_with(dcmi_type=dcmi_type), base_url=BASE_URL)
    assert document["@type"] == expected
    assert document["additionalType"] == f"http://purl.org/dc/dcmitype/{dcmi_type}"


def test_values_in_several_languages_keep_each_language():
    item = item_with(
        ("title", "Заметка", None, "ru"), ("description", "Unlabelled description"),
        title="Note",
    )
    document = jsonld.item_jsonld(item, base_url=BASE_URL)
    assert document["name"] == [{"@value": "Note", "@language": "en"}, {"@value": "Заметка", "@language": "ru"}]
    assert document["description"] == "Unlabelled description"


def test_refinements_dumb_down_where_schema_org_has_no_closer_property():
    item = item_with(
        ("abstract", "A summary."), ("tableOfContents", "1. Preamble 2. Signatures"),
        ("date", "1945-09"), ("coverage", "Autumn 1945"), ("temporal", "1944-1945"),
        ("issued", "May 2015"),
    )
    document = jsonld.item_jsonld(item, base_url=BASE_URL)
    assert document["description"] == ["A summary.", "1. Preamble 2. Signatures"]
    assert document["dateCreated"] == "1945-09"  # dc:date stands in when there is no dcterms:created
    assert document["datePublished"] == "2015-05"
    assert document["temporalCoverage"] == "1944-1945"
    assert "contentLocation" not in document  # free-text coverage may be a time as well as a place


def test_created_wins_over_date_and_unreadable_dates_are_left_out():
    both = item_with(("date", "1944"), ("created", "circa 1945"))
    assert jsonld.item_jsonld(both, base_url=BASE_URL)["dateCreated"] == "1945"
    ranged = item_with(("created", "1944-10/1945-09"))
    assert jsonld.item_jsonld(ranged, base_url=BASE_URL)["dateCreated"] == "1944-10/1945-09"
    unreadable = item_with(("created", "the winter after the liberation"))
    assert "dateCreated" not in jsonld.item_jsonld(unreadable, base_url=BASE_URL)


@pytest.mark.parametrize("written, iso", [("1944/", "1944/.."), ("../1945-05-08", "../1945-05-08"), ("udatert", None)])
def test_an_open_end_stays_open_and_an_undated_item_has_no_date(written, iso):
    # EDTF's parser made "1944/" 1944-1954.
    assert jsonld.item_jsonld(item_with(("created", written)), base_url=BASE_URL).get("dateCreated") == iso


def test_places_linked_from_spatial_or_coverage_become_places_and_plain_spatial_a_named_place():
    pechenga = AuthorityFactory(kind=Authority.PLACE, preferred_label="Pechenga")
    AuthorityLinkFactory(authority=pechenga, uri="https://authority.example.org/a")
    AuthorityLinkFactory(authority=pechenga, uri="https://authority.example.org/b")
    item = item_with(("coverage", "Petsamo", pechenga), ("spatial", "Jarfjord"))
    assert jsonld.item_jsonld(item, base_url=BASE_URL)["contentLocation"] == [
        {"@type": "Place", "@id": f"{SITE}/authorities/place/pechenga/", "name": "Pechenga",
         "url": f"{SITE}/authorities/place/pechenga/",
         "sameAs": ["https://authority.example.org/a", "https://authority.example.org/b"]},
        {"@type": "Place", "name": "Jarfjord"},
    ]


def test_unlinked_agents_are_names_and_agents_of_unknown_kind_are_things():
    unknown = AuthorityFactory(preferred_label="Red Army")
    item = item_with(("creator", "Konstantin Simonov"), ("publisher", "", unknown))
    document = jsonld.item_jsonld(item, base_url=BASE_URL)
    assert document["creator"] == "Konstantin Simonov"
    assert document["publisher"]["@type"] == "Thing"


def test_collections_and_is_part_of_statements_both_appear():
    item = item_with(("isPartOf", "Krasnaya Zvezda, 12 December 1944"))
    item.collections.create(identifier="press", title="Press cuttings")
    document = jsonld.item_jsonld(described(item), base_url=BASE_URL)
    assert document["isPartOf"] == [
        {"@type": "Collection", "@id": f"{SITE}/collections/press/", "name": "Press cuttings",
         "url": f"{SITE}/collections/press/"},
        "Krasnaya Zvezda, 12 December 1944",
    ]


def test_image_points_at_the_display_derivative_never_the_private_original():
    item = ItemFactory(dcmi_type="StillImage")
    digital_file = imaging.ingest(item=item, file=jpeg_bytes(), name="bridge.jpg", label="Jakobselv bridge")
    document = jsonld.item_jsonld(described(item), base_url=BASE_URL)
    assert document["image"] == {
        "@type": "ImageObject",
        "contentUrl": f"{SITE}{digital_file.url('display')}",
        "thumbnailUrl": f"{SITE}{digital_file.url('thumbnail')}",
        "caption": "Jakobselv bridge",
    }
    assert digital_file.url("original") not in json.dumps(document)


def test_absolute_urls_follow_the_base_url():
    document = jsonld.item_jsonld(item_with(identifier="x-1"), base_url="http://testserver/")
    assert document["url"] == "http://testserver/items/x-1/"
    assert document["holdingArchive"]["url"] == "http://testserver/"


def test_dumps_is_safe_inside_a_script_element_and_means_the_same():
    hostile = "</script><script>alert(1)</script><!-- & -->"
    item = item_with(("description", hostile), title=hostile)
    text = jsonld.dumps(jsonld.item_jsonld(item, base_url=BASE_URL))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text)["description"] == hostile
    assert json.loads(text)["name"] == {"@value": hostile, "@language": "en"}


def test_non_ascii_is_kept_as_utf8():
    item = item_with(title="Sør-Varanger, Бьёрневатн")
    assert "Sør-Varanger, Бьёрневатн" in jsonld.dumps(jsonld.item_jsonld(item, base_url=BASE_URL))


def test_script_content_is_the_escaped_document(django_assert_num_queries):
    note = described_note()
    with django_assert_num_queries(0):
        content = jsonld.script_content(note, base_url=BASE_URL)
    assert content == jsonld.dumps(jsonld.item_jsonld(note, base_url=BASE_URL))
    assert hasattr(content, "__html__")


# --- Rights, and the pages around items, read back from the pages with extruct --------------

def page_jsonld(client, url):
    """The JSON-LD documents of a page, as extruct (a real extractor) reads them."""
    import extruct

    response = client.get(url)
    assert response.status_code == 200
    return extruct.extract(response.content.decode(), base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]


def test_the_rights_statement_is_the_license_before_licence_statements():
    rights = "http://rightsstatements.org/vocab/InC/1.0/"
    item = item_with(("license", "https://creativecommons.org/licenses/by/4.0/"), rights_uri=rights)
    assert jsonld.item_jsonld(item, base_url=BASE_URL)["license"] == [rights, "https://creativecommons.org/licenses/by/4.0/"]
    same = item_with(("license", rights), rights_uri=rights)
    assert jsonld.item_jsonld(same, base_url=BASE_URL)["license"] == rights


def test_the_note_page_carries_its_rights_uri_as_license(client):
    note = described_note(rights_uri="http://rightsstatements.org/vocab/InC/1.0/")
    (document,) = page_jsonld(client, note.get_absolute_url())
    assert document["license"] == "http://rightsstatements.org/vocab/InC/1.0/"
    assert document["about"]["@type"] == "DefinedTerm"


def test_a_place_page_is_a_place_with_coordinates_other_names_and_same_as(client):
    note = described_note()
    kirkenes = Authority.objects.get(preferred_label="Kirkenes")
    AuthorityLinkFactory(authority=kirkenes, source="geonames", uri="https://sws.geonames.org/779683/")
    AuthorityLinkFactory(authority=kirkenes, source="wikidata", uri="http://www.wikidata.org/entity/Q200227")
    (document,) = page_jsonld(client, kirkenes.get_absolute_url())
    url = f"http://testserver{kirkenes.get_absolute_url()}"
    assert document == {
        "@context": "https://schema.org",
        "@type": "Place",
        "@id": url,
        "url": url,
        "name": "Kirkenes",
        "alternateName": "Kirkens",
        "geo": {"@type": "GeoCoordinates", "latitude": 69.7271, "longitude": 30.045},
        "sameAs": [
            "https://sws.geonames.org/779683/",
            "https://authority.example.org/place/kirkenes",
            "http://www.wikidata.org/entity/Q200227",
        ],
    }
    assert note.statements.filter(authority=kirkenes).exists()


@pytest.mark.parametrize("kind, agent_type, expected", [
    ("agent", "person", "Person"),
    ("agent", "organisation", "Organization"),
    ("agent", "family", "Organization"),
    ("concept", "", "DefinedTerm"),
    ("place", "", "Place"),
])
def test_each_kind_of_record_has_its_schema_org_type(client, kind, agent_type, expected):
    record = AuthorityFactory(kind=kind, agent_type=agent_type, preferred_label="Sør-Varanger")
    AuthorityLinkFactory(authority=record, source="viaf", uri="http://viaf.org/viaf/123456789")
    item = ItemFactory(status=Item.PUBLISHED)
    Statement.objects.create(item=item, term="subject", value="Sør-Varanger", authority=record, position=1)
    (document,) = page_jsonld(client, record.get_absolute_url())
    assert document["@type"] == expected
    assert document["sameAs"] == "http://viaf.org/viaf/123456789"


def test_a_person_page_has_variants_with_languages_note_and_dates(client):
    note = described_note()
    diakonoff = Authority.objects.get(preferred_label="Igor Diakonoff")
    diakonoff.variants.create(label="Игорь Дьяконов", lang="ru")
    Authority.objects.filter(pk=diakonoff.pk).update(note="Orientalist; interpreter in Kirkenes in 1944–1945.")
    (document,) = page_jsonld(client, diakonoff.get_absolute_url())
    assert document["@type"] == "Person"
    assert document["alternateName"] == ["Igor Diakonov", "Igor Dyakonov", {"@value": "Игорь Дьяконов", "@language": "ru"}]
    assert document["description"] == "Orientalist; interpreter in Kirkenes in 1944–1945."
    assert document["disambiguatingDescription"] == "1915-1999"
    assert note.pk


def test_a_collection_page_is_a_collection_page_listing_the_page_it_shows(client, settings):
    settings.ARKIV_BROWSE_PAGE_SIZE = 2
    fonds = CollectionFactory(identifier="eastern-finnmark", title="Eastern Finnmark 1944–1945")
    photographs = CollectionFactory(identifier="photographs", title="Photographs", parent=fonds, description="Pictures.")
    items = [ItemFactory(status=Item.PUBLISHED, title=f"Photograph {n}") for n in range(3)]
    for item in items:
        item.collections.add(photographs)
    (document,) = page_jsonld(client, photographs.get_absolute_url() + "?page=2")
    assert document["@type"] == "CollectionPage"
    assert document["name"] == "Photographs"
    assert document["description"] == "Pictures."
    assert document["isPartOf"]["@id"] == f"http://testserver{fonds.get_absolute_url()}"
    listed = document["mainEntity"]
    assert listed["@type"] == "ItemList"
    assert listed["numberOfItems"] == 3
    # Page 2 of 3 items at 2 a page: the third item, at position 3, and nothing more.
    assert [(e["position"], e["@type"]) for e in listed["itemListElement"]] == [(3, "ListItem")]
    assert listed["itemListElement"][0]["url"].startswith("http://testserver/items/")


def test_a_browse_page_is_an_item_list_bounded_to_the_page(client, settings):
    settings.ARKIV_BROWSE_PAGE_SIZE = 2
    made = [ItemFactory(status=Item.PUBLISHED, title=f"Letter {n}") for n in range(5)]
    (document,) = page_jsonld(client, "/items/?sort=title")
    assert document["@type"] == "ItemList"
    assert document["numberOfItems"] == 5
    assert document["url"] == "http://testserver/items/?sort=title"
    assert [e["name"] for e in document["itemListElement"]] == ["Letter 0", "Letter 1"]
    assert [e["position"] for e in document["itemListElement"]] == [1, 2]
    assert {e["url"] for e in document["itemListElement"]} <= {f"http://testserver{i.get_absolute_url()}" for i in made}


def test_page_documents_are_safe_inside_their_script_element(client):
    hostile = "</script><script>alert(1)</script>"
    record = AuthorityFactory(kind="concept", preferred_label=hostile)
    item = ItemFactory(status=Item.PUBLISHED)
    Statement.objects.create(item=item, term="subject", value=hostile, authority=record, position=1)
    html = client.get(record.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    (document,) = page_jsonld(client, record.get_absolute_url())
    assert document["name"] == hostile
