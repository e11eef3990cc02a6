"""The pieces of an OAI-PMH response: envelope, errors, headers, records, resumption tokens.

A list of records is written as bytes (`headers`, `records`): each record's metadata comes
ready-made from the fragment cache (catalog/oai/cache/), so the page is its headers, written by
a string template from values escaped for XML, and the fragments between them. The rest of the
response is built with lxml as before, with MARKER where the list goes (`Ready`), and
`serialize` puts the list there.
"""
import re
from functools import lru_cache
from typing import NamedTuple
from xml.sax.saxutils import escape

from django.utils import timezone
from lxml import etree

from catalog.dublincore import NS_XSI

from .identify import oai_identifier
from .markup import NS_OAI, OAI_SCHEMA, XSI_SCHEMA_LOCATION, datestamp, text

_HEADER = etree.QName(NS_OAI, "header").text
_IDENTIFIER = etree.QName(NS_OAI, "identifier").text
_DATESTAMP = etree.QName(NS_OAI, "datestamp").text
_SET_SPEC = etree.QName(NS_OAI, "setSpec").text
_RECORD = etree.QName(NS_OAI, "record").text
_METADATA = etree.QName(NS_OAI, "metadata").text


def envelope(*, base_url, arguments=None):
    """The OAI-PMH root with responseDate and request; `arguments` are echoed as attributes
    (None when the request was at fault, which the protocol forbids echoing)."""
    e_root = etree.Element(etree.QName(NS_OAI, "OAI-PMH"), nsmap={None: NS_OAI, "xsi": NS_XSI})
    e_root.set(XSI_SCHEMA_LOCATION, f"{NS_OAI} {OAI_SCHEMA}")
    # No xml-stylesheet instruction: browsers are dropping XSLT, and people read the same verbs
    # as pages at /oai/browse (pages.py), which the site's footer links to.
    etree.SubElement(e_root, etree.QName(NS_OAI, "responseDate")).text = datestamp(timezone.now())
    e_request = etree.SubElement(e_root, etree.QName(NS_OAI, "request"))
    e_request.text = text(base_url)
    for name, value in (arguments or {}).items():
        e_request.set(name, text(value))
    return e_root


def errors(e_root, problems):
    for problem in problems:
        e_error = etree.SubElement(e_root, etree.QName(NS_OAI, "error"), code=problem.code())
        e_error.text = text(problem.message)


def header(parent, record):
    e_header = etree.SubElement(parent, _HEADER)
    if record.deleted:
        e_header.set("status", "deleted")
    etree.SubElement(e_header, _IDENTIFIER).text = oai_identifier(record.identifier)
    etree.SubElement(e_header, _DATESTAMP).text = datestamp(record.datestamp)
    for set_spec in record.set_specs:
        etree.SubElement(e_header, _SET_SPEC).text = set_spec
    return e_header


class Ready(NamedTuple):
    """A verb's element whose list of headers or records is ready as bytes: `element` holds
    MARKER as its text, where `body` goes when the response is serialised."""

    element: etree._Element
    body: list


# The list's place. Arguments echoed in the request element come before it and may hold any
# text, so serialize() looks for its last occurrence: after it comes only the resumptionToken,
# whose text and attributes hold no space.
MARKER = "ARKIV RECORDS GO HERE"
_MARKER = MARKER.encode()


def element(answer):
    """A verb's answer as one lxml element, its ready list parsed in (for readers such as the
    browsable pages, pages.py, which walk the tree)."""
    if not isinstance(answer, Ready):
        return answer
    before, _marker, after = etree.tostring(answer.element).rpartition(_MARKER)
    return etree.fromstring(b"".join([before, *answer.body, after]))


def headers(found) -> list:
    """The headers of the records, as bytes: each as stored (a published item's, where the
    page read it: cache/headers.py) or written now."""
    prefix = _escape(oai_identifier(""))
    return [b"".join([record.header or _header(record, prefix).encode() for record in found])]


def header_bytes(found) -> dict:
    """{pk: header as bytes} of published records, written now (for cache/headers.py to store)."""
    prefix = _escape(oai_identifier(""))
    return {record.pk: _header(record, prefix).encode() for record in found}


def records(found, metadata, *, schema_url=None) -> list:
    """Each record as bytes: its header, and the metadata bytes of `metadata` ({pk: bytes}) for
    a published one."""
    written = []
    prefix = _escape(oai_identifier(""))
    for record in found:
        header = record.header or _header(record, prefix).encode()
        if record.deleted:
            written += (b"<record>", header, b"</record>")
        else:
            written += (b"<record>", header, b"<metadata>", metadata[record.pk], b"</metadata></record>")
    return written


def _header(record, prefix) -> str:
    """`prefix`: the OAI identifiers' (identify.oai_identifier("")), escaped, read once a page."""
    # Identifiers and setSpecs are checked on the way in (validators.IDENTIFIER_PATTERN, the set
    # grammar), but escaped all the same: the page's well-formedness rests on nothing else.
    identifier = record.identifier
    if _TO_ESCAPE.search(identifier):
        identifier = escape(text(identifier))
    sets = "".join([_set_spec(set_spec) for set_spec in record.set_specs])
    status = ' status="deleted"' if record.deleted else ""
    return (
        f"<header{status}><identifier>{prefix}{identifier}</identifier>"
        f"<datestamp>{datestamp(record.datestamp)}</datestamp>{sets}</header>"
    )


@lru_cache(maxsize=4096)
def _set_spec(set_spec):
    # A page repeats a handful of sets hundreds of times.
    return f"<setSpec>{_escape(set_spec)}</setSpec>"


# What escape() and text() would change: markup characters and what XML 1.0 forbids. One search
# finds that nothing is to be changed in the common case (a page escapes a thousand values).
_TO_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(value):
    value = str(value)
    return escape(text(value)) if _TO_ESCAPE.search(value) else value


def record(parent, record, metadata_format, *, schema_url):
    """A record: its header, and its metadata unless it is deleted."""
    e_record = etree.SubElement(parent, _RECORD)
    header(e_record, record)
    if not record.deleted:
        e_metadata = etree.SubElement(e_record, _METADATA)
        metadata_format.record(e_metadata, record.description, schema_url=schema_url)
    return e_record


def resumption_token(parent, *, token="", expires=None, complete_list_size, cursor):
    """The list's resumptionToken; empty on its last page."""
    e_token = etree.SubElement(parent, etree.QName(NS_OAI, "resumptionToken"))
    e_token.text = token
    if expires is not None:
        e_token.set("expirationDate", datestamp(expires))
    e_token.set("completeListSize", str(complete_list_size))
    e_token.set("cursor", str(cursor))
    return e_token


def metadata_formats(parent, formats, *, site_url):
    for metadata_format in formats:
        e_format = etree.SubElement(parent, etree.QName(NS_OAI, "metadataFormat"))
        for name, value in (
            ("metadataPrefix", metadata_format.prefix),
            ("schema", metadata_format.schema_url(site_url)),
            ("metadataNamespace", metadata_format.namespace),
        ):
            etree.SubElement(e_format, etree.QName(NS_OAI, name)).text = value


def serialize(e_root, body=None) -> bytes:
    """The response as bytes; `body`, a list of bytes, goes where MARKER stands."""
    xml = etree.tostring(e_root.getroottree(), xml_declaration=True, encoding="UTF-8")
    if body is None:
        return xml
    # The last occurrence: the marker is the verb element's text, after the request element.
    before, marker, after = xml.rpartition(_MARKER)
    assert marker, "the verb element lost its MARKER"
    return b"".join([before, *body, after])
