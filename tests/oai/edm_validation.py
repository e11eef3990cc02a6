"""Europeana's own checks of an EDM record, offline: the EDM external XSD (lxml) and Europeana's
schematron (XSLT 2.0, run by Saxon through saxonche), both vendored in catalog/oai/schemas/edm/."""
import copy
from functools import cache

from lxml import etree
from saxonche import PySaxonProcessor

from tests.oai.support import SCHEMAS

EDM = SCHEMAS / "edm"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@cache
def _xsd():
    return etree.XMLSchema(etree.parse(str(EDM / "EDM.xsd")))


@cache
def _schematron():
    # One processor for the test run: Saxon's processor is expensive to make, and one per
    # process is what saxonche expects.
    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(EDM / "schematron" / "schematron.xsl")
    )
    return processor, executable


def problems(rdf):
    """What Europeana's validation finds wrong with one record (an rdf:RDF element, or a parsed
    document of one): XSD errors, then the schematron's failed assertions. [] when it passes."""
    root = rdf.getroot() if hasattr(rdf, "getroot") else rdf
    document = etree.ElementTree(copy.deepcopy(root))
    xsd = _xsd()
    found = [] if xsd.validate(document) else [f"XSD: {error.message}" for error in xsd.error_log]
    processor, executable = _schematron()
    node = processor.parse_xml(xml_text=etree.tostring(document, encoding="unicode"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode())
    for failed in report.xpath("//svrl:failed-assert/svrl:text", namespaces=SVRL):
        found.append("schematron: " + " ".join("".join(failed.itertext()).split()))
    return found


def records_of(root):
    """The rdf:RDF records of an OAI-PMH response (or static repository)."""
    return root.xpath("//rdf:RDF", namespaces={"rdf": NS_RDF})
