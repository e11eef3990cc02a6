"""edm: the Europeana Data Model, checked with Europeana's own XSD and schematron on every record.

Records Europeana would reject are left out of edm (and only of edm): the lists skip them in the
query, GetRecord refuses them with cannotDisseminateFormat, and each list response logs how many
it left out.
"""
import io
import logging

import factory
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from sickle import Sickle

from catalog import rights, services
from catalog.models import Authority, DigitalFile, Item, Statement, Tombstone
from catalog.facets import index as facet_index
from catalog.oai import europeana
from tests.factories import (
    AuthorityFactory, AuthorityLinkFactory, DigitalFileFactory, ItemFactory, StatementFactory, VariantFactory,
    described_note,
)
from tests.oai.edm_validation import EDM, problems, records_of
from tests.oai.support import errors, harvest, identifiers, oai_id, request, token, validate, xpath

pytestmark = pytest.mark.django_db

EDM_DRIVER = "oai-pmh-edm-validate.xsd"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "edm": "http://www.europeana.eu/schemas/edm/",
    "ore": "http://www.openarchives.org/ore/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "wgs84_pos": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "ebucore": "http://www.ebu.ch/metadata/ontologies/ebucore/ebucore#",
    "oai": "http://www.openarchives.org/OAI/2.0/",
}
CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
BY = "http://creativecommons.org/licenses/by/4.0/"
UND = "http://rightsstatements.org/vocab/UND/1.0/"  # one Europeana does not accept
ITEM_PAGE = "http://testserver/items/{}/"
RESOURCE = f"{{{NS['rdf']}}}resource"


def edm_request(client, **params):
    """An OAI-PMH request in edm: the whole response valid against the envelope and EDM.xsd."""
    response = client.get("/oai", params)
    assert response.status_code == 200
    return validate(etree.fromstring(response.content), EDM_DRIVER)


def assert_valid(root):
    """Every record of a response passes Europeana's XSD and schematron; the records, returned."""
    found = records_of(root)
    for rdf in found:
        about = rdf.xpath("string(edm:ProvidedCHO/@rdf:about)", namespaces=NS)
        assert problems(rdf) == [], about
    return found


def edm_harvest(client, **params):
    """A whole ListRecords harvest in edm: {identifier: rdf:RDF}, every record valid."""
    records = {}
    pages = [edm_request(client, verb="ListRecords", metadataPrefix="edm", **params)]
    while (element := token(pages[-1])) is not None and element.text:
        pages.append(edm_request(client, verb="ListRecords", resumptionToken=element.text))
    for root in pages:
        for record in xpath(root, "//oai:record"):
            identifier = record.xpath("string(oai:header/oai:identifier)", namespaces=NS)
            assert identifier not in records, f"{identifier} delivered twice"
            rdf = record.xpath("oai:metadata/rdf:RDF", namespaces=NS)
            records[identifier] = rdf[0] if rdf else None
        assert_valid(root)
    return records


def one(rdf, expression):
    found = rdf.xpath(expression, namespaces=NS)
    assert len(found) == 1, (expression, found)
    return found[0]


# --- The validation itself can fail -------------------------------------------------------------

def test_europeanas_valid_sample_passes_and_its_invalid_ones_do_not():
    samples = EDM / "samples"
    assert problems(etree.parse(str(samples / "europeana_record_edm_external_sorted.xml"))) == []
    digital_source = problems(etree.parse(str(samples / "edm_external_invalid_schema_digitalSourceType.xml")))
    assert any("digitalSourceType" in problem for problem in digital_source)
    item = problems(etree.parse(str(samples / "Item_schematron_invalid.xml")))
    assert any("edm:dataProvider" in problem for problem in item)
    assert any("Rights" in problem for problem in item)


def test_a_record_that_breaks_the_schema_is_caught(client):
    described_note(rights_uri=CNE)
    rdf = records_of(edm_request(client, verb="ListRecords", metadataPrefix="edm"))[0]
    assert problems(rdf) == []
    one(rdf, "edm:ProvidedCHO/edm:type").text = "PAINTING"
    assert any(problem.startswith("XSD") for problem in problems(rdf))


# --- What a record says --------------------------------------------------------------------------

