"""Reading and checking OAI-PMH responses in tests: XPath with NAMESPACES, and validation of
every response against the official schemas (catalog/oai/schemas/)."""
from datetime import datetime
from functools import cache
from http import HTTPStatus
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[2] / "catalog" / "oai" / "schemas"

NAMESPACES = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "qdc": "urn:arkiv:qdc",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
    "sr": "http://www.openarchives.org/OAI/2.0/static-repository",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


@cache
def schema(driver):
    """A compiled driver schema of catalog/oai/schemas/ (compiling takes a while: once each)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / driver)))


def validate(root, driver=None):
    """Assert that a response is valid. The driver is chosen by the payload: qdc records need
    DCMI's 2008 schemas, everything else the kit's oai-pmh-validate.xsd."""
    if driver is None:
        has_qdc = root.xpath("boolean(//qdc:qualifieddc)", namespaces=NAMESPACES)
        driver = "oai-pmh-qdc-validate.xsd" if has_qdc else "oai-pmh-validate.xsd"
    validator = schema(driver)
    assert validator.validate(root), f"invalid against {driver}: {validator.error_log}"
    return root


def request(client, method="get", path="/oai", **params):
    """Send an OAI-PMH request with the Django test client; return the validated root."""
    response = getattr(client, method)(path, params)
    return check(response)


def check(response):
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/xml; charset=UTF-8"
    return validate(etree.fromstring(response.content))


def xpath(root, expression):
    return root.xpath(expression, namespaces=NAMESPACES)


def errors(root):
    """The error codes of a response, in order."""
    return xpath(root, "/oai:OAI-PMH/oai:error/@code")


def identifiers(root):
    return xpath(root, "//oai:header/oai:identifier/text()")


def token(root):
    """The resumptionToken element of a list response, or None."""
    found = xpath(root, "//oai:resumptionToken")
    return found[0] if found else None


def harvest(client, verb="ListIdentifiers", **params):
    """Follow a list through its resumption tokens; return the pages (validated roots)."""
    pages = [request(client, verb=verb, **params)]
    while (element := token(pages[-1])) is not None and element.text:
        pages.append(request(client, verb=verb, resumptionToken=element.text))
    return pages


def oai_id(identifier, repository="arkiv.example.org"):
    return f"oai:{repository}:{identifier}"


def at(text):
    """An aware UTC datetime from ISO 8601 text ending in Z."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
