"""Templates per kind of material: shipped with the catalogue, a new item started from one gets
its empty fields and defaults, and every way of publishing refuses while a required element is
missing (the add and change forms, the list action, the services layer)."""
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog import services
from catalog.materials.models import MaterialTemplate, TemplateElement, TemplateUse
from catalog.materials.shipped import CNE
from catalog.models import Item, Statement
from tests.admin.conftest import form_data
from tests.admin.test_items import change_url, run_action
from tests.factories import CollectionFactory, ItemFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:catalog_item_add")
CHANGELIST = reverse("admin:catalog_item_changelist")
MISSING = "cannot be published yet: the template “Photograph” asks for"
GIVE = "Give each a value, or choose another template."


def rows(data):
    """{term: form prefix} of the statement rows in posted `data`, first row per term."""
    found = {}
    for key, value in data.items():
        if key.startswith("statements-") and key.endswith("-term") and value:
            found.setdefault(value, key[: -len("-term")])
    return found


def started(client, code="photograph", identifier="kirkenes-1944-017", **values):
    """The add page of template `code`, posted back as a browser would after filling `values`
    ({term: value}) into the template's empty rows."""
    response = client.get(ADD, {"template": code})
    data = form_data(response)
    data["identifier"] = identifier
    prefixes = rows(data)
    for term, value in values.items():
        data[f"{prefixes[term]}-value"] = value
    return response, data


def test_the_shipped_templates_are_in_the_catalogue():
    shipped = {t.code: t for t in MaterialTemplate.objects.select_related("level")}
    assert set(shipped) == {"photograph", "letter", "clipping", "fonds", "series", "file"}
    assert (shipped["photograph"].dcmi_type, shipped["photograph"].level.code, shipped["photograph"].rights_uri) == (
        "StillImage", "item", CNE)
    assert [t.level.code for t in (shipped["fonds"], shipped["series"], shipped["file"])] == ["fonds", "series", "file"]
    required = list(TemplateElement.objects.filter(template=shipped["photograph"], required=True).values_list("term", flat=True))
    assert required == ["title", "created", "spatial", "description"]


def test_a_new_photograph_starts_with_the_templates_fields_and_defaults(editor_client):
    template = MaterialTemplate.objects.get(code="photograph")
    template.language, template.collection = "nb", CollectionFactory()
    template.save()

    response, data = started(editor_client)

    form = response.context["adminform"].form
    assert form.initial["dcmi_type"] == "StillImage" and form.initial["rights_uri"] == CNE
    assert form.initial["level"] == template.level_id and form.initial["collections"] == [template.collection_id]
    assert form.initial["template"] == "photograph"
    terms = [term for term in rows(data)]
    assert terms == ["title", "creator", "created", "spatial", "subject", "description", "extent", "rightsHolder"]
    assert data[f"{rows(data)['title']}-lang"] == "nb"
    assert data[f"{rows(data)['created']}-lang"] == ""  # a date is in no language


def test_an_item_started_from_a_template_is_saved_with_only_the_filled_rows(editor_client):
    response, data = started(editor_client, title="Soviet soldiers in Kirkenes", created="1944-10-25")

    answer = editor_client.post(ADD + "?template=photograph", data)

    assert answer.status_code == HTTPStatus.FOUND, answer.context and answer.context["errors"]
    item = Item.objects.get(identifier="kirkenes-1944-017")
    assert sorted(item.statements.values_list("term", "value")) == [
        ("created", "1944-10-25"), ("title", "Soviet soldiers in Kirkenes")]
    assert (item.dcmi_type, item.rights_uri, item.level.code) == ("StillImage", CNE, "item")
    assert TemplateUse.objects.get(item=item).template.code == "photograph"


def test_publishing_from_the_add_form_is_refused_with_the_missing_elements(editor_client):
    _response, data = started(editor_client, title="Soviet soldiers in Kirkenes", created="1944-10-25")
    data["status"] = "published"

    answer = editor_client.post(ADD + "?template=photograph", data)

    assert answer.status_code == HTTPStatus.OK
    page = answer.content.decode()
    assert f"kirkenes-1944-017 {MISSING} Place and Description." in page
    assert page.count("Required for publishing: give this a value.") == 2  # on each element that lacks one
    assert not Item.objects.filter(identifier="kirkenes-1944-017").exists()


def test_a_required_element_is_met_by_another_term_of_it(editor_client):
    _response, data = started(
        editor_client, title="Soviet soldiers in Kirkenes", created="", spatial="Kirkenes",
        description="Soldiers on the quay.",
    )
    date = rows(data)["created"]
    data[f"{date}-term"], data[f"{date}-value"] = "date", "1944"  # the refinement changed in the editor
    data["status"] = "published"

    answer = editor_client.post(ADD + "?template=photograph", data)

    assert answer.status_code == HTTPStatus.FOUND, answer.context and answer.context["errors"]
    assert Item.objects.get(identifier="kirkenes-1944-017").status == Item.PUBLISHED


