"""IIIF language maps ({"en": ["…"], "none": ["…"]}).

A statement's value goes under its own language tag, or "none" where it states none (IIIF's
word for a value in no language). What Arkiv itself says (the name of a term, a page's label)
goes under every language of the interface, translated, so a viewer picks the reader's.
"""
import re

from django.conf import settings
from django.utils import translation

NO_LANGUAGE = "none"


def of_statements(statements):
    """The display values of `statements`, grouped by language in their order; None if empty."""
    grouped = {}
    for statement in statements:
        value = statement.display_value.strip()
        if value:
            grouped.setdefault(map_key(statement.lang), []).append(value)
    return grouped or None


def map_key(tag):
    """The key of a language map for a BCP 47 tag: IIIF's keys are letters and hyphens only, so
    a subtag with digits (the region of es-419) is left off; no tag is "none"."""
    kept = "-".join(part for part in (tag or "").split("-") if part and not re.search(r"\d", part))
    return kept or NO_LANGUAGE


def of_values(values, language=NO_LANGUAGE):
    values = [value for value in values if value]
    return {language: values} if values else None


def translated(message, **params):
    """`message` (a lazy translation) in every interface language."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            text = str(message) % params if params else str(message)
        result[code] = [text]
    return result
