import io

import lxml.html
import pytest
from lxml import etree
from django.template import engines
from PIL import Image

from catalog import imaging

from catalog.site import htmlmeta
from catalog.site.htmlmeta import Tag
from catalog.models import Item, Statement
from tests.factories import ItemFactory, described_note

pytestmark = pytest.mark.django_db

BASE_URL = "https://arkiv.example.org"
NOTE_URL = "https://arkiv.example.org/items/finnmark-1945-note-0924/"
NOTE_DESCRIPTION = (
    "Signed statement that the Soviet forces claimed no material compensation, kept the "
    "retreating German army from destroying homes, roads and bridges, spared 20,000–25,000 "
    "people from forced evacuation, and helped with food and rebuilding."
)
# The loop the module's docstring gives the item page template.
HEAD_TEMPLATE = (
    '{% for tag in head_tags %}<{{ tag.name }}{% for attr, value in tag.attrs %} {{ attr }}="{{ value }}"'
    "{% endfor %}>\n{% endfor %}"
)


def described(item):
    return Item.objects.with_description().get(pk=item.pk)


def item_with(*statements, dcmi_type="Text", **fields):
    """An item whose statements are (term, value[, lang]) tuples."""
    item = ItemFactory(dcmi_type=dcmi_type, **fields)
    for position, (term, value, *lang) in enumerate(statements, start=1):
        Statement.objects.create(item=item, term=term, value=value, lang="".join(lang), position=position)
    return described(item)


def meta(name, content, **attrs):
    return Tag("meta", (("name", name), ("content", content), *attrs.items()))


def og(prop, content):
    return Tag("meta", (("property", prop), ("content", content)))


def render(tags):
    return engines["django"].from_string(HEAD_TEMPLATE).render({"head_tags": tags})


def test_the_note_in_dc_html_and_open_graph():
    assert htmlmeta.head_tags(described_note(), base_url=BASE_URL) == [
        Tag("link", (("rel", "schema.DC"), ("href", "http://purl.org/dc/elements/1.1/"))),
        Tag("link", (("rel", "schema.DCTERMS"), ("href", "http://purl.org/dc/terms/"))),
        meta("DC.title", "Note on the Soviet forces in Eastern Finnmark", lang="en"),
        meta("DCTERMS.alternative", "Notat om de sovjetiske styrkene i Øst-Finnmark", lang="nb"),
        meta("DC.creator", "R. Karlsen"),
        meta("DC.creator", "P. Lukin-Griege"),
        meta("DC.subject", "Withdrawal of Soviet troops from Norway"),
        meta("DC.description", NOTE_DESCRIPTION, lang="en"),
        meta("DC.contributor", "Igor Diakonoff"),
        meta("DCTERMS.created", "24 Sept 1945"),  # not W3CDTF, so no scheme is claimed
        meta("DC.type", "Note", lang="en"),
        meta("DC.type", "Text", scheme="DCTERMS.DCMIType"),
        meta("DC.identifier", "finnmark-1945-note-0924"),
        meta("DC.identifier", NOTE_URL, scheme="DCTERMS.URI"),
        meta("DC.language", "nb", scheme="DCTERMS.RFC5646"),
        meta("DCTERMS.spatial", "Kirkenes"),
        meta("DCTERMS.rightsHolder", "National Archives of Norway"),
        meta(
            "DCTERMS.provenance",
            "Digitised by the National Archives of Norway and released for Liberation Day in May "
            "2015 (the article announcing it misprints the year as 1915).",
            lang="en",
        ),
        og("og:type", "website"),
        og("og:title", "Note on the Soviet forces in Eastern Finnmark"),
        og("og:url", NOTE_URL),
        og("og:site_name", "Arkiv demo catalogue"),
        og("og:description", NOTE_DESCRIPTION),
    ]


