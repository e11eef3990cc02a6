"""What every OAI-PMH output shares: namespaces, text that XML 1.0 can carry, datestamps.

Catalogue data may hold characters XML 1.0 forbids (a control character pasted from a word
processor, a stray NUL from an old database); lxml refuses them, and a harvest would die on one
record. Every value goes through `set_text()` (or `text()`, for attributes) on its way into an
element, so that no such character ever reaches a response, and the rest of the value still does.
"""
import re
from datetime import timezone
from functools import lru_cache

from catalog.dublincore import NS_XML, NS_XSI

NS_OAI = "http://www.openarchives.org/OAI/2.0/"
NS_OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
NS_STATIC_REPOSITORY = "http://www.openarchives.org/OAI/2.0/static-repository"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
STATIC_REPOSITORY_SCHEMA = "http://www.openarchives.org/OAI/2.0/static-repository.xsd"

XML_LANG = f"{{{NS_XML}}}lang"
XSI_SCHEMA_LOCATION = f"{{{NS_XSI}}}schemaLocation"
XSI_TYPE = f"{{{NS_XSI}}}type"

# XML 1.0, production [2] Char: everything outside these ranges is forbidden.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# xs:language, the type of xml:lang in the schemas harvesters validate against.
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def text(value) -> str:
    """`value` as a string XML 1.0 can carry: forbidden characters are dropped."""
    return _NOT_XML.sub("", str(value))


def set_text(element, value):
    """Give an element its text, dropping characters XML 1.0 forbids.

    lxml itself refuses every such character, so the clean value is only computed for the rare
    value that needs it, which keeps the common case (hundreds of thousands of values in a full
    harvest) at the cost of one assignment.
    """
    try:
        element.text = value
    except ValueError:
        element.text = text(value)


def set_lang(element, lang):
    """Tag an element's language, if the tag is one a schema-checking harvester accepts."""
    if lang and _is_language(lang):
        element.set(XML_LANG, lang)


@lru_cache(maxsize=512)
def _is_language(lang):
    return bool(_LANGUAGE.match(lang))


def datestamp(moment) -> str:
    """A UTC datestamp at seconds granularity (YYYY-MM-DDThh:mm:ssZ); fractions are dropped,
    never rounded up, so a datestamp is never later than the moment it stands for."""
    # isoformat is twice as fast as strftime, and a full harvest formats a million of these
    # (records.moment gives them in UTC already).
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="seconds")[:19] + "Z"


def day(moment) -> str:
    """A UTC datestamp at day granularity (YYYY-MM-DD)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d")