@pytest.fixture
def note(settings):
    settings.ARKIV_EDM_DATA_PROVIDER = "Riksarkivet"
    settings.ARKIV_EDM_PROVIDER = "Arkivportalen"
    item = described_note(rights_uri=CNE)
    parent = ItemFactory(identifier="ef-documents", status=Item.PUBLISHED, title="Documents")
    Item.objects.filter(pk=item.pk).update(parent=parent, ancestry=f"/{parent.pk}/")
    karlsen = Authority.objects.get(preferred_label="R. Karlsen")
    VariantFactory(authority=karlsen, label="Р. Карлсен", lang="ru")
    VariantFactory(authority=karlsen, label="Р. Карльсен", lang="ru")
    AuthorityLinkFactory(authority=karlsen, source="viaf", uri="http://viaf.org/viaf/123456")
    kirkenes = Authority.objects.get(preferred_label="Kirkenes")
    AuthorityLinkFactory(authority=kirkenes, source="geonames", uri="https://sws.geonames.org/779683/")
    withdrawal = Authority.objects.get(preferred_label="Withdrawal of Soviet troops from Norway")
    AuthorityLinkFactory(authority=withdrawal, source="wikidata", uri="http://www.wikidata.org/entity/Q1")
    liberation = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation of Finnmark", dates="1944-1945")
    StatementFactory(item=item, term="temporal", value="Liberation of Finnmark", authority=liberation, position=20)
    StatementFactory(item=item, term="audience", value="Historians", position=21)  # no place in EDM
    StatementFactory(item=item, term="abstract", value="A Soviet officer's receipt.", lang="en", position=22)
    # Files: a scan shown by its display copy, a second scan under its own licence, one whose
    # licence Europeana does not take, one visitors cannot have.
    DigitalFileFactory(item=item, position=1, display=factory.django.ImageField(filename="d.jpg", format="JPEG"))
    DigitalFileFactory(item=item, position=2, original_public=True, rights_uri=BY)
    DigitalFileFactory(item=item, position=3, original_public=True, rights_uri=UND)
    DigitalFileFactory(item=item, position=4, original_public=False)
    return Item.objects.get(pk=item.pk)


def get_note(client, note):
    root = edm_request(client, verb="GetRecord", metadataPrefix="edm", identifier=oai_id(note.identifier))
    (rdf,) = assert_valid(root)
    return rdf


def test_the_provided_cho_carries_the_description(client, note):
    rdf = get_note(client, note)
    cho = one(rdf, "edm:ProvidedCHO")
    assert cho.get(f"{{{NS['rdf']}}}about") == ITEM_PAGE.format(note.identifier)
    assert one(cho, "edm:type").text == "TEXT"
    assert one(cho, "dc:type[@rdf:resource]").get(RESOURCE) == "http://purl.org/dc/dcmitype/Text"
    assert one(cho, "dc:title").text == "Note on the Soviet forces in Eastern Finnmark"
    assert one(cho, "dc:title").get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert one(cho, "dcterms:alternative[@xml:lang='nb']").text.startswith("Notat om")
    assert one(cho, "dc:language").text == "nb"
    assert one(cho, "dcterms:created").text == "24 Sept 1945"
    # An abstract is a dc:description in EDM; a term that refines no element is left out.
    assert "A Soviet officer's receipt." in cho.xpath("dc:description/text()", namespaces=NS)
    assert "Historians" not in etree.tostring(cho, encoding="unicode")
    assert cho.xpath("dc:identifier/text()", namespaces=NS)[0] == note.identifier
    # Its place in the arrangement: the unit it is arranged under.
    assert one(cho, "dcterms:isPartOf").get(RESOURCE) == ITEM_PAGE.format("ef-documents")


