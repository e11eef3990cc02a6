"""Which EAD a file is, from its root element, and the reader for it.

The version comes from the namespace of <ead> (NAMESPACE_VERSIONS). AtoM writes EAD 2002
without a namespace; such a file is EAD 2002 if it has an <eadheader> (EAD3 has <control>) or
neither (AtoM's smallest exports have only <archdesc>). Any other namespace, or a root that is
not <ead>, is refused with a message naming the versions Arkiv reads.
"""
from lxml import etree

from . import errors
from .ead3 import Ead3
from .ead2002 import Ead2002

EAD2002_NAMESPACE = "urn:isbn:1-931666-22-9"
EAD3_NAMESPACE = "http://ead3.archivists.org/schema/"
NAMESPACE_VERSIONS = {EAD2002_NAMESPACE: "2002", EAD3_NAMESPACE: "ead3"}
READERS = {"2002": Ead2002, "ead3": Ead3}


def reader_for(tree):
    """The reader (ead2002.Ead2002 or ead3.Ead3) of a parsed file; raises errors.NotEad."""
    root = tree.getroot()
    name = etree.QName(root)
    if name.localname != "ead":
        raise errors.NotEad(errors.NOT_EAD % {"tag": name.localname}, line=root.sourceline)
    namespace = name.namespace or ""
    if namespace:
        version = NAMESPACE_VERSIONS.get(namespace)
        if version is None:
            raise errors.NotEad(errors.UNKNOWN_NAMESPACE % {
                "namespace": namespace, "ead2002": EAD2002_NAMESPACE, "ead3": EAD3_NAMESPACE,
            }, line=root.sourceline)
    else:
        version = "ead3" if root.find("control") is not None and root.find("eadheader") is None else "2002"
    return READERS[version](tree, namespace)
