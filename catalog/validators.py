"""Validators shared by the models, the admin forms and the CSV importer."""
import re

import langcodes
from django.core.exceptions import ValidationError

IDENTIFIER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

IDENTIFIER_INVALID = (
    "“{value}” cannot be an identifier: use 1-100 letters A-Z, digits, dots, hyphens or "
    "underscores, starting with a letter or digit (for example “kirkenes-1945-003”)."
)
LANGUAGE_INVALID = (
    "“{value}” is not a BCP 47 language tag: use a code such as “en”, “nb”, “ru” or “se”, "
    "optionally with a region or script (“en-GB”, “ru-Latn”)."
)


def validate_identifier(value):
    """Accession identifiers appear in URLs and OAI identifiers, so they must be URL-safe."""
    if not IDENTIFIER_PATTERN.match(value or ""):
        raise ValidationError(IDENTIFIER_INVALID.format(value=value), code="invalid_identifier")


def validate_language(value):
    if value and not langcodes.tag_is_valid(value):
        raise ValidationError(LANGUAGE_INVALID.format(value=value), code="invalid_language")


def normalise_language(value):
    """The canonical form of a valid tag (`EN-gb` -> `en-GB`); anything else is left as it is,
    for validate_language to report."""
    if not value or not langcodes.tag_is_valid(value):
        return value or ""
    return langcodes.standardize_tag(value, macro=False)
