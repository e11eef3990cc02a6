"""The item editor without JavaScript (through the test client): statements grouped by element in
the order of the template and then of the vocabulary, each value with its own fields and its own
errors; the plain formset underneath saves additions, reorders and removals as posted."""
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog import dublincore
from catalog.materials.models import MaterialTemplate, TemplateUse
from catalog.models import Authority, Statement
from tests.admin.conftest import form_data
from tests.admin.test_items import change_url
from tests.factories import AuthorityFactory, ItemFactory, VariantFactory

pytestmark = pytest.mark.django_db

SECTION = re.compile(r'<section class="editor-section" id="statements-(\w+)"[^>]*?( hidden)?>')


def described(**extra):
    item = ItemFactory(title="Soviet soldiers in Kirkenes")
    for position, (term, value) in enumerate(extra.items(), start=2):
        Statement.objects.create(item=item, term=term.rstrip("_"), value=value, position=position, lang="en")
    return item


def shown_sections(page):
    """The keys of the sections shown (not hidden), in page order."""
    return [key for key, hidden in SECTION.findall(page) if not hidden]


def value_row(page, statement_or_prefix):
    """The HTML of one value's <li> in the editor."""
    prefix = statement_or_prefix
    match = re.search(rf'<li class="editor-value[^"]*" id="{prefix}">(.*?)</li>', page, re.S)
    return match.group(1)


def test_every_term_has_exactly_one_section_of_the_editor():
    terms = [term for section in dublincore.EDITOR_SECTIONS for term in section.terms]
    assert sorted(terms) == sorted(dublincore.TERMS)


def test_values_are_shown_under_their_element_in_the_vocabularys_order(staff_client):
    item = described(created="1944-10-25", subject="Liberation", spatial="Kirkenes", description="On the quay")

    page = staff_client.get(change_url(item)).content.decode()

    assert shown_sections(page) == ["title", "date", "place", "subject", "description"]
    assert '<h3 id="statements-date-label">Date</h3>' in page
    assert '<h3 id="statements-place-label">Place</h3>' in page


def test_a_templated_item_shows_its_templates_elements_first_and_marks_the_required(staff_client):
    item = described(subject="Liberation")
    TemplateUse.objects.create(item=item, template=MaterialTemplate.objects.get(code="photograph"))

    page = staff_client.get(change_url(item)).content.decode()

    assert shown_sections(page)[:7] == ["title", "creator", "date", "place", "subject", "description", "format"]
    assert 'Date <span class="editor-required">(required for publishing)</span>' in page


def test_values_of_an_element_are_listed_in_their_order(staff_client):
    item = described(subject="Second", subject_="First")
    second, first = item.statements.filter(term="subject").order_by("position")
    Statement.objects.filter(pk=first.pk).update(position=1)  # now before the title too

    response = staff_client.get(change_url(item))
    subject = response.context["inline_admin_formsets"][0].formset.sections()
    forms = next(section for section in subject if section.key == "subject").forms

    assert [form.instance.value for form in forms] == ["First", "Second"]


def test_the_fallback_adds_a_value_through_its_empty_row_and_reorders_by_position(staff_client):
    item = described(subject="Liberation", subject_="Red Army")
    data = form_data(staff_client.get(change_url(item)))
    liberation, red_army = item.statements.filter(term="subject").order_by("position")
    prefix = {data[key]: key[: -len("-id")] for key in data if key.endswith("-id") and key.startswith("statements-")}
    data[f"{prefix[red_army.pk]}-position"], data[f"{prefix[liberation.pk]}-position"] = "2", "3"
    blank = int(data["statements-TOTAL_FORMS"]) - 1  # the row with no term yet
    data.update({f"statements-{blank}-term": "spatial", f"statements-{blank}-value": "Kirkenes",
                 f"statements-{blank}-position": "4"})

    response = staff_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["errors"]
    assert list(item.statements.order_by("position", "id").values_list("term", "value")) == [
        ("title", "Soviet soldiers in Kirkenes"), ("subject", "Red Army"), ("subject", "Liberation"),
        ("spatial", "Kirkenes"),
    ]


def test_the_fallback_removes_a_value(staff_client):
    item = described(subject="Liberation")
    data = form_data(staff_client.get(change_url(item)))
    subject = item.statements.get(term="subject")
    prefix = next(key[: -len("-id")] for key, value in data.items() if key.endswith("-id") and value == subject.pk)
    data[f"{prefix}-DELETE"] = "on"

    response = staff_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND
    assert list(item.statements.values_list("term", flat=True)) == ["title"]


def test_a_validation_message_sits_on_the_value_it_concerns(staff_client):
    item = described(subject="Liberation", description="On the quay")
    data = form_data(staff_client.get(change_url(item)))
    subject = item.statements.get(term="subject")
    prefix = next(key[: -len("-id")] for key, value in data.items() if key.endswith("-id") and value == subject.pk)
    data[f"{prefix}-lang"] = "not a language!"

    response = staff_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "errorlist" in value_row(page, prefix)
    description_prefix = next(
        key[: -len("-id")] for key, value in data.items()
        if key.endswith("-id") and value == item.statements.get(term="description").pk
    )
    assert "errorlist" not in value_row(page, description_prefix)
    assert item.statements.get(pk=subject.pk).lang == "en"  # nothing stored changed


def test_a_row_with_a_term_but_no_value_is_neither_refused_nor_saved(staff_client):
    item = described()
    data = form_data(staff_client.get(change_url(item)))
    blank = int(data["statements-TOTAL_FORMS"]) - 1
    data.update({f"statements-{blank}-term": "created", f"statements-{blank}-lang": "en"})

    response = staff_client.post(change_url(item), data)

    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["errors"]
    assert item.statements.count() == 1


def test_only_elements_that_take_authority_records_offer_the_lookup(staff_client):
    item = described(created="1944", creator="Yevgeny Khaldei")
    page = staff_client.get(change_url(item)).content.decode()
    date_row = re.search(r'<section class="editor-section" id="statements-date".*?</section>', page, re.S).group(0)
    creator_row = re.search(r'<section class="editor-section" id="statements-creator".*?</section>', page, re.S).group(0)
    assert "1944" in date_row and "editor-authority" not in date_row
    assert "editor-authority" in creator_row and "admin-autocomplete" in creator_row


def test_the_authority_lookup_finds_a_record_by_a_variant_spelling(staff_client):
    khaldei = AuthorityFactory(kind=Authority.AGENT, preferred_label="Khaldei, Yevgeny")
    VariantFactory(authority=khaldei, label="Chaldej, Jewgeni")

    found = staff_client.get(reverse("admin:autocomplete"), {
        "term": "Chaldej", "app_label": "catalog", "model_name": "statement", "field_name": "authority",
    }).json()

    assert [result["id"] for result in found["results"]] == [str(khaldei.pk)]


def test_the_page_loads_the_editor_script_and_style_as_files(staff_client):
    page = staff_client.get(reverse("admin:catalog_item_add")).content.decode()
    assert 'src="/static/catalog/editor.js"' in page and 'href="/static/catalog/editor.css"' in page
    assert "<script>" not in page  # no inline script: the admin's Content-Security-Policy


def test_a_user_who_may_only_view_items_gets_the_plain_table(db):
    from django.contrib.auth.models import Permission, User
    from django.test import Client

    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_item", "view_statement"]))
    client = Client()
    client.force_login(viewer)
    item = described(subject="Liberation")

    response = client.get(change_url(item))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "statement-editor" not in page and "Liberation" in page