@pytest.mark.parametrize(
    "term, value, scheme",
    [
        ("created", "1945-09-24", "DCTERMS.W3CDTF"),
        ("date", "1945", "DCTERMS.W3CDTF"),
        ("issued", "2015-05-08T10:00:00+02:00", "DCTERMS.W3CDTF"),
        ("created", "circa 1945", None),
        ("created", "1945-13", None),
        ("language", "ru-Latn", "DCTERMS.RFC5646"),
        ("language", "Russian", None),
        ("format", "image/jpeg", "DCTERMS.IMT"),
        ("extent", "1 leaf", None),
        ("identifier", "https://arkivverket.example.org/123", "DCTERMS.URI"),
        ("isPartOf", "urn:nbn:no-1234", "DCTERMS.URI"),
        ("isPartOf", "Krasnaya Zvezda", None),
        ("type", "StillImage", "DCTERMS.DCMIType"),
        ("title", "1945-09-24", None),
    ],
)
def test_scheme_is_given_only_where_the_value_conforms(term, value, scheme):
    tags = htmlmeta.dublin_core_tags(item_with((term, value)), base_url=BASE_URL)
    (tag,) = [t for t in tags if ("content", value) in t.attrs]
    assert dict(tag.attrs).get("scheme") == scheme


def test_refinements_are_named_in_dcterms_and_sit_after_their_element():
    item = item_with(("abstract", "Summary"), ("description", "Full description"), ("audience", "Schools"))
    names = [dict(t.attrs)["name"] for t in htmlmeta.dublin_core_tags(item, base_url=BASE_URL)[2:]]
    assert names.index("DC.description") < names.index("DCTERMS.abstract") < names.index("DC.type")
    assert names[-1] == "DCTERMS.audience"  # refines no element: after the fifteen


def test_a_type_statement_naming_the_dcmi_type_is_not_repeated():
    item = item_with(("type", "Text"))
    types = [t for t in htmlmeta.dublin_core_tags(item, base_url=BASE_URL) if ("name", "DC.type") in t.attrs]
    assert types == [meta("DC.type", "Text", scheme="DCTERMS.DCMIType")]


def test_open_graph_description_is_the_first_description_on_one_line_and_shortened():
    long_text = "Line one\nline two " + "word " * 100
    item = item_with(("abstract", long_text), ("description", "Second"))
    (description,) = [t for t in htmlmeta.open_graph_tags(item, base_url=BASE_URL) if ("property", "og:description") in t.attrs]
    content = dict(description.attrs)["content"]
    assert content.startswith("Line one line two word word")
    assert len(content) == htmlmeta.OG_DESCRIPTION_CHARS and content.endswith("…")


def test_open_graph_image_is_the_display_derivative():
    item = ItemFactory(dcmi_type="StillImage", title="Soviet troops leaving Norway")
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "sienna").save(buffer, "JPEG")
    buffer.seek(0)
    digital_file = imaging.ingest(item=item, file=buffer, name="troops.jpg")
    tags = htmlmeta.open_graph_tags(described(item), base_url=BASE_URL)
    assert og("og:image", f"https://arkiv.example.org{digital_file.url('display')}") in tags
    assert og("og:image:alt", "Soviet troops leaving Norway") in tags


def test_no_image_no_description_no_open_graph_tags_for_them():
    tags = htmlmeta.open_graph_tags(item_with(), base_url=BASE_URL)
    properties = [dict(t.attrs)["property"] for t in tags]
    assert properties == ["og:type", "og:title", "og:url", "og:site_name"]


def test_rendered_with_autoescape_a_hostile_value_stays_an_attribute_value():
    hostile = '"><script>alert(1)</script><meta name="x'
    item = item_with(("description", hostile, "en"), title=hostile)
    html = render(htmlmeta.head_tags(item, base_url=BASE_URL))
    assert "<script" not in html
    head = lxml.html.fromstring(f"<html><head>{html}</head><body></body></html>").head
    assert head.xpath("//script") == []
    assert head.xpath("//meta[@name='DC.title']/@content") == [hostile]
    assert head.xpath("//meta[@name='DC.description']/@content") == [hostile]
    assert head.xpath("//meta[@name='DC.description']/@lang") == ["en"]
    assert head.xpath("//meta[@property='og:title']/@content") == [hostile]
    assert len(head.xpath("//meta[@name='x']")) == 0


