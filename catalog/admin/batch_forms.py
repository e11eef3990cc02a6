"""The batch edit's form: which edit, and what it needs; checked here, at the edge, so that the
engine gets a BatchEdit it can plan (catalog/imports/batch.py)."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import dublincore, rights
from ..imports import batch
from ..imports.batch import BatchEdit, BatchEditError
from ..models import Authority, Collection
from ..validators import validate_language

OPERATION_CHOICES = [
    (batch.ADD_LINK, _("Add a linked subject, place or agent")),
    (batch.REMOVE_LINK, _("Remove a linked subject, place or agent")),
    (batch.ADD_COLLECTION, _("Add to a collection")),
    (batch.REMOVE_COLLECTION, _("Remove from a collection")),
    (batch.SET_RIGHTS, _("Set the rights statement")),
    (batch.REMOVE_RIGHTS, _("Remove a rights statement")),
    (batch.REPLACE, _("Find and replace within one element")),
    (batch.SET_LANGUAGE, _("Set the language of values that have none")),
]
NEEDS_TERM = _("Choose the element this edit works on.")
NOT_CONTROLLED = _("%(term)s is not linked to authority records: choose creator, contributor, publisher, subject, coverage, spatial or temporal.")
NEEDS_RECORD = _("Name the authority record: its address (as in its page's address) or its label.")
NO_RECORD = _("No authority record is called or has the address “%(name)s”: check the spelling, or add the record first.")
AMBIGUOUS_RECORD = _("%(count)d records are called “%(name)s” (%(slugs)s): write the address of the one you mean.")
WRONG_KIND = _("%(term)s takes %(kinds)s records, and “%(record)s” is %(a_kind)s.")
NEEDS_COLLECTION = _("Choose the collection.")
NEEDS_RIGHTS = _("Choose the rights statement.")
NEEDS_FIND = _("Write the text to find.")
NEEDS_LANGUAGE = _("Write the language to set (a BCP 47 tag such as nb, en or ru).")


class BatchEditForm(forms.Form):
    operation = forms.ChoiceField(label=_("Edit"), choices=OPERATION_CHOICES, widget=forms.RadioSelect)
    term = forms.ChoiceField(
        label=pgettext_lazy("Dublin Core", "Element"), required=False,
        help_text=_("For records, replacing and languages: the element (or refinement) to work on."),
    )
    record = forms.CharField(
        label=_("Authority record"), required=False, max_length=255,
        help_text=_("Its address (“igor-diakonoff”) or its label or a variant spelling."),
    )
    collection = forms.ModelChoiceField(label=_("Collection"), queryset=Collection.objects.all(), required=False)
    rights_uri = forms.ChoiceField(label=_("Rights statement"), required=False)
    find = forms.CharField(label=_("Find"), required=False, max_length=batch.PATTERN_LIMIT, strip=False)
    replace = forms.CharField(label=_("Replace with"), required=False, max_length=2000, strip=False)
    use_regex = forms.BooleanField(
        label=_("Regular expression"), required=False,
        help_text=_("Find a pattern; \\1, \\2 … in the replacement put back its groups."),
    )
    lang = forms.CharField(label=_("Language"), required=False, max_length=35, validators=[validate_language])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [("", "—"), *dublincore.term_choices()]
        self.fields["rights_uri"].choices = [("", "—"), *rights.choices()]

    def clean(self):
        data = super().clean()
        operation = data.get("operation")
        if not operation:
            return data
        term = data.get("term") or ""
        needs = {
            batch.ADD_LINK: ("term", "record"), batch.REMOVE_LINK: ("term", "record"),
            batch.ADD_COLLECTION: ("collection",), batch.REMOVE_COLLECTION: ("collection",),
            batch.SET_RIGHTS: ("rights_uri",), batch.REMOVE_RIGHTS: ("rights_uri",),
            batch.REPLACE: ("term", "find"), batch.SET_LANGUAGE: ("term", "lang"),
        }[operation]
        messages = {"term": NEEDS_TERM, "record": NEEDS_RECORD, "collection": NEEDS_COLLECTION,
                    "rights_uri": NEEDS_RIGHTS, "find": NEEDS_FIND, "lang": NEEDS_LANGUAGE}
        for name in needs:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, ValidationError(messages[name], code="required"))
        if self.errors:
            return data
        record = None
        if "record" in needs:
            record = self._record(term, data["record"])
        try:
            data["edit"] = BatchEdit(
                operation=operation, term=term if "term" in needs else "", authority=record,
                collection=data.get("collection"), rights_uri=data.get("rights_uri") or "",
                find=data.get("find") or "", replace=data.get("replace") or "", use_regex=data.get("use_regex", False),
                lang=data.get("lang") or "",
            )
        except BatchEditError as error:
            self.add_error("find", ValidationError(str(error), code="bad_pattern"))
        return data

    def _record(self, term, name):
        kinds = dublincore.AUTHORITY_KINDS.get(term)
        if not kinds:
            raise ValidationError({"term": ValidationError(
                NOT_CONTROLLED, code="not_controlled", params={"term": dublincore.qualified_name(term)})})
        name = name.strip()
        found = list(Authority.objects.filter(slug=name)[:1]) or list(Authority.objects.matching_label(name)[:10])
        if not found:
            raise ValidationError({"record": ValidationError(NO_RECORD, code="no_record", params={"name": name})})
        if len(found) > 1:
            raise ValidationError({"record": ValidationError(AMBIGUOUS_RECORD, code="ambiguous_record", params={
                "count": len(found), "name": name, "slugs": ", ".join(record.slug for record in found)})})
        record = found[0]
        if record.kind not in kinds:
            raise ValidationError({"record": ValidationError(WRONG_KIND, code="wrong_kind", params={
                "term": dublincore.qualified_name(term), "kinds": Authority.kind_names(kinds),
                "record": record, "a_kind": record.a_kind})})
        return record


def edit_as_json(edit):
    return {
        "operation": edit.operation, "term": edit.term, "authority": edit.authority.pk if edit.authority else None,
        "collection": edit.collection.pk if edit.collection else None, "rights_uri": edit.rights_uri,
        "find": edit.find, "replace": edit.replace, "use_regex": edit.use_regex, "lang": edit.lang,
    }


def edit_from_json(data):
    """The edit stored by edit_as_json, with its record and collection as they now are (None if
    deleted since: the edit is then refused by the caller)."""
    values = dict(data)
    values["authority"] = Authority.objects.filter(pk=values["authority"]).first() if values["authority"] else None
    values["collection"] = Collection.objects.filter(pk=values["collection"]).first() if values["collection"] else None
    return BatchEdit(**values)
