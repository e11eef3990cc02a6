"""TermSelect (catalog/admin/editor/widgets.py): Django's select HTML, drawn without templates."""
import pytest
from django import forms
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext

from catalog.admin.editor.statements import EditorStatementForm
from catalog.admin.editor.widgets import TermSelect
from tests.admin.test_items import change_url
from tests.factories import ItemFactory, StatementFactory

CHOICES = [
    ("", "---------"),
    ("Title", [("title", "Title (dc:title)"), ("alternative", "Other <title> & “more”")]),
    ("subject", "Subject"),
    ("subject", "Subject again"),
    ("rights", "100 % <free>"),
]
html = SimpleTestCase()


@pytest.mark.parametrize("value", ["alternative", "subject", None, "", "not a choice"])
def test_the_select_is_what_djangos_select_draws(value):
    attrs = {"id": "id_term", "style": "max-width: 14em", "required": True, "disabled": False}
    expected = forms.Select(attrs={"style": "max-width: 14em"}, choices=CHOICES).render("term", value, attrs)
    drawn = TermSelect(attrs={"style": "max-width: 14em"}, choices=CHOICES).render("term", value, attrs)
    html.assertHTMLEqual(drawn, expected)


def test_the_statement_form_draws_its_term_with_it():
    form = EditorStatementForm(prefix="statements-0", initial={"term": "creator"})
    drawn = str(form["term"])
    assert isinstance(form.fields["term"].widget, TermSelect)
    assert '<option value="creator" selected>' in drawn and drawn.count("<option") > 50


@pytest.mark.django_db
def test_the_change_forms_queries_do_not_grow_with_its_statements(staff_client):
    def queries(count):
        item = ItemFactory(title="Harbour")
        for position in range(count):
            StatementFactory(item=item, term="description", value=f"Note {position}", position=position + 2)
        staff_client.get(change_url(item))  # warm-up: the session, the templates
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(change_url(item)).status_code == 200
        return len(captured)

    assert queries(2) == queries(30)


def test_the_term_field_is_copied_with_its_own_widget_and_the_shared_choices():
    import copy

    from catalog.admin.editor.widgets import TermField

    field = TermField(choices=CHOICES, widget=TermSelect)
    copied = copy.deepcopy(field)
    assert copied is not field and copied.widget is not field.widget
    assert list(copied.choices) == list(field.choices) and copied.widget.choices == field.widget.choices
    copied.widget.attrs["id"] = "id_other"
    assert "id" not in field.widget.attrs


def test_the_options_are_drawn_in_the_language_of_each_request():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    choices = [("title", gettext_lazy("Title")), ("date", gettext_lazy("Date"))]
    select = TermSelect(choices=choices)
    with translation.override("en"):
        assert ">Title</option>" in select.render("term", "title")
    with translation.override("nb"):
        assert '<option value="title" selected>Tittel</option>' in select.render("term", "title")
    with translation.override("en"):
        assert '<option value="date" selected>Date</option>' in select.render("term", "date")
