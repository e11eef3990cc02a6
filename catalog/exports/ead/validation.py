"""The vendored schemas (schemas/, see its README), loaded offline, and validation against them.

apeEAD.xsd imports xlink from http://www.loc.gov/standards/xlink/xlink.xsd. Rather than editing
the official file, a resolver answers that one address with the local copy (schemas/xlink.xsd);
the parser has the network off, so nothing else can be fetched.

The apeEAD writer reads the profile's closed lists (language and script codes) from the same
file, so that what it writes is what the portal's schema accepts.
"""
from functools import lru_cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
XLINK_URL = "http://www.loc.gov/standards/xlink/xlink.xsd"
NS_XS = "http://www.w3.org/2001/XMLSchema"


class _Local(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url == XLINK_URL:
            return self.resolve_filename(str(SCHEMAS / "xlink.xsd"), context)
        return None


def _parser():
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=False)
    parser.resolvers.add(_Local())
    return parser


@lru_cache(maxsize=None)
def _document(schema_file):
    return etree.parse(str(SCHEMAS / schema_file), _parser())


@lru_cache(maxsize=None)
def schema(schema_file):
    """The compiled XMLSchema of a file in schemas/ ("ead3.xsd", "apeEAD.xsd")."""
    return etree.XMLSchema(_document(schema_file))


def errors(document, schema_file):
    """The schema's complaints about `document` (bytes, or a parsed tree), as lines: [] if valid."""
    if isinstance(document, bytes | bytearray):
        document = etree.fromstring(document, _parser())
    checked = schema(schema_file)
    if checked.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in checked.error_log]


@lru_cache(maxsize=None)
def enumeration(schema_file, owner, attribute):
    """The values a schema allows for `attribute` of `owner` (a named attribute group or
    complex type), when they are a closed list."""
    found = _document(schema_file).xpath(
        "//*[(self::xs:attributeGroup or self::xs:complexType) and @name=$owner]"
        "/xs:attribute[@name=$name]//xs:enumeration/@value",
        namespaces={"xs": NS_XS}, owner=owner, name=attribute,
    )
    return frozenset(str(value) for value in found)


def simple_type_pattern(schema_file, name):
    """The xs:pattern of a named simple type."""
    found = _document(schema_file).xpath(
        "//xs:simpleType[@name=$name]//xs:pattern/@value", namespaces={"xs": NS_XS}, name=name,
    )
    return str(found[0]) if found else None
