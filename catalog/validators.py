"""Validators shared by the models, the admin forms and the CSV importer."""
import re

import langcodes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IDENTIFIER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
LOCAL_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")

# Brace placeholders, filled after translation (IDENTIFIER_INVALID.format(value=...)).
IDENTIFIER_INVALID = _(
    "“{value}” cannot be an identifier: use 1-100 letters A-Z, digits, dots, hyphens or "
    "underscores, starting with a letter or digit (for example “kirkenes-1945-003”)."
)
LANGUAGE_INVALID = _(
    "“{value}” is not a BCP 47 language tag: use a code such as “en”, “nb”, “ru” or “se”, "
    "optionally with a region or script (“en-GB”, “ru-Latn”)."
)

LOCAL_CODE_INVALID = _(
    "“%(value)s” cannot be a local reference code: use letters, digits, dots, hyphens or "
    "underscores (“A”, “3”, “1944-2”); “/” joins the levels' codes and cannot be part of one."
)

TOO_MANY_STATEMENTS = _(
    "%(identifier)s would have %(count)d statements, and an item may have at most %(limit)d: "
    "put a long list (an index of names, a table of contents) in the full text, or describe "
    "the parts as items of their own."
)


def validate_identifier(value):
    """Accession identifiers appear in URLs and OAI identifiers, so they must be URL-safe."""
    if not IDENTIFIER_PATTERN.match(value or ""):
        raise ValidationError(IDENTIFIER_INVALID.format(value=value), code="invalid_identifier")


def validate_local_code(value):
    """A unit's own part of the reference code; "/" separates the parts, spaces the prefixes."""
    if value and not LOCAL_CODE_PATTERN.match(value):
        raise ValidationError(LOCAL_CODE_INVALID, code="invalid_local_code", params={"value": value})


def validate_language(value):
    if value and not langcodes.tag_is_valid(value):
        raise ValidationError(LANGUAGE_INVALID.format(value=value), code="invalid_language")


def normalise_language(value):
    """The canonical form of a valid tag (`EN-gb` -> `en-GB`); anything else is left as it is,
    for validate_language to report."""
    if not value or not langcodes.tag_is_valid(value):
        return value or ""
    return langcodes.standardize_tag(value, macro=False)


def validate_statement_count(count, *, identifier):
    """The one cap on an item's statements, which every way of writing them asks.

    `count` is how many statements the item would have once written. The admin page, the CSV
    export and every output read all of an item's statements at once, so an item of 20,000
    statements cost hundreds of megabytes wherever it was shown (ARKIV_MAX_STATEMENTS_PER_ITEM).
    """
    limit = settings.ARKIV_MAX_STATEMENTS_PER_ITEM
    if count > limit:
        raise ValidationError(
            TOO_MANY_STATEMENTS, code="too_many_statements",
            params={"identifier": identifier or _("The item"), "count": count, "limit": limit},
        )
