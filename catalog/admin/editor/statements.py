"""The statements of the item editor, grouped into the sections of dublincore.EDITOR_SECTIONS.

EditorStatementForm     a StatementForm whose new row counts as unchanged (so is neither checked
                        nor saved) while it holds no value, authority or related item, whatever
                        its term and language: the template's empty rows and an element's “Add”
                        carry a term before anyone writes in them.
EditorStatementFormSet  StatementFormSet's rules, plus: publishing an item that has a template
                        needs a value in each required element (materials.rules), the refusal
                        listed at the top and marked on each section that lacks one. sections()
                        gives the template the forms by section, in the template's order and
                        then the vocabulary's; each section says which fields its values need.
"""
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from ... import dublincore, relations
from ...forms import StatementForm, StatementFormSet
from ...materials import rules
from ...models import Item
from .widgets import TermSelect

UNSET = object()


class EditorStatementForm(StatementForm):
    class Meta(StatementForm.Meta):
        widgets = {**StatementForm.Meta.widgets, "term": TermSelect(attrs={"style": "max-width: 14em"})}

    def has_changed(self):
        if self.instance.pk is None and not self.holds_something():
            return False
        return super().has_changed()

    def holds_something(self):
        for name in ("value", "authority", "target"):
            if name in self.fields and str(self[name].value() or "").strip():
                return True
        return False

    def term(self):
        """The term this row has now: as posted, else as stored or preset."""
        return (self["term"].value() or "") if "term" in self.fields else self.instance.term


@dataclass
class Section:
    key: str
    label: str
    terms: tuple
    forms: list = field(default_factory=list)
    required: bool = False
    missing: bool = False

    @property
    def default_term(self):
        return self.terms[0]

    @property
    def term_labels(self):
        """{term: plain label} as JSON, for the script's refinement select."""
        return json.dumps({term: str(dublincore.LABELS[term]) for term in self.terms})

    @property
    def takes_authority(self):
        return any(term in dublincore.AUTHORITY_KINDS for term in self.terms)

    @property
    def takes_target(self):
        return any(term in relations.RELATION_TERMS for term in self.terms)

    @property
    def hidden(self):
        return not self.forms and not self.required


class EditorStatementFormSet(StatementFormSet):
    template = None  # the item's MaterialTemplate, set by StatementEditor.get_formset()
    missing_sections = ()

    def clean(self):
        super().clean()
        if self.instance.status != Item.PUBLISHED or any(self.errors):
            return
        template = getattr(self.instance, "chosen_template", UNSET)
        template = rules.template_of(self.instance) if template is UNSET else template
        if template is None:
            return
        terms = [
            form.cleaned_data["term"] for form in self.forms
            if self._is_kept(form) and form.cleaned_data.get("term") and rules.filled(form.instance)
        ]
        self.missing_sections = rules.missing(template, terms)
        if self.missing_sections:
            raise rules.refusal(self.instance.identifier, template, self.missing_sections)

    def sections(self):
        """The editor's sections with their forms; then a last one, key "", of rows with no
        term yet (the fallback's empty rows)."""
        order = []
        if self.template is not None:
            for element in self.template.elements.all():
                key = dublincore.SECTION_OF[element.term]
                if key not in order:
                    order.append(key)
        order += [section.key for section in dublincore.EDITOR_SECTIONS if section.key not in order]
        required = {
            dublincore.SECTION_OF[element.term] for element in self.template.elements.all() if element.required
        } if self.template is not None else set()
        sections = {
            key: Section(
                key, dublincore.SECTIONS[key].label, dublincore.SECTIONS[key].terms,
                required=key in required, missing=key in self.missing_sections,
            ) for key in order
        }
        loose = Section("", "", ())
        for index, form in enumerate(self.forms):
            key = dublincore.SECTION_OF.get(form.term())
            (sections[key] if key else loose).forms.append((_position(form, index), index, form))
        result = [*sections.values(), loose]
        for section in result:
            section.forms = [form for _position_, _index, form in sorted(section.forms, key=lambda f: f[:2])]
        return result


def _position(form, index):
    try:
        return int(form["position"].value())
    except (TypeError, ValueError):
        return 10**9 + index

