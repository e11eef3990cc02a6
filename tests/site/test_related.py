"""Records link to records on the item page: a relation to another item links to it where the
reader may see it, and the other item shows the relation from its own end."""
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from catalog import relations, services
from catalog.models import Item, Level, Statement
from catalog.site import related
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def item(identifier, title, status=Item.PUBLISHED, **fields):
    return ItemFactory(identifier=identifier, title=title, status=status, dcmi_type="Text", **fields)


def relate(source, term, target, value=None, position=10):
    return Statement.objects.create(
        item=source, term=term, value=value if value is not None else target.title, target=target, position=position,
    )


def page(client, identifier):
    response = client.get(f"/items/{identifier}/")
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    return html.fromstring(response.content)


def rows(tree):
    """{label: [(text, href or None)]} of the page's description."""
    found = {}
    for row in tree.xpath("//div[@class='description__row']"):
        label = " ".join(row.xpath("./dt")[0].text_content().split())
        found[label] = [
            (" ".join(dd.text_content().split()), (dd.xpath("./a/@href") or [None])[0]) for dd in row.xpath("./dd")
        ]
    return found


@pytest.fixture
def note():
    return item("finnmark-1945-note-0924", "Note on the Soviet forces in Eastern Finnmark")


@pytest.fixture
def article():
    return item("barentsobserver-2015", "70 years since last Soviet troops left Norway")


def test_a_relation_links_to_the_item_it_names(client, note, article):
    relate(article, "references", note, "Note on the Soviet forces (24 September 1945)")
    assert rows(page(client, article.identifier))["References"] == [
        ("Note on the Soviet forces (24 September 1945)", "/items/finnmark-1945-note-0924/"),
    ]


def test_the_cited_item_shows_the_relation_from_its_own_end(client, note, article):
    relate(article, "references", note)
    assert rows(page(client, note.identifier))["Referenced by"] == [
        ("70 years since last Soviet troops left Norway", "/items/barentsobserver-2015/"),
    ]


@pytest.mark.parametrize("term, inverse_label", [
    ("isPartOf", "Has part"), ("hasPart", "Part of"), ("hasVersion", "Version of"), ("isVersionOf", "Has version"),
    ("replaces", "Replaced by"), ("isReplacedBy", "Replaces"), ("requires", "Required by"),
    ("isRequiredBy", "Requires"), ("isFormatOf", "Other format"), ("hasFormat", "Format of"),
    ("relation", "Related"), ("source", "Source of"), ("isReferencedBy", "References"),
])
def test_every_relation_reads_as_its_inverse_on_the_other_item(client, note, article, term, inverse_label):
    relate(article, term, note)
    assert rows(page(client, note.identifier))[inverse_label] == [
        ("70 years since last Soviet troops left Norway", "/items/barentsobserver-2015/"),
    ]


def test_inverse_labels_are_norwegian_for_norwegian_readers(client, note, article):
    relate(article, "references", note)
    relate(article, "source", note, position=11)
    response = client.get(f"/items/{note.identifier}/", HTTP_ACCEPT_LANGUAGE="nb")
    found = rows(html.fromstring(response.content))
    assert "Referert til i" in found
    assert "Kilde for" in found


def test_an_inverse_already_typed_on_the_item_is_not_listed_twice(client, note, article):
    relate(article, "references", note)
    relate(note, "isReferencedBy", article, "The 2015 article")
    assert rows(page(client, note.identifier))["Referenced by"] == [("The 2015 article", "/items/barentsobserver-2015/")]


def test_a_relation_to_a_draft_is_plain_text_for_visitors_and_a_link_for_staff(client, admin_client, article):
    draft = item("draft-note", "Secret draft", status=Item.DRAFT)
    relate(article, "references", draft, "A note not yet described")
    tree = page(client, article.identifier)
    assert rows(tree)["References"] == [("A note not yet described", None)]
    assert b"draft-note" not in client.get(f"/items/{article.identifier}/").content
    assert rows(page(admin_client, article.identifier))["References"] == [("A note not yet described", "/items/draft-note/")]