def test_linked_values_point_at_contextual_entities(client, note):
    rdf = get_note(client, note)
    creators = [element.get(RESOURCE) for element in rdf.xpath("edm:ProvidedCHO/dc:creator", namespaces=NS)]
    assert creators == [
        "http://testserver/authorities/agent/r-karlsen/", "http://testserver/authorities/agent/p-lukin-griege/",
    ]
    karlsen = one(rdf, "edm:Agent[@rdf:about='http://testserver/authorities/agent/r-karlsen/']")
    # One prefLabel per language: the preferred label in the catalogue's language, the first
    # Russian variant (in the order the site reads them) in Russian; the second is an altLabel.
    assert [(label.text, label.get("{http://www.w3.org/XML/1998/namespace}lang")) for label in karlsen.xpath("skos:prefLabel", namespaces=NS)] == [
        ("R. Karlsen", "en"), ("Р. Карлсен", "ru"),
    ]
    assert karlsen.xpath("skos:altLabel/text()", namespaces=NS) == ["Р. Карльсен"]
    assert one(karlsen, "owl:sameAs").get(RESOURCE) == "http://viaf.org/viaf/123456"
    diakonoff = one(rdf, "edm:Agent[skos:prefLabel='Igor Diakonoff']")
    assert diakonoff.xpath("skos:altLabel/text()", namespaces=NS) == ["Igor Diakonov", "Igor Dyakonov"]
    place = one(rdf, "edm:Place")
    assert (one(place, "wgs84_pos:lat").text, one(place, "wgs84_pos:long").text) == ("69.727100", "30.045000")
    # Only Wikidata, VIAF, GeoNames and LCSH links are sameAs; the "other" link is not.
    assert [element.get(RESOURCE) for element in place.xpath("owl:sameAs", namespaces=NS)] == ["https://sws.geonames.org/779683/"]
    assert one(rdf, "edm:ProvidedCHO/dcterms:spatial").get(RESOURCE) == place.get(f"{{{NS['rdf']}}}about")
    concept = one(rdf, "skos:Concept")
    assert one(concept, "skos:prefLabel").text == "Withdrawal of Soviet troops from Norway"
    assert one(concept, "skos:exactMatch").get(RESOURCE) == "http://www.wikidata.org/entity/Q1"
    # An event in dcterms:temporal whose dates read as a range is a TimeSpan.
    span = one(rdf, "edm:TimeSpan")
    assert (one(span, "edm:begin").text, one(span, "edm:end").text) == ("1944-01-01", "1945-12-31")
    # The rights holder is a credit line (a literal), and no entity is written for it.
    assert one(rdf, "edm:ProvidedCHO/dc:rights").text == "National Archives of Norway"
    assert not rdf.xpath("edm:Agent[skos:prefLabel='National Archives of Norway']", namespaces=NS)


def test_the_aggregation_links_page_files_and_rights(client, note):
    rdf = get_note(client, note)
    aggregation = one(rdf, "ore:Aggregation")
    files = list(DigitalFile.objects.filter(item=note).order_by("position"))
    display = "http://testserver" + files[0].url("display")
    original = "http://testserver" + files[1].url("original")
    assert one(aggregation, "edm:aggregatedCHO").get(RESOURCE) == ITEM_PAGE.format(note.identifier)
    assert one(aggregation, "edm:dataProvider").text == "Riksarkivet"
    assert one(aggregation, "edm:provider").text == "Arkivportalen"
    assert one(aggregation, "edm:isShownAt").get(RESOURCE) == ITEM_PAGE.format(note.identifier)
    assert one(aggregation, "edm:isShownBy").get(RESOURCE) == display
    assert one(aggregation, "edm:object").get(RESOURCE) == display
    assert [view.get(RESOURCE) for view in aggregation.xpath("edm:hasView", namespaces=NS)] == [original]
    assert one(aggregation, "edm:rights").get(RESOURCE) == CNE
    # A WebResource for each file a visitor gets, and none for the file under a licence Europeana
    # does not take or the one kept from visitors.
    resources = {resource.get(f"{{{NS['rdf']}}}about"): resource for resource in rdf.xpath("edm:WebResource", namespaces=NS)}
    assert set(resources) == {display, original}
    assert not resources[display].xpath("edm:rights", namespaces=NS)  # the item's
    assert one(resources[display], "dc:format").text == "image/jpeg"
    assert not resources[display].xpath("ebucore:fileByteSize", namespaces=NS)  # not the original's size
    assert one(resources[original], "edm:rights").get(RESOURCE) == BY
    assert one(resources[original], "ebucore:fileByteSize").text == str(files[1].size)
    assert one(resources[original], "ebucore:width").text == "48"


def test_an_item_without_public_files_is_shown_at_its_page_only(client):
    item = described_note(rights_uri=BY)
    DigitalFileFactory(item=item, original_public=False)
    rdf = get_note(client, item)
    assert one(rdf, "ore:Aggregation/edm:isShownAt").get(RESOURCE) == ITEM_PAGE.format(item.identifier)
    assert not rdf.xpath("ore:Aggregation/edm:isShownBy | ore:Aggregation/edm:object | edm:WebResource", namespaces=NS)


