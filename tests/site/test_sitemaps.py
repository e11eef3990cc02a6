from datetime import datetime, timezone

import pytest
from lxml import etree

from catalog.site import sitemaps
from catalog.models import Authority, Item
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db

NAMESPACES = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def locations(tree):
    return tree.xpath("//sm:loc/text()", namespaces=NAMESPACES)


def test_the_index_names_one_sitemap_per_section(client):
    ItemFactory(status=Item.PUBLISHED)
    tree = xml(client, "/sitemap.xml")
    assert locations(tree) == [
        "http://testserver/sitemap-items.xml",
        "http://testserver/sitemap-collections.xml",
        "http://testserver/sitemap-authorities.xml",
    ]


def test_published_items_are_listed_with_their_datestamp(client):
    item = ItemFactory(identifier="note-1945", status=Item.PUBLISHED)
    ItemFactory(identifier="draft", status=Item.DRAFT)
    stamp = datetime(2025, 5, 8, 12, 0, tzinfo=timezone.utc)
    Item.objects.filter(pk=item.pk).update(modified=stamp)
    tree = xml(client, "/sitemap-items.xml")
    assert locations(tree) == ["http://testserver/items/note-1945/"]
    assert tree.xpath("//sm:lastmod/text()", namespaces=NAMESPACES) == ["2025-05-08"]


def test_collections_are_listed(client):
    fonds = CollectionFactory(identifier="finnmark")
    CollectionFactory(identifier="photos", parent=fonds)
    assert locations(xml(client, "/sitemap-collections.xml")) == [
        "http://testserver/collections/finnmark/", "http://testserver/collections/photos/",
    ]


def test_only_records_named_by_published_items_are_listed(client):
    public = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    private = AuthorityFactory(preferred_label="Named in a draft")
    AuthorityFactory(preferred_label="Named nowhere")
    StatementFactory(item=ItemFactory(status=Item.PUBLISHED), term="spatial", authority=public)
    StatementFactory(item=ItemFactory(status=Item.DRAFT), term="creator", authority=private)
    assert locations(xml(client, "/sitemap-authorities.xml")) == ["http://testserver/authorities/place/kirkenes/"]


def test_large_sections_are_split_into_pages_named_in_the_index(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", 2)
    for n in range(5):
        ItemFactory(identifier=f"item-{n}", status=Item.PUBLISHED)
    assert "http://testserver/sitemap-items.xml?p=3" in locations(xml(client, "/sitemap.xml"))
    assert locations(xml(client, "/sitemap-items.xml?p=3")) == ["http://testserver/items/item-4/"]


def test_the_index_reads_the_latest_datestamp_in_one_query(client, django_assert_max_num_queries):
    collection, place = CollectionFactory(), AuthorityFactory(kind=Authority.PLACE)
    for n in range(30):
        item = ItemFactory(status=Item.PUBLISHED)
        item.collections.add(collection)
        StatementFactory(item=item, term="spatial", authority=place)
    # Per section: its latest datestamp and its number of pages; never a walk over every row.
    with django_assert_max_num_queries(6):
        response = client.get("/sitemap.xml")
    assert response.has_header("Last-Modified")


XHTML = "http://www.w3.org/1999/xhtml"


@pytest.mark.parametrize("section", ["items", "collections", "authorities"])
def test_each_address_names_its_language_alternates_as_well_formed_sitemap_xml(client, settings, section):
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    item = ItemFactory(identifier="note-1945", status=Item.PUBLISHED)
    item.collections.add(CollectionFactory(identifier="finnmark"))
    StatementFactory(item=item, term="spatial", authority=place)
    response = client.get(f"/sitemap-{section}.xml", HTTP_ACCEPT_LANGUAGE="nb")
    # Parsed strictly: a well-formed document whose every element is in a declared namespace.
    tree = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False, no_network=True))
    assert tree.tag == f"{{{NAMESPACES['sm']}}}urlset"
    urls = tree.xpath("sm:url", namespaces=NAMESPACES)
    assert urls
    for url in urls:
        children = [etree.QName(child) for child in url]
        assert children[0].localname == "loc" and children[0].namespace == NAMESPACES["sm"]
        # The protocol lets other namespaces follow its own elements, never come between them.
        names = [(name.namespace, name.localname) for name in children]
        assert names == sorted(names, key=lambda name: name[0] == XHTML)
        location = url.findtext(f"{{{NAMESPACES['sm']}}}loc")
        alternates = {
            (link.get("rel"), link.get("hreflang"), link.get("href"))
            for link in url.iterfind(f"{{{XHTML}}}link")
        }
        assert alternates == {
            *(("alternate", code, f"{location}?lang={code}") for code, _ in settings.LANGUAGES),
            ("alternate", "x-default", location),
        }
    assert f"http://testserver{item.get_absolute_url()}" in locations(tree) or section != "items"