def templated(code="photograph", **terms):
    item = ItemFactory()
    for position, (term, value) in enumerate(terms.items(), start=1):
        Statement.objects.create(item=item, term=term, value=value, position=position)
    TemplateUse.objects.create(item=item, template=MaterialTemplate.objects.get(code=code))
    item.refresh_from_db()
    return item


def test_the_services_layer_refuses_to_publish_while_an_element_is_missing():
    item = templated(created="1944")
    with pytest.raises(ValidationError) as refused:
        services.item_publish(item=item)
    assert refused.value.messages == [f"{item.identifier} {MISSING} Place and Description. {GIVE}"]
    item.refresh_from_db()
    assert item.status == Item.DRAFT
    Statement.objects.create(item=item, term="spatial", value="Kirkenes", position=5)
    Statement.objects.create(item=item, term="abstract", value="Soldiers on the quay.", position=6)
    assert services.item_publish(item=item).status == Item.PUBLISHED


def test_an_item_without_a_template_needs_only_its_title():
    assert services.item_publish(item=ItemFactory()).status == Item.PUBLISHED


def test_the_publish_action_lists_what_is_missing_and_publishes_the_rest(editor_client):
    lacking, complete = templated(), templated(created="1944", spatial="Kirkenes", description="Quay")

    response = run_action(editor_client, "publish_items", [lacking, complete])

    messages = [str(m) for m in response.wsgi_request._messages]
    assert f"{lacking.identifier} {MISSING} Date, Place and Description. {GIVE}" in messages
    assert dict(Item.objects.values_list("pk", "status")) == {lacking.pk: "draft", complete.pk: "published"}


def test_publishing_through_the_change_form_is_refused_on_a_templated_item(editor_client):
    item = templated(created="1944", spatial="Kirkenes")
    data = form_data(editor_client.get(change_url(item)))
    data["status"] = "published"

    answer = editor_client.post(change_url(item), data)

    assert answer.status_code == HTTPStatus.OK
    assert f"{item.identifier} {MISSING} Description." in answer.content.decode()
    item.refresh_from_db()
    assert item.status == Item.DRAFT


def test_the_change_form_offers_an_empty_row_for_each_template_element_still_empty(editor_client):
    item = templated(created="1944")
    data = form_data(editor_client.get(change_url(item)))
    assert list(rows(data)) == ["title", "created", "creator", "spatial", "subject", "description", "extent", "rightsHolder"]
    assert data["template"] == "photograph"


def test_removing_the_template_lifts_its_requirements(editor_client):
    item = templated()
    data = form_data(editor_client.get(change_url(item)))
    data.pop("template")
    data["status"] = "published"

    answer = editor_client.post(change_url(item), data)

    assert answer.status_code == HTTPStatus.FOUND, answer.context and answer.context["errors"]
    assert not TemplateUse.objects.filter(item=item).exists()
    assert Item.objects.get(pk=item.pk).status == Item.PUBLISHED


def test_the_item_list_and_the_add_page_offer_each_template(editor_client):
    listing = editor_client.get(CHANGELIST).content.decode()
    add = editor_client.get(ADD).content.decode()
    for code, label in [("photograph", "Photograph"), ("letter", "Document or letter"), ("fonds", "Fonds")]:
        assert f'href="{ADD}?template={code}" class="addlink">Add {label}</a>' in listing
        assert f'<a href="?template={code}">{label}</a>' in add


def test_a_superuser_edits_a_template_and_its_elements(admin_client):
    template = MaterialTemplate.objects.get(code="clipping")
    url = reverse("admin:materials_materialtemplate_change", args=[template.pk])
    response = admin_client.get(url)
    assert response.status_code == HTTPStatus.OK
    data = form_data(response)
    data["rights_uri"] = ""
    data["language"] = "nb"
    answer = admin_client.post(url, data)
    assert answer.status_code == HTTPStatus.FOUND, answer.context and answer.context["errors"]
    template.refresh_from_db()
    assert template.language == "nb"


# --- the CSV import: a row that publishes an item started from a template ------------------------

from tests.imports.conftest import run  # noqa: E402,F401  (the import fixture)


def test_an_import_row_publishing_a_templated_item_is_refused_while_an_element_is_missing(run):
    lacking = templated(created="1944")
    complete = templated(created="1944", spatial="Kirkenes", description="Quay")
    data = (
        "identifier,status,dc:description@en\n"
        f"{lacking.identifier},published,\n{complete.identifier},published,\n"
    )

    _result, store = run(data, apply=True, skip_bad_rows=True)

    messages = [error["message"] for error in store.errors()]
    assert messages == [f"{lacking.identifier} {MISSING} Place and Description. {GIVE}"]
    assert dict(Item.objects.values_list("pk", "status")) == {lacking.pk: "draft", complete.pk: "published"}


def test_an_import_row_filling_the_missing_element_may_publish_it(run):
    item = templated(created="1944", spatial="Kirkenes")

    run(f"identifier,status,dc:description@en\n{item.identifier},published,On the quay\n", apply=True)

    assert Item.objects.get(pk=item.pk).status == Item.PUBLISHED