def test_a_relation_to_another_published_item_links_its_provided_cho(client):
    article = ItemFactory(identifier="article-2015", status=Item.PUBLISHED, rights_uri=BY, title="70 years since")
    draft = ItemFactory(identifier="draft-article", title="Not yet")
    item = described_note(rights_uri=BY)
    StatementFactory(item=item, term="isReferencedBy", value="70 years since", target=article, position=31)
    StatementFactory(item=item, term="isReferencedBy", value="Not yet", target=draft, position=32)
    rdf = get_note(client, item)
    referenced = rdf.xpath("edm:ProvidedCHO/dcterms:isReferencedBy", namespaces=NS)
    assert [(element.text, element.get(RESOURCE)) for element in referenced] == [
        ("70 years since", None), ("Not yet", None), (None, ITEM_PAGE.format("article-2015")),
    ]


@pytest.mark.parametrize(("dcmi_type", "edm_type"), [
    ("StillImage", "IMAGE"), ("Image", "IMAGE"), ("Text", "TEXT"), ("Sound", "SOUND"),
    ("MovingImage", "VIDEO"), ("PhysicalObject", "3D"),
])
def test_the_edm_type_follows_the_dcmi_type(client, dcmi_type, edm_type):
    item = ItemFactory(status=Item.PUBLISHED, dcmi_type=dcmi_type, rights_uri=BY, title="Kirkenes, 1945")
    StatementFactory(item=item, term="language", value="nb")
    rdf = get_note(client, item)
    assert one(rdf, "edm:ProvidedCHO/edm:type").text == edm_type


# --- What is left out ----------------------------------------------------------------------------

def rejected_items():
    """Published items Europeana would reject, each for one reason, and one it takes."""
    def make(identifier, **fields):
        fields = {"status": Item.PUBLISHED, "dcmi_type": "StillImage", "rights_uri": BY, "title": "Kirkenes", **fields}
        return ItemFactory(identifier=identifier, **fields)

    taken = make("taken")
    make("no-rights", rights_uri="")
    make("rights-europeana-refuses", rights_uri=UND)
    make("a-series", dcmi_type="Collection")
    make("an-event", dcmi_type="Event")
    make("text-without-language", dcmi_type="Text")
    untitled = make("untitled")
    Statement.objects.filter(item=untitled).delete()
    StatementFactory(item=untitled, term="subject", value="Harbours")
    return taken


REJECTED = ["no-rights", "rights-europeana-refuses", "a-series", "an-event", "text-without-language", "untitled"]


def test_records_europeana_would_reject_are_left_out_of_edm_only(client):
    rejected_items()
    edm = identifiers(edm_request(client, verb="ListIdentifiers", metadataPrefix="edm"))
    assert edm == [oai_id("taken")]
    for prefix in ("oai_dc", "qdc"):
        listed = identifiers(request(client, verb="ListIdentifiers", metadataPrefix=prefix))
        assert set(listed) == {oai_id("taken"), *(oai_id(identifier) for identifier in REJECTED)}
    records = edm_harvest(client)
    assert list(records) == [oai_id("taken")]


@pytest.mark.parametrize("identifier", REJECTED)
def test_get_record_of_a_left_out_item_cannot_be_disseminated_in_edm(client, identifier):
    rejected_items()
    root = edm_request(client, verb="GetRecord", metadataPrefix="edm", identifier=oai_id(identifier))
    assert errors(root) == ["cannotDisseminateFormat"]
    assert not records_of(root)
    root = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(identifier))
    assert errors(root) == []
    formats = xpath(request(client, verb="ListMetadataFormats", identifier=oai_id(identifier)), "//oai:metadataPrefix/text()")
    assert set(formats) == {"oai_dc", "qdc"}


def test_a_list_with_nothing_europeana_takes_matches_no_records(client):
    ItemFactory(status=Item.PUBLISHED, rights_uri="")
    root = edm_request(client, verb="ListRecords", metadataPrefix="edm")
    assert errors(root) == ["noRecordsMatch"]


def test_paging_walks_over_left_out_items(client, settings):
    settings.ARKIV_OAI_PAGE_SIZE = 3
    taken = []
    for n in range(20):
        rights_uri = BY if n % 3 else ""  # every third left out
        item = ItemFactory(identifier=f"photo-{n:02d}", status=Item.PUBLISHED, rights_uri=rights_uri, title=f"Photo {n}")
        if rights_uri:
            taken.append(oai_id(item.identifier))
    pages = harvest(client, verb="ListIdentifiers", metadataPrefix="edm")
    assert [identifier for page in pages for identifier in identifiers(page)] == sorted(taken)
    # Every page is full but the last, and the list's size counts what edm serves.
    assert [len(identifiers(page)) for page in pages][:-1] == [3] * (len(pages) - 1)
    assert token(pages[0]).get("completeListSize") == str(len(taken))


