"""Read an uploaded EAD file into an lxml tree, refusing anything that could hurt the server.

An EAD file comes from outside (another archive's AtoM or ArchivesSpace, an e-mail attachment),
so it is parsed the defensive way: entities are never expanded (resolve_entities=False), no DTD
is loaded (load_dtd=False) and nothing is fetched (no_network=True), libxml2 keeps its limits
on node size and depth (huge_tree=False), and no more than ARKIV_MAX_EAD_BYTES (MAX_BYTES, 50
MB, by default) is read: the whole tree is held in memory while units are read from it, and
50 MB is several times the largest finding aids archives publish.

Beyond what the parser refuses, a document type that could do harm is refused before any unit
is read: one that declares entities (a billion-laughs file, an external entity naming
/etc/passwd), one with declarations of its own, and one naming a DTD other than EAD's. AtoM and
older exporters write `<!DOCTYPE ead PUBLIC "…EAD…" ".../ead.dtd">`: that is accepted, since it
is only a name and is never loaded. An entity reference that only a DTD could define (&nbsp;)
is refused with its line, rather than silently dropped.
"""
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from lxml import etree

from . import errors

MAX_BYTES = 50 * 1024 * 1024
"""The default of ARKIV_MAX_EAD_BYTES (archive/settings.py), the largest EAD file an import reads."""

EAD_DTDS = frozenset({"ead.dtd", "ead3.dtd"})
"""File names of EAD's DTDs (EAD 2002's ead.dtd as the Library of Congress publishes it, EAD3's
ead3.dtd): a document type naming one of these is a name only, and harmless unread."""


def looks_like_xml(head):
    """Whether the first bytes of an upload are XML (an EAD file) rather than CSV: after a byte
    order mark and white space, a CSV file starts with a column name, an XML file with "<"."""
    return head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")[:1] == b"<"


def max_bytes():
    return getattr(settings, "ARKIV_MAX_EAD_BYTES", MAX_BYTES)


def parser():
    """The one way Arkiv parses XML it did not write (the options are the contract above)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def read_tree(stream):
    """The tree of a binary stream holding an EAD file. Raises errors.EadError (TooLarge,
    Empty, Malformed, Hostile) and reads nothing beyond the size limit."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise errors.TooLarge(errors.TOO_LARGE % {"size": _megabytes(_size(stream, data)), "limit": _megabytes(limit)})
    if not data.strip():
        raise errors.Empty(errors.EMPTY)
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        problem = error.msg.split(", line ")[0]  # lxml repeats the position at the end
        raise errors.Malformed(
            errors.MALFORMED % {"line": line, "column": column, "problem": problem}, line=line, column=column,
        ) from None
    tree = root.getroottree()
    check_doctype(tree.docinfo)
    for node in root.iter(etree.Entity):
        raise errors.Hostile(errors.ENTITY_REFERENCE % {"line": node.sourceline, "name": node.name}, line=node.sourceline)
    return tree


def check_doctype(docinfo):
    internal = docinfo.internalDTD
    if internal is not None:
        entities = [entity.name for entity in internal.iterentities()]
        if entities:
            raise errors.Hostile(errors.ENTITY_DECLARATIONS % {"names": ", ".join(sorted(set(entities)))})
        if any(True for _ in internal.iterelements()):
            raise errors.Hostile(errors.INTERNAL_SUBSET)
    url = docinfo.system_url
    if url and PurePosixPath(urlsplit(url).path).name.lower() not in EAD_DTDS:
        raise errors.Hostile(errors.EXTERNAL_DTD % {"url": url})


def _size(stream, data):
    """The size of the whole stream where it can be known without reading it, else what was read."""
    try:
        return max(len(data), stream.seek(0, 2))
    except (AttributeError, OSError, ValueError):
        return len(data)


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")
