"""What a template asks of an item before it is published, and what a new item starts with.

missing(template, statements)   the required elements that have no value, as editor sections in
                                the template's order; a statement counts when it has a value, an
                                authority or a related item, under any term of the section.
check_publishable(item)         raises ValidationError listing them (services.item_publish calls
                                it, so every way of publishing obeys it).
starting_rows(template, terms)  the empty value rows a form shows for the template's elements
                                the item has nothing under yet, with the template's language on
                                the terms whose values are text in a language.
"""
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import dublincore, relations
from .models import MaterialTemplate, TemplateUse

MISSING_REQUIRED = _(
    "%(identifier)s cannot be published yet: the template “%(template)s” asks for %(elements)s. "
    "Give each a value, or choose another template."
)
REQUIRED_HERE = _("Required for publishing: give this a value.")
# Values that are codes, dates, numbers or names of other records rather than text in a language.
LANGUAGELESS = frozenset({
    *dublincore.DATE_TERMS, *relations.RELATION_TERMS, "identifier", "language", "extent", "format",
    "type", "bibliographicCitation", "dateAccepted", "dateSubmitted", "conformsTo",
})


def template_of(item):
    """The template `item` was started from, or None."""
    if item is None or item.pk is None:
        return None
    use = TemplateUse.objects.filter(item_id=item.pk).select_related("template").first()
    return use.template if use else None


def filled(statement):
    return bool((statement.value or "").strip() or statement.authority_id or statement.target_id)


def missing(template, terms_filled):
    """The required editor sections of `template` with no term in `terms_filled` (an iterable of
    the terms that have a value), in the template's order, each once."""
    have = {dublincore.SECTION_OF[term] for term in terms_filled}
    sections = []
    for element in template.elements.all():
        section = dublincore.SECTION_OF[element.term]
        if element.required and section not in have and section not in sections:
            sections.append(section)
    return sections


def refusal(identifier, template, sections):
    return ValidationError(MISSING_REQUIRED, code="missing_required", params={
        "identifier": identifier, "template": template.label,
        "elements": get_text_list(
            [str(dublincore.SECTIONS[key].label) for key in sections], pgettext_lazy("in a list", "and"),
        ),
    })


def check_publishable(item):
    template = template_of(item)
    if template is None:
        return
    terms = [s.term for s in item.statements.all() if filled(s)]
    sections = missing(template, terms)
    if sections:
        raise refusal(item.identifier, template, sections)


def starting_rows(template, terms_present=()):
    """Initial data for the empty rows of a form: one per template element whose section holds
    nothing yet, in the template's order."""
    have = {dublincore.SECTION_OF[term] for term in terms_present}
    rows = []
    for element in template.elements.all():
        section = dublincore.SECTION_OF[element.term]
        if section in have:
            continue
        have.add(section)
        lang = "" if element.term in LANGUAGELESS else template.language
        rows.append({"term": element.term, "lang": lang})
    return rows


def find(code):
    return MaterialTemplate.objects.filter(code=code).first() if code else None