def edm_pages(client, verb="ListRecords", **params):
    """A whole list in edm, followed through its tokens: the pages (validated roots)."""
    pages = [edm_request(client, verb=verb, metadataPrefix="edm", **params)]
    while (element := token(pages[-1])) is not None and element.text:
        pages.append(edm_request(client, verb=verb, resumptionToken=element.text))
    return pages


def test_each_list_response_logs_how_many_items_it_left_out(client, settings, caplog):
    settings.ARKIV_OAI_PAGE_SIZE = 2
    for n, rights_uri in enumerate([BY, "", "", BY, BY, ""]):
        ItemFactory(identifier=f"photo-{n}", status=Item.PUBLISHED, rights_uri=rights_uri, title=f"Photo {n}")
    with caplog.at_level(logging.INFO, logger="catalog.oai.verbs"):
        pages = edm_pages(client)
    lines = [record.getMessage() for record in caplog.records if record.name == "catalog.oai.verbs"]
    # Page 1: photo-0 and photo-3, skipping photo-1 and photo-2; page 2: photo-4 and the rest.
    assert [identifiers(page) for page in pages] == [[oai_id("photo-0"), oai_id("photo-3")], [oai_id("photo-4")]]
    assert lines == [
        "ListRecords edm: 2 published items left out (not describable in this format)",
        "ListRecords edm: 1 published items left out (not describable in this format)",
    ]


def test_a_page_costs_the_same_queries_whatever_its_size(client, django_assert_num_queries):
    def catalogue(count):
        Item.objects.all().delete()
        for n in range(count):
            item = ItemFactory(status=Item.PUBLISHED, rights_uri=BY, dcmi_type="StillImage")
            agent = AuthorityFactory(preferred_label=f"Photographer {n}")
            VariantFactory(authority=agent, label=f"Fotograf {n}", lang="nb")
            AuthorityLinkFactory(authority=agent, source="wikidata")
            StatementFactory(item=item, term="creator", value=agent.preferred_label, authority=agent)
            DigitalFileFactory(item=item, original_public=True)

    # Items with their stored headers, tombstones, the stored metadata (catalog/oai/cache/);
    # where no header is stored yet, the items' places, their collections, the units above, and
    # the savepoint, write and release that store the headers; where no metadata is, the rest
    # of the items' rows, the units above again, statements, files, authority records, their
    # variants, their links, and the savepoint, write and release that store it; and the count
    # of what was left out: the same for 1 and 12 records, and four in all once stored.
    catalogue(1)
    with CaptureQueriesContext(connection) as one_record:
        edm_request(client, verb="ListRecords", metadataPrefix="edm")
    assert len(one_record) <= 20
    catalogue(12)
    with django_assert_num_queries(len(one_record)):
        edm_request(client, verb="ListRecords", metadataPrefix="edm")
    with django_assert_num_queries(4):
        edm_request(client, verb="ListRecords", metadataPrefix="edm")


# --- Whole catalogues --------------------------------------------------------------------------

def test_every_record_of_the_demo_catalogue_passes_europeanas_validation(client):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)
    records = {identifier: rdf for identifier, rdf in edm_harvest(client).items() if rdf is not None}
    expected = {oai_id(item.identifier) for item in Item.objects.published().filter(europeana.admits())}
    assert records and set(records) == expected
    for rdf in records.values():
        assert one(rdf, "ore:Aggregation/edm:rights").get(RESOURCE) in rights.EUROPEANA_ACCEPTED
    # The note of 24 September 1945: no source says what language it is written in, and the demo
    # says so with ISO 639's "und" (undetermined), which is a language statement Europeana takes.
    note = Item.objects.get(identifier="finnmark-1945-note-0924")
    assert list(note.statements.filter(term="language").values_list("value", flat=True)) == ["und"]
    assert one(records[oai_id(note.identifier)], "ore:Aggregation/edm:rights").get(RESOURCE) == note.rights_uri


