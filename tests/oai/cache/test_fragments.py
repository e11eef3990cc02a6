"""The fragment cache (catalog/oai/cache/fragments.py): a record is served from its stored
fragment only while that fragment is what the description gives now.

Each test marks the stored fragments (a comment a fresh build never writes) and then changes the
catalogue: a fragment served after a change must be no marked one, and equal to what the formats
write from the description with the cache emptied."""
import pytest
from lxml import etree

from catalog import services
from catalog.models import Authority, Item, Statement
from catalog.oai.cache.headers import HEADER
from catalog.oai.cache.models import Fragment
from tests.factories import (
    AuthorityFactory, AuthorityLinkFactory, CollectionFactory, DigitalFileFactory, ItemFactory, StatementFactory,
    VariantFactory,
)
from tests.oai.support import oai_id, validate, xpath

pytestmark = pytest.mark.django_db

BY = "http://creativecommons.org/licenses/by/4.0/"
CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
PREFIXES = ("oai_dc", "qdc", "edm")
DRIVERS = {"oai_dc": "oai-pmh-validate.xsd", "qdc": "oai-pmh-qdc-validate.xsd", "edm": "oai-pmh-edm-validate.xsd"}
MARK = b"<!--stored-->"


@pytest.fixture
def catalogue():
    fonds = ItemFactory(identifier="fonds", status=Item.PUBLISHED, dcmi_type="Collection")
    cited = ItemFactory(identifier="cited", status=Item.PUBLISHED)
    item = ItemFactory(
        identifier="note", status=Item.PUBLISHED, dcmi_type="StillImage", rights_uri=BY, parent=fonds,
        title="Kirkenes in October",
    )
    agent = AuthorityFactory(preferred_label="Igor Diakonoff", agent_type="person")
    VariantFactory(authority=agent, label="Igor Diakonov", lang="ru")
    AuthorityLinkFactory(authority=agent, source="wikidata", uri="http://www.wikidata.org/entity/Q1")
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes", latitude="69.727100", longitude="30.045000")
    StatementFactory(item=item, term="creator", value=agent.preferred_label, authority=agent)
    StatementFactory(item=item, term="spatial", value=place.preferred_label, authority=place)
    StatementFactory(item=item, term="references", value="cited", target=cited)
    DigitalFileFactory(item=item, original_public=True)
    return {"item": Item.objects.get(pk=item.pk), "fonds": fonds, "cited": cited, "agent": agent, "place": place}


def get_record(client, prefix, identifier="note"):
    response = client.get("/oai", {"verb": "GetRecord", "metadataPrefix": prefix, "identifier": oai_id(identifier)})
    assert response.status_code == 200
    root = validate(etree.fromstring(response.content), DRIVERS[prefix])
    return response.content, etree.tostring(xpath(root, "//oai:metadata")[0])


def mark_stored():
    for fragment in Fragment.objects.all():
        fragment.xml = bytes(fragment.xml).replace(b">", b">" + MARK, 1)
        fragment.save()


def assert_served_is_fresh(client, prefix):
    content, served = get_record(client, prefix)
    assert MARK not in content
    Fragment.objects.all().delete()
    assert get_record(client, prefix)[1] == served


def rename(catalogue):
    catalogue["agent"].preferred_label = "Igor M. Diakonoff"
    catalogue["agent"].save()


def new_variant(catalogue):
    VariantFactory(authority=catalogue["agent"], label="Igor Djakonow", lang="de")


def variant_gone(catalogue):
    catalogue["agent"].variants.get().delete()


def new_link(catalogue):
    AuthorityLinkFactory(authority=catalogue["agent"], source="viaf", uri="http://viaf.org/viaf/12345")


def link_gone(catalogue):
    catalogue["agent"].links.get().delete()


def moved_place(catalogue):
    catalogue["place"].latitude = "69.800000"
    catalogue["place"].save()


def new_address(catalogue):
    catalogue["agent"].slug = "diakonoff-igor"
    catalogue["agent"].save()


def new_dates(catalogue):
    catalogue["agent"].dates = "1915-1999"
    catalogue["agent"].save()


def edited_statement(catalogue):
    title = Statement.objects.get(item=catalogue["item"], term="title")
    title.value = "Kirkenes in November"
    title.save()


def new_statement(catalogue):
    StatementFactory(item=catalogue["item"], term="description", value="Seen from the harbour.", lang="en")


def new_file(catalogue):
    DigitalFileFactory(item=catalogue["item"], original_public=True)


def new_rights(catalogue):
    catalogue["item"].rights_uri = CNE
    catalogue["item"].save()


