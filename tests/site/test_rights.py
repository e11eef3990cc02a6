"""Rights on the public site: the item page shows the statement with its badge and a link, and
the browse answers "Can I reuse this?" with counts."""
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from catalog.models import Item
from catalog.site.facets import facets_for
from catalog.site.filters import UNKNOWN_REUSE, ItemFilterSet
from tests.factories import DigitalFileFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db

CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
INC_EDU = "http://rightsstatements.org/vocab/InC-EDU/1.0/"
BY = "http://creativecommons.org/licenses/by/4.0/"
PDM = "http://creativecommons.org/publicdomain/mark/1.0/"
BY_NC = "http://creativecommons.org/licenses/by-nc/4.0/"


def published(rights_uri="", **kwargs):
    return ItemFactory(status=Item.PUBLISHED, rights_uri=rights_uri, **kwargs)


def page(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    return html.fromstring(response.content)


def reuse_counts(query=""):
    filterset = ItemFilterSet(QueryDict(query), queryset=Item.objects.published())
    facet = next((facet for facet in facets_for(filterset) if facet.name == "reuse"), None)
    return [(value.key, value.label, value.count, value.selected) for value in facet.values] if facet else []


def test_the_rights_section_shows_the_label_with_its_badge_and_a_link_then_the_notes(client):
    item = published(INC, title="Soviet troops leaving Norway")
    StatementFactory(item=item, term="rights", value="Photograph: Sør-Varanger Museum")

    tree = page(client, item.get_absolute_url())

    [section] = tree.xpath('//section[@aria-labelledby="group-rights"]')
    values = section.xpath(".//dd")
    badge, link = values[0].xpath("./*[local-name()='svg']")[0], values[0].xpath("./a")[0]
    assert (link.get("href"), link.text_content()) == (INC, "In Copyright")
    # the label is written beside it: the badge is not read out a second time
    assert badge.get("aria-hidden") == "true" and badge.text_content() == "InC"
    assert values[1].text_content() == "Photograph: Sør-Varanger Museum"


def test_an_item_with_only_a_uri_still_has_its_rights_section_in_norwegian(client):
    item = published(BY, title="Bridge")
    response = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nb-NO,nb;q=0.9")
    tree = html.fromstring(response.content)
    assert tree.xpath("/html/@lang") == ["nb"]
    links = tree.xpath('//section[@aria-labelledby="group-rights"]//dd/a')
    assert [(a.get("href"), a.text_content()) for a in links] == [(BY, "Creative Commons Navngivelse 4.0 Internasjonal")]


def test_no_uri_no_statement_shown(client):
    item = published(title="Letter")
    assert page(client, item.get_absolute_url()).xpath('//section[@aria-labelledby="group-rights"]') == []


def test_the_reuse_facet_groups_and_counts_the_published_items():
    for uri in (PDM, BY, BY, BY_NC, INC_EDU, INC, CNE, ""):
        published(uri)
    ItemFactory(rights_uri=PDM)  # a draft counts nowhere

    assert reuse_counts() == [
        ("free", "Free to reuse", 3, False), ("conditions", "Reuse with conditions", 2, False),
        ("permission", "Ask for permission", 1, False), ("unknown", "Rights unknown", 2, False),
    ]


def test_choosing_an_answer_filters_and_the_others_keep_their_counts():
    free = [published(PDM), published(BY)]
    published(INC)
    unknown = [published(CNE), published()]

    filterset = ItemFilterSet(QueryDict("reuse=free"), queryset=Item.objects.published())
    assert sorted(filterset.qs, key=lambda item: item.pk) == free
    assert reuse_counts("reuse=free") == [
        ("free", "Free to reuse", 2, True), ("permission", "Ask for permission", 1, False), ("unknown", "Rights unknown", 2, False),
    ]
    both = ItemFilterSet(QueryDict("reuse=free&reuse=unknown"), queryset=Item.objects.published())
    assert sorted(both.qs, key=lambda item: item.pk) == free + unknown
    assert [label for name, _key, label in both.active_values()] == ["Free to reuse", "Rights unknown"]


def test_a_uri_outside_the_list_is_counted_and_found_as_unknown():
    published(PDM)
    older = published("http://example.org/our-own-terms")  # an older record's, before the list
    counted = dict((key, count) for key, _label, count, _selected in reuse_counts())
    assert counted == {"free": 1, "unknown": 1}

    filterset = ItemFilterSet(QueryDict("reuse=unknown"), queryset=Item.objects.published())
    assert list(filterset.qs) == [older]


def test_another_filter_narrows_the_reuse_counts():
    published(PDM, dcmi_type="StillImage")
    published(INC, dcmi_type="Text")
    assert reuse_counts("type=Text") == [("permission", "Ask for permission", 1, False)]


def test_an_unknown_answer_is_refused_with_the_choices():
    filterset = ItemFilterSet(QueryDict("reuse=maybe"), queryset=Item.objects.published())
    assert filterset.errors["reuse"] == [UNKNOWN_REUSE % {"value": "maybe"}]


def test_the_browse_page_offers_the_facet_and_links_each_answer(client):
    free, asked = published(PDM), published(INC)
    tree = page(client, reverse("catalog:browse"))
    [section] = tree.xpath('//section[@aria-labelledby="facet-reuse"]')
    assert section.xpath("./h3")[0].text_content() == "Can I reuse this?"
    links = {a.xpath('.//span[@class="facet__label"]')[0].text: a.get("href") for a in section.xpath(".//a")}
    assert set(links) == {"Free to reuse", "Ask for permission"}
    assert "reuse=free" in links["Free to reuse"]
    chosen = page(client, reverse("catalog:browse") + "?reuse=permission")
    hrefs = chosen.xpath("//a/@href")
    assert asked.get_absolute_url() in hrefs and free.get_absolute_url() not in hrefs
    assert chosen.xpath('//section[@aria-labelledby="facet-reuse"]//a[contains(@class, "is-selected")]')


def test_a_file_whose_rights_differ_names_them_in_its_caption_and_one_that_shares_them_does_not(client):
    item = published(CNE, title="Soviet troops leaving Norway")
    scan = DigitalFileFactory(item=item, label="Print", rights_uri=BY, position=0)
    scan.display.save("display/print.jpg", ContentFile(b"jpeg"), save=True)
    same = DigitalFileFactory(item=item, label="Verso", rights_uri=CNE, position=1)
    same.display.save("display/verso.jpg", ContentFile(b"jpeg"), save=True)

    tree = page(client, item.get_absolute_url())

    captions = {" ".join(c.text_content().split()) for c in tree.xpath("//figcaption")}
    assert captions == {"Print This file: CC BY Creative Commons Attribution 4.0 International", "Verso"}
    assert tree.xpath("//figcaption//*[local-name()='svg']/@aria-hidden") == ["true"]
    [link] = tree.xpath("//figcaption//a[@href=$uri]", uri=BY)
    assert link.text_content() == "Creative Commons Attribution 4.0 International"


def test_the_page_reads_the_files_rights_without_a_query_per_file(client):
    def queries(files):
        item = published(CNE, title=f"{files} files")
        for position in range(files):
            DigitalFileFactory(item=item, rights_uri=BY, position=position, original_public=True)
        with CaptureQueriesContext(connection) as context:
            client.get(item.get_absolute_url())
        return len(context)

    assert queries(1) == queries(6)