def test_a_text_that_states_no_language_is_left_out_of_edm(client):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)
    note = Item.objects.get(identifier="finnmark-1945-note-0924")
    note.statements.filter(term="language").delete()
    assert rights.europeana_accepts(note.rights_uri)
    assert oai_id(note.identifier) not in edm_harvest(client)
    root = edm_request(client, verb="GetRecord", metadataPrefix="edm", identifier=oai_id(note.identifier))
    assert errors(root) == ["cannotDisseminateFormat"]


def test_every_record_of_a_generated_catalogue_passes_europeanas_validation(client, settings):
    settings.ARKIV_OAI_PAGE_SIZE = 100
    call_command("generate_catalog", 400, seed=5, big_series=40, file_items=[1, 3], verbosity=0, stdout=io.StringIO())
    every_rights = [""] + [statement.uri for statement in rights.STATEMENTS]
    items = list(Item.objects.published().order_by("pk"))
    for n, item in enumerate(items):
        item.rights_uri = every_rights[n % len(every_rights)]
    Item.objects.bulk_update(items, ["rights_uri"])
    facet_index.refresh([item.pk for item in items])  # as every bulk writer does (a bulk update sends no signal)
    # Files on some items: shown as a display copy, downloadable, private, or under a licence of
    # their own (accepted or not).
    kinds = [
        {"display": factory.django.ImageField(filename="d.jpg", format="JPEG")},
        {"original_public": True},
        {"original_public": False},
        {"original_public": True, "rights_uri": BY},
        {"original_public": True, "rights_uri": UND},
    ]
    for n, item in enumerate(Item.objects.published().filter(europeana.admits()).order_by("pk")[:40]):
        DigitalFileFactory(item=item, **kinds[n % len(kinds)])
    records = edm_harvest(client)
    expected = set()
    for item in Item.objects.published().with_description():
        terms = {statement.term for statement in item.statements.all() if statement.display_value.strip()}
        if (
            rights.europeana_accepts(item.rights_uri)
            and item.dcmi_type in europeana.EDM_TYPES
            and terms & {"title", "description", "abstract"}
            and (item.dcmi_type != "Text" or "language" in terms)
        ):
            expected.add(oai_id(item.identifier))
    served = {identifier: rdf for identifier, rdf in records.items() if rdf is not None}
    assert set(served) == expected
    # Deleted records are reported in edm as in every format.
    assert set(records) - set(served) == {oai_id(identifier) for identifier in Tombstone.objects.values_list("identifier", flat=True)}
    # The catalogue exercised what it should: every accepted rights kind, files, linked records.
    served = list(served.values())
    assert {one(rdf, "ore:Aggregation/edm:rights").get(RESOURCE) for rdf in served} == rights.EUROPEANA_ACCEPTED
    assert any(rdf.xpath("edm:WebResource", namespaces=NS) for rdf in served)
    assert any(rdf.xpath("edm:Agent | edm:Place | skos:Concept", namespaces=NS) for rdf in served)
    assert any(rdf.xpath("edm:ProvidedCHO/dcterms:isPartOf", namespaces=NS) for rdf in served)


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_edm_over_a_live_server(live_server, settings):
    """A real harvester, over HTTP, through several pages: exactly the records Europeana takes,
    each valid, and the deletions."""
    settings.ARKIV_OAI_PAGE_SIZE = 4
    for n in range(15):
        item = ItemFactory(
            identifier=f"photo-{n:02d}", status=Item.PUBLISHED, dcmi_type="StillImage",
            rights_uri=[BY, CNE, ""][n % 3], title=f"Photograph {n} of Kirkenes",
        )
        if n % 4 == 0:
            DigitalFileFactory(item=item, original_public=True)
    services.item_withdraw(item=Item.objects.get(identifier="photo-01"))
    harvested, deleted = {}, set()
    for record in Sickle(f"{live_server.url}/oai").ListRecords(metadataPrefix="edm", ignore_deleted=False):
        identifier = record.header.identifier
        assert identifier not in harvested and identifier not in deleted, f"{identifier} delivered twice"
        if record.header.deleted:
            deleted.add(identifier)
            continue
        (rdf,) = records_of(etree.fromstring(record.raw.encode()))
        assert problems(rdf) == [], identifier
        harvested[identifier] = rdf
    taken = Item.objects.published().filter(europeana.admits()).values_list("identifier", flat=True)
    assert set(harvested) == {oai_id(identifier) for identifier in taken}
    assert len(harvested) == 9
    assert deleted == {oai_id("photo-01")}
