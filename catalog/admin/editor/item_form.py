"""TemplateChoice: the item form's choice of template (kind of material).

On the add page ?template=<code> (“Add photograph”) chooses it and gives the form the template's
defaults where nothing else set them: DCMI type, level of description, rights statement and
collection (the language goes on the template's empty rows: inline.py). Saving records the
choice as the item's TemplateUse, which publishing then checks (materials.rules); an empty
choice removes it.
"""
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ...materials import rules
from ...materials.models import MaterialTemplate, TemplateUse

TEMPLATE_HELP = _(
    "What kind of material this is: its template lists the elements to describe and those "
    "required for publishing."
)


class TemplateChoice(forms.ModelForm):
    template = forms.ModelChoiceField(
        queryset=MaterialTemplate.objects.all(), to_field_name="code", required=False,
        label=capfirst(_("template")), help_text=TEMPLATE_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            template = rules.template_of(self.instance)
            self.initial["template"] = template.code if template else None
            return
        template = rules.find(self.initial.get("template"))
        if template is None:
            return
        defaults = {
            "dcmi_type": template.dcmi_type, "level": template.level_id,
            "rights_uri": template.rights_uri,
            "collections": [template.collection_id] if template.collection_id else None,
        }
        for name, value in defaults.items():
            if value and name in self.fields and not self.initial.get(name):
                self.initial[name] = value

    def clean(self):
        data = super().clean()
        # The statement formset validates after this form and asks the chosen template.
        self.instance.chosen_template = data.get("template")
        return data

    def _save_m2m(self):
        super()._save_m2m()
        template = self.cleaned_data.get("template")
        if template is None:
            TemplateUse.objects.filter(item=self.instance).delete()
        else:
            TemplateUse.objects.update_or_create(item=self.instance, defaults={"template": template})