@pytest.mark.parametrize("hide", ["withdraw", "draft unit above"])
def test_a_relation_to_a_withdrawn_item_or_one_under_a_draft_unit_is_plain_text(client, note, article, hide):
    relate(article, "references", note)
    if hide == "withdraw":
        services.item_withdraw(item=note)
    else:
        series = item("series-draft", "Draft series", status=Item.DRAFT, level=Level.objects.get(code="series"))
        note.refresh_from_db()
        note.parent = series
        note.save()
    assert rows(page(client, article.identifier))["References"] == [(note.title, None)]


def test_the_inverse_lists_only_items_the_reader_may_see(client, admin_client, note):
    hidden = item("draft-article", "Draft article", status=Item.DRAFT)
    relate(hidden, "references", note)
    assert "Referenced by" not in rows(page(client, note.identifier))
    assert rows(page(admin_client, note.identifier))["Referenced by"] == [("Draft article", "/items/draft-article/")]


def test_a_deleted_target_leaves_its_text(client, note, article):
    relate(article, "references", note, "The note of 24 September")
    note.delete()
    statement = Statement.objects.get(item=article, term="references")
    assert (statement.value, statement.target_id) == ("The note of 24 September", None)
    assert rows(page(client, article.identifier))["References"] == [("The note of 24 September", None)]


def test_a_much_cited_item_lists_the_first_ones_and_says_there_are_more(client, note, monkeypatch):
    monkeypatch.setattr(relations, "INVERSE_LIMIT", 3)
    for n in range(5):
        relate(item(f"article-{n}", f"Article {n}"), "references", note)
    tree = page(client, note.identifier)
    assert [text for text, _ in rows(tree)["Referenced by"]] == ["Article 0", "Article 1", "Article 2"]
    assert tree.xpath("//p[contains(., 'More items than these refer to this one')]")


def test_the_item_page_costs_the_same_queries_with_one_or_thirty_relations(client):
    def queries(identifier):
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/items/{identifier}/").status_code == HTTPStatus.OK
        return len(context)

    few, many = item("few", "Few"), item("many", "Many")
    relate(item("few-0", "Few 0"), "references", few)
    relate(few, "references", item("few-cited", "Few cited"))
    for n in range(30):
        relate(item(f"many-{n}", f"Many {n}"), "references", many, position=n)
        relate(many, "references", item(f"many-cited-{n}", f"Many cited {n}"), position=n)
    assert queries("few") == queries("many")


def test_target_url_is_empty_for_an_unlinked_or_hidden_item(note, article):
    linked = relate(article, "references", note)
    plain = Statement.objects.create(item=article, term="references", value="Some book")
    assert related.target_url(linked, None) == "/items/finnmark-1945-note-0924/"
    assert related.target_url(plain, None) == ""
    Item.objects.filter(pk=note.pk).update(status=Item.DRAFT)
    linked.refresh_from_db()
    assert related.target_url(linked, None) == ""


# --- the demo catalogue ----------------------------------------------------------------------------

def test_the_demo_note_shows_the_articles_that_refer_to_it_and_they_link_to_it(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", verbosity=0, stdout=StringIO())
    note = Item.objects.get(identifier="finnmark-1945-note-0924")
    assert not note.statements.filter(term="isReferencedBy").exists()  # shown from the articles' end
    assert rows(page(client, note.identifier))["Referenced by"] == [
        ("70 years since last Soviet troops left Norway", "/items/barentsobserver-2015-soviet-troops-left-norway/"),
        ("Italy and other European countries that were occupied by the Red Army", "/items/russian-seven-2020-red-army-europe/"),
    ]
    for article in ("barentsobserver-2015-soviet-troops-left-norway", "russian-seven-2020-red-army-europe"):
        references = rows(page(client, article))["References"]
        assert ("Note on the Soviet forces in Eastern Finnmark (24 September 1945)", "/items/finnmark-1945-note-0924/") in references
    # The works the articles cite are items too: the published ones linked and showing the
    # article from their end, Diakonoff's memoirs (a draft) named as text only.
    assert rows(page(client, "aftenposten-2015-05-13-udgaard"))["Referenced by"] == [
        ("70 years since last Soviet troops left Norway", "/items/barentsobserver-2015-soviet-troops-left-norway/"),
    ]
    references = rows(page(client, "russian-seven-2020-red-army-europe"))["References"]
    assert ("Memoirs of Igor Diakonov", None) in references
    assert ("One Hundred Nights in the Mountains of Yugoslavia (1975)", "/items/mikhailov-1975-hundred-nights-yugoslavia/") in references