def test_rendered_note_is_well_formed_dc_html():
    html = render(htmlmeta.head_tags(described_note(), base_url=BASE_URL))
    head = lxml.html.fromstring(f"<html><head>{html}</head><body></body></html>").head
    assert head.xpath("//link[@rel='schema.DC']/@href") == ["http://purl.org/dc/elements/1.1/"]
    assert head.xpath("//meta[@name='DCTERMS.alternative']/@lang") == ["nb"]
    assert head.xpath("//meta[@name='DC.type'][@scheme='DCTERMS.DCMIType']/@content") == ["Text"]
    assert "Øst-Finnmark" in head.xpath("//meta[@name='DCTERMS.alternative']/@content")[0]


def test_head_tags_read_only_what_with_description_prefetched(django_assert_num_queries):
    note = described_note()
    with django_assert_num_queries(0):
        htmlmeta.head_tags(note, base_url=BASE_URL)


# --- The page as readers read it: Google Scholar, Zotero, link previews ----------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def page_of(client, item):
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def citation_meta(html):
    """The citation_* tags as Scholar and Zotero's Embedded Metadata translator read them: every
    <meta name="citation_..."> of the parsed document, in order (name, content)."""
    document = lxml.html.fromstring(html)
    return [
        (meta.get("name"), meta.get("content"))
        for meta in document.head.iter("meta") if (meta.get("name") or "").startswith("citation_")
    ]


def alternates(html):
    document = lxml.html.fromstring(html)
    return [
        (link.get("type"), link.get("title"), link.get("href"))
        for link in document.head.iter("link") if link.get("rel") == "alternate" and link.get("type")
    ]


def test_the_notes_page_gives_scholar_and_zotero_a_complete_citation(client):
    note = described_note()
    tags = citation_meta(page_of(client, note))
    assert tags == [
        ("citation_title", "Note on the Soviet forces in Eastern Finnmark"),
        ("citation_author", "Karlsen, R."),
        ("citation_author", "Lukin-Griege, P."),
        ("citation_publication_date", "1945/09/24"),
        ("citation_date", "1945/09/24"),
        ("citation_language", "nb"),
        ("citation_keywords", "Withdrawal of Soviet troops from Norway"),
    ]


def test_open_graph_as_a_link_preview_reads_it(client):
    import extruct

    item = ItemFactory(dcmi_type="StillImage", title="Soviet troops leaving Norway", status=Item.PUBLISHED)
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "sienna").save(buffer, "JPEG")
    buffer.seek(0)
    digital_file = imaging.ingest(item=item, file=buffer, name="troops.jpg")
    html = page_of(client, item)
    (graph,) = extruct.extract(html, base_url="http://testserver/", syntaxes=["opengraph"], uniform=True)["opengraph"]
    assert graph["@type"] == "website"  # og:type, as the uniform syntax names it
    assert graph["og:title"] == "Soviet troops leaving Norway"
    assert graph["og:url"] == f"http://testserver{item.get_absolute_url()}"
    # A public display derivative, by an absolute address: never the original.
    assert graph["og:image"] == f"http://testserver{digital_file.url('display')}"
    assert client.get(digital_file.url("display")).status_code == 200


def test_a_downloadable_pdf_is_citation_pdf_url_and_a_private_one_is_not(client):
    item = ItemFactory(dcmi_type="Text", title="Report on the rebuilding", status=Item.PUBLISHED)
    public = imaging.ingest(item=item, file=io.BytesIO(PDF_BYTES), name="report.pdf", original_public=True)
    imaging.ingest(item=item, file=io.BytesIO(PDF_BYTES), name="private.pdf", original_public=False)
    tags = dict(citation_meta(page_of(client, item)))
    assert tags["citation_pdf_url"] == f"http://testserver{public.url('original')}"
    assert [name for name, _ in citation_meta(page_of(client, item))].count("citation_pdf_url") == 1
    assert client.get(public.url("original")).status_code == 200


def test_the_page_is_the_full_text_only_where_it_shows_one(client):
    item = ItemFactory(dcmi_type="Text", title="Letter", status=Item.PUBLISHED)
    assert "citation_fulltext_html_url" not in dict(citation_meta(page_of(client, item)))
    Item.objects.filter(pk=item.pk).update(full_text="Dear Sir, the bridge is open again.")
    tags = dict(citation_meta(page_of(client, item)))
    assert tags["citation_fulltext_html_url"] == f"http://testserver{item.get_absolute_url()}"