def cited_withdrawn(catalogue):
    services.item_withdraw(item=catalogue["cited"])


def new_reference_code(catalogue):
    catalogue["fonds"].local_code = "KF"
    catalogue["fonds"].save()


def new_collection(catalogue):
    catalogue["item"].collections.add(CollectionFactory())


CHANGES = [
    edited_statement, new_statement, rename, new_variant, variant_gone, new_link, link_gone, moved_place,
    new_address, new_dates, new_file, new_rights, cited_withdrawn, new_reference_code, new_collection,
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_stored_fragment_is_served_while_its_item_is_unchanged(client, catalogue, prefix):
    first, _metadata = get_record(client, prefix)
    assert Fragment.objects.filter(item=catalogue["item"], prefix=prefix).count() == 1
    mark_stored()
    again, _metadata = get_record(client, prefix)
    assert MARK in again  # what was stored, not a new build
    assert again.replace(MARK, b"").split(b"<GetRecord")[1] == first.split(b"<GetRecord")[1]


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_after_a_change_the_served_record_equals_a_fresh_build(client, catalogue, prefix, change):
    get_record(client, prefix)
    mark_stored()
    change(catalogue)
    assert_served_is_fresh(client, prefix)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_fragment_written_under_other_settings_is_rebuilt(client, settings, catalogue, prefix):
    get_record(client, prefix)
    mark_stored()
    settings.ARKIV_EDM_DATA_PROVIDER = "Another archive"
    assert_served_is_fresh(client, prefix)


def test_fragments_hold_no_host_and_serve_the_one_asked(client, catalogue):
    client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "edm"})
    assert Fragment.objects.exists()
    assert not any(b"testserver" in bytes(xml) for xml in Fragment.objects.values_list("xml", flat=True))
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "edm"}, HTTP_HOST="localhost")
    root = validate(etree.fromstring(response.content), DRIVERS["edm"])
    about = root.xpath("//edm:ProvidedCHO/@rdf:about", namespaces={
        "edm": "http://www.europeana.eu/schemas/edm/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    })
    assert about == ["http://localhost/items/note/"]


def test_a_list_page_fills_the_cache_and_serves_the_same_records_from_it(client, catalogue):
    for prefix in PREFIXES:
        built = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": prefix}).content
        stored = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": prefix}).content
        # The same bytes but the response date.
        assert built.split(b"</responseDate>")[1] == stored.split(b"</responseDate>")[1]
    # Each format's metadata, and the records' headers (headers.py).
    assert set(Fragment.objects.values_list("prefix", flat=True)) == {*PREFIXES, HEADER}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_page_declares_its_formats_namespaces_once_and_each_record_stands_alone(client, catalogue, prefix):
    """Stored records leave their format's declarations to the verb element: a page declares
    each prefix once however many records it holds, built or stored, and a record taken out of
    it (as harvesters do) still carries every namespace it uses and validates on its own."""
    from catalog.oai import formats
    from tests.oai.edm_validation import problems

    for n in range(3):
        ItemFactory(identifier=f"photo-{n}", status=Item.PUBLISHED, dcmi_type="StillImage", rights_uri=BY, title=f"Photo {n}")
    declared = formats.get(prefix).nsmap
    for attempt in ("built", "stored"):
        response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": prefix})
        root = validate(etree.fromstring(response.content), DRIVERS[prefix])
        metadata = xpath(root, "//oai:metadata/*")
        assert len(metadata) >= 4, attempt
        for name, uri in declared.items():
            assert response.content.count(f'xmlns:{name}="{uri}"'.encode()) == 1, (attempt, name)
        (e_list,) = xpath(root, "/oai:OAI-PMH/oai:ListRecords")
        assert {name: e_list.nsmap[name] for name in declared} == declared
        for element in metadata:
            alone = etree.fromstring(etree.tostring(element))
            assert not alone.xpath("//*[namespace-uri() = '']")
            if prefix == "edm":
                assert problems(alone) == [], attempt
            else:
                assert alone.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"), attempt
    assert Fragment.objects.filter(prefix=prefix).count() >= 4
    assert not any(b"xmlns:dc=" in bytes(xml) for xml in Fragment.objects.filter(prefix=prefix).values_list("xml", flat=True))
    # GetRecord serves the same stored record under the same declarations.
    response = client.get("/oai", {"verb": "GetRecord", "metadataPrefix": prefix, "identifier": oai_id("photo-0")})
    validate(etree.fromstring(response.content), DRIVERS[prefix])
    for name, uri in declared.items():
        assert response.content.count(f'xmlns:{name}="{uri}"'.encode()) == 1, name
