"""JSON-LD of relations between items (catalog/site/jsonld.py): a relation to another public
item is a node with that item's page as @id; one to a draft stays text, or is left out."""
import pytest

from catalog.models import Item, Statement
from catalog.site.jsonld import item_jsonld
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

BASE = "https://arkiv.example.org/"


def described(item):
    return Item.objects.with_description().select_related("parent").get(pk=item.pk)


@pytest.fixture
def note():
    return ItemFactory(identifier="finnmark-1945-note-0924", title="Note", dcmi_type="Text", status=Item.PUBLISHED)


@pytest.fixture
def article():
    return ItemFactory(identifier="barentsobserver-2015", title="Article", dcmi_type="Text", status=Item.PUBLISHED)


def test_a_reference_to_a_public_item_is_a_citation_by_its_page(note, article):
    Statement.objects.create(item=article, term="references", value="The note of 24 September", target=note, position=3)
    document = item_jsonld(described(article), base_url=BASE)
    assert document["citation"] == {
        "@id": f"{BASE}items/finnmark-1945-note-0924/", "name": "The note of 24 September",
        "url": f"{BASE}items/finnmark-1945-note-0924/",
    }


def test_part_of_another_item_joins_is_part_of_as_a_node(note, article):
    Statement.objects.create(item=note, term="isPartOf", value="The release", target=article, position=3)
    Statement.objects.create(item=note, term="isPartOf", value="A series elsewhere", position=4)
    document = item_jsonld(described(note), base_url=BASE)
    assert document["isPartOf"] == [
        {"@id": f"{BASE}items/barentsobserver-2015/", "name": "The release", "url": f"{BASE}items/barentsobserver-2015/"},
        "A series elsewhere",
    ]


def test_a_relation_to_a_draft_names_no_address(article):
    draft = ItemFactory(identifier="draft-note", title="Draft", status=Item.DRAFT)
    Statement.objects.create(item=article, term="references", value="A draft note", target=draft, position=3)
    Statement.objects.create(item=article, term="isPartOf", value="A draft release", target=draft, position=4)
    document = item_jsonld(described(article), base_url=BASE)
    assert "citation" not in document
    assert document["isPartOf"] == "A draft release"
    assert "draft-note" not in str(document)