@pytest.mark.parametrize("written, scholar", [
    ("1945-09-24", "1945/09/24"),
    ("September 1945", "1945"),
    ("1944-1945", "1944"),
    ("circa 1945", "1945"),
    ("", None),
])
def test_dates_are_written_as_scholar_reads_them(client, written, scholar):
    item = item_with(("created", written), status=Item.PUBLISHED) if written else item_with(status=Item.PUBLISHED)
    tags = dict(citation_meta(page_of(client, item)))
    assert tags.get("citation_publication_date") == scholar
    assert tags.get("citation_date") == scholar


def test_publishers_are_citation_publisher(client):
    item = item_with(("publisher", "Finnmarken"), ("publisher", "Aftenposten"), status=Item.PUBLISHED)
    assert [v for n, v in citation_meta(page_of(client, item)) if n == "citation_publisher"] == ["Finnmarken", "Aftenposten"]


def test_each_machine_format_is_an_alternate_that_answers(client):
    from catalog.oai import formats
    from tests.oai.support import validate

    note = described_note(rights_uri="http://rightsstatements.org/vocab/InC/1.0/")
    links = alternates(page_of(client, note))
    prefixes = sorted(f.prefix for f in formats.all_formats())
    oai_links = [href for media_type, _title, href in links if media_type == "text/xml"]
    assert len(oai_links) == len(prefixes)
    assert oai_links[0].startswith("http://testserver/oai?verb=GetRecord&metadataPrefix=oai_dc&")
    for href in oai_links:
        response = client.get(href)
        root = etree.fromstring(response.content)
        if "metadataPrefix=edm" not in href:  # EDM records are validated by their own tests
            validate(root)
        assert root.xpath("//*[local-name()='header']/*[local-name()='identifier']/text()") == [
            "oai:arkiv.example.org:finnmark-1945-note-0924"
        ]
    assert [title for media_type, title, _href in links if media_type == "text/xml"][0] == "Dublin Core (oai_dc)"
    (jsonld_link,) = [href for media_type, _title, href in links if media_type == "application/ld+json"]
    response = client.get(jsonld_link)
    assert response["Content-Type"] == "application/ld+json"


def test_a_format_that_leaves_the_item_out_is_not_linked(client, monkeypatch):
    """A format may serve only some items (EDM only those Europeana accepts): an alternate to a
    record the endpoint would refuse is never written."""
    from dataclasses import replace

    from django.db.models import Q

    from catalog.oai import formats

    picky = replace(formats.get("qdc"), prefix="picky", admits=lambda: Q(identifier="someone-else"))
    monkeypatch.setitem(formats._registry, "picky", picky)
    hrefs = [href for _type, _title, href in alternates(page_of(client, described_note()))]
    assert not any("metadataPrefix=picky" in href for href in hrefs)
    assert any("metadataPrefix=qdc" in href for href in hrefs)


def test_a_format_the_registry_lacks_is_not_linked(client, monkeypatch):
    from catalog.oai import formats

    monkeypatch.setattr(formats, "_registry", {"oai_dc": formats.get("oai_dc")})
    hrefs = [href for _type, _title, href in alternates(page_of(client, described_note()))]
    assert not any("metadataPrefix=qdc" in href or "metadataPrefix=edm" in href for href in hrefs)
    assert any("metadataPrefix=oai_dc" in href for href in hrefs)


def test_a_draft_preview_is_neither_cited_nor_offered_in_machine_formats(admin_client):
    draft = item_with(("creator", "R. Karlsen"), status=Item.DRAFT)
    html = page_of(admin_client, draft)
    assert citation_meta(html) == []
    assert alternates(html) == []


def test_reader_tags_cost_one_query_for_each_format_that_serves_some_items_only(django_assert_num_queries):
    from catalog.oai import formats

    note = described_note()
    with django_assert_num_queries(0):
        htmlmeta.citation_tags(note, base_url=BASE_URL)
    selective = [f for f in formats.all_formats() if getattr(f, "admits", None)]
    with django_assert_num_queries(len(selective)):
        htmlmeta.alternate_links(note, base_url=BASE_URL)
