"""StatementEditor: the item page's statement inline drawn as the editor.

The formset gets the item's template (from the posted form, else the item's TemplateUse, else
?template=<code> on the add page) and one empty row, its term preset, for each of the
template's elements the item has no value under yet, so a new photograph starts with the
photograph's fields; and one empty row with no term, the fallback's way to add any value.
"""

from django import forms

from ...materials import rules
from ...models import Statement
from .statements import EditorStatementForm, EditorStatementFormSet
from .widgets import TermField

TEMPLATE_FIELD = "template"  # the item form's field (item_form.TemplateChoice)


class StatementEditor:
    form = EditorStatementForm
    formset = EditorStatementFormSet
    template = "admin/catalog/item/statement_editor.html"

    @property
    def media(self):
        # A property, not a Media class: the inline's own Media class would hide a mixin's.
        return super().media + forms.Media(js=["catalog/editor.js"], css={"all": ["catalog/editor.css"]})

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "term":
            kwargs["choices_form_class"] = TermField  # copied per row without its 55 choices
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        template = item_template(request, obj)
        present = Statement.objects.filter(item=obj).values_list("term", flat=True) if obj else ()
        rows = rules.starting_rows(template, present) if template is not None else []
        base = kwargs.pop("formset", self.formset)

        class Formset(base):
            def __init__(self, *args, **kw):
                kw.setdefault("initial", rows)
                super().__init__(*args, **kw)

        Formset.template = template
        return super().get_formset(request, obj, formset=Formset, extra=len(rows) + 1, **kwargs)


def item_template(request, obj):
    """The template the page is about: as posted, else the item's, else the add page's
    ?template=."""
    if request.method == "POST":
        return rules.find(request.POST.get(TEMPLATE_FIELD))
    if obj is not None:
        return rules.template_of(obj)
    return rules.find(request.GET.get(TEMPLATE_FIELD))
