"""Validation at the edge, shared by the admin and the CSV importer.

The models hold the rules every record obeys (Statement.clean checks that an authority fits its
term); these forms add the rules of an edit: what may change once published, what publishing
needs, and which uploads the archive keeps (through imaging.examine). Every error says how to
put it right, and carries a code.

Brace-style constants (IDENTIFIER_FIXED, MERGE_MIXED_KINDS) are filled after translation with
.format(), so that tests can build the expected text from the same constant.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import imaging
from .models import Authority, DigitalFile, Item, Statement
from .services import PUBLISH_NO_TITLE
from .validators import validate_statement_count

IDENTIFIER_FIXED = _(
    "“{identifier}” has been published, and harvesters know the item by it, so it cannot "
    "change: keep it, and record the other number as a dc:identifier statement."
)
# For developers (a misuse of the form, never shown to an archivist): not translated.
FILE_NOT_COMMITTED = (
    "A new digital file is stored as soon as it is accepted: call save() with commit=True."
)
MERGE_TOO_FEW = _(
    "Select at least two records to merge: the one to keep and the duplicates to fold into it."
)
MERGE_MIXED_KINDS = _(
    "The selection mixes {kinds}, and only records of one kind can be merged: select agents, "
    "places or concepts only."
)
MERGE_TARGET_LABEL = _("Keep this record")
MERGE_TARGET_REQUIRED = _("Choose the record to keep: the others are merged into it.")
POSITION_HELP = _("Leave empty to put a new file after the others.")
FILE_FIXED_HELP = _("To replace this file, upload the new one as another file and delete this one.")


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["identifier", "dcmi_type", "status", "rights_uri", "collections", "full_text"]

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"]
        stored = self.instance
        if stored.pk and stored.ever_published and identifier != stored.identifier:
            raise ValidationError(
                IDENTIFIER_FIXED.format(identifier=stored.identifier), code="identifier_fixed"
            )
        return identifier


class StatementForm(forms.ModelForm):
    """One statement; Statement.clean checks the language tag and the authority's kind."""

    class Meta:
        model = Statement
        fields = ["position", "term", "value", "lang", "authority", "target"]
        widgets = {
            "term": forms.Select(attrs={"style": "max-width: 14em"}),
            "value": forms.Textarea(attrs={"rows": 3, "cols": 30}),
            "lang": forms.TextInput(attrs={"size": 5}),
            "position": forms.NumberInput(attrs={"style": "width: 3.5em"}),
        }


class StatementFormSet(forms.BaseInlineFormSet):
    """The statements of one item. A published item (or one being published) keeps a title,
    and no item has more statements than validate_statement_count allows."""

    def clean(self):
        super().clean()
        validate_statement_count(
            sum(1 for form in self.forms if self._is_kept(form)), identifier=self.instance.identifier
        )
        if self.instance.status != Item.PUBLISHED or any(self.errors):
            return
        if not any(self._is_title(form) for form in self.forms):
            raise ValidationError(
                PUBLISH_NO_TITLE.format(identifier=self.instance.identifier), code="no_title"
            )

    def _is_kept(self, form):
        """Whether the form stands for a statement once saved: a stored one not deleted, or a
        new one filled in (the empty extra forms are not saved)."""
        if self.can_delete and self._should_delete_form(form):
            return False
        return form.instance.pk is not None or form.has_changed()

    def _is_title(self, form):
        data = getattr(form, "cleaned_data", None) or {}
        return (
            not data.get("DELETE")
            and data.get("term") == "title"
            and bool((data.get("value") or "").strip() or data.get("authority"))
        )


class DigitalFileForm(forms.ModelForm):
    """An upload, checked by imaging.examine() while the form validates, so a refusal shows on
    the field, and stored by imaging.ingest() on save. A stored original is never replaced in
    place: its checksum is the archive's proof of fixity.

    The check reads no pixels: decoding an image (the costly part) waits for
    DigitalFileFormSet.clean(), once the rest of the page is valid, so that a page sent back
    for a missing title does not decode every scan on it each time."""

    class Meta:
        model = DigitalFile
        fields = ["file", "label", "position", "original_public", "rights_uri"]
        widgets = {
            "label": forms.TextInput(attrs={"size": 14}),
            "position": forms.NumberInput(attrs={"style": "width: 3.5em"}),
            "rights_uri": forms.Select(attrs={"style": "max-width: 14em"}),  # the labels are long
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.examination = None
        if "position" in self.fields:
            self.fields["position"].required = False
            self.fields["position"].help_text = POSITION_HELP
            if not self.instance.pk:  # an empty box, not the model's default of 0
                self.initial.pop("position", None)
                self.fields["position"].initial = None
        if self.instance.pk and "file" in self.fields:
            self.fields["file"].disabled = True
            self.fields["file"].help_text = FILE_FIXED_HELP

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not self.instance.pk:
            self.examination = imaging.examine(upload, name=upload.name, decode=False)
        return upload

    def clean_position(self):
        position = self.cleaned_data.get("position")
        self.position_given = position is not None
        return self.instance.position if position is None else position

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit)
        if not commit:
            raise ValueError(FILE_NOT_COMMITTED)
        data = self.cleaned_data
        digital_file = imaging.ingest(
            item=self.instance.item, file=data["file"], name=data["file"].name,
            label=data.get("label", ""), original_public=data.get("original_public", False),
            examination=self.examination,
        )
        if self.position_given or data.get("rights_uri"):
            digital_file.position = data["position"] if self.position_given else digital_file.position
            digital_file.rights_uri = data.get("rights_uri", "")
            digital_file.save(update_fields=["position", "rights_uri"])
        self.instance = digital_file
        return digital_file


class DigitalFileFormSet(forms.BaseInlineFormSet):
    """The files of an item page. Each new image is decoded here (imaging.describe), so that a
    damaged one is refused on its own field, but only when `ready()` says the rest of the page
    validated: the admin sets it (ItemAdmin._create_formsets)."""

    def ready(self):
        return True

    def clean(self):
        super().clean()
        if not self.ready():
            return
        for form in self.forms:
            examination = getattr(form, "examination", None)
            if examination is None or form.errors or self._should_delete_form(form):
                continue
            try:
                imaging.describe(examination)
            except ValidationError as error:
                form.add_error("file", error)


def check_merge_selection(records):
    """Raise ValidationError unless `records` can be merged: two or more, all of one kind."""
    if len(records) < 2:
        raise ValidationError(MERGE_TOO_FEW, code="merge_too_few")
    kinds = sorted({str(record.get_kind_display()) for record in records})
    if len(kinds) > 1:
        raise ValidationError(
            MERGE_MIXED_KINDS.format(kinds=get_text_list(kinds, pgettext_lazy("in a list", "and"))),
            code="merge_kinds",
        )


class AuthorityMergeForm(forms.Form):
    """Which of the selected authority records survives; the others are folded into it."""

    target = forms.ModelChoiceField(
        queryset=Authority.objects.none(), widget=forms.RadioSelect, empty_label=None,
        label=MERGE_TARGET_LABEL, error_messages={"required": MERGE_TARGET_REQUIRED},
    )

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = list(records)
        self.fields["target"].queryset = Authority.objects.filter(
            pk__in=[record.pk for record in self.records]
        )

    def clean(self):
        check_merge_selection(self.records)
        return super().clean()

    def sources(self):
        """The records that will be merged into the chosen one."""
        target = self.cleaned_data["target"]
        return [record for record in self.records if record.pk != target.pk]
