"""Who the repository is: its addresses, its identifiers, and the Identify description.

OAI identifiers are oai:<ARKIV_REPOSITORY_ID>:<accession identifier>, the oai-identifier scheme
of the OAI-PMH guidelines. Both parts are stable (the repository id is set once, accession
identifiers never change), so an identifier, once harvested, stays valid forever.
"""
from django.conf import settings
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from catalog.dublincore import NS_XSI
from catalog.models import Item, Tombstone

from .markup import NS_OAI, NS_OAI_IDENTIFIER, OAI_IDENTIFIER_SCHEMA, XSI_SCHEMA_LOCATION, text

PROTOCOL_VERSION = "2.0"


def oai_identifier(identifier) -> str:
    return f"oai:{settings.ARKIV_REPOSITORY_ID}:{identifier}"


def local_identifier(oai_id) -> str | None:
    """The accession identifier inside an OAI identifier of this repository, else None.

    A NUL byte is refused here, before any query: no identifier holds one, and PostgreSQL
    answers a query with one by an error."""
    prefix = f"oai:{settings.ARKIV_REPOSITORY_ID}:"
    identifier = oai_id.removeprefix(prefix)
    if identifier == oai_id or not identifier or "\x00" in identifier:
        return None
    return identifier


def site_url(request=None) -> str:
    """The public site's address: ARKIV_BASE_URL, else the address the request came to."""
    if settings.ARKIV_BASE_URL:
        return settings.ARKIV_BASE_URL.rstrip("/")
    return f"{request.scheme}://{request.get_host()}" if request is not None else ""


def base_url(request=None) -> str:
    """The endpoint's URL exactly, as Identify's baseURL must give it."""
    return site_url(request) + reverse("oai")


def earliest_datestamp(*, include_deleted=True):
    """The oldest datestamp in the repository, deleted records included unless said otherwise
    (now, if there is none). Both minima come from the ends of the datestamp indexes."""
    candidates = [Item.objects.published().aggregate(earliest=Min("modified"))["earliest"]]
    if include_deleted:
        candidates.append(Tombstone.objects.aggregate(earliest=Min("datestamp"))["earliest"])
    return min((moment for moment in candidates if moment is not None), default=timezone.now())


def published_sample() -> str | None:
    """The OAI identifier of a real published record (the first by accession identifier), or
    None in a repository that has published nothing yet."""
    identifier = Item.objects.published().order_by("identifier").values_list("identifier", flat=True).first()
    return oai_identifier(identifier) if identifier else None


def sample_identifier() -> str:
    """An identifier of this repository's form, for messages: a published record's where there
    is one, else a deleted record's, else one that is at least well-formed."""
    sample = published_sample()
    if sample:
        return sample
    identifier = Tombstone.objects.order_by("identifier").values_list("identifier", flat=True).first()
    return oai_identifier(identifier or "item-1")


def write(parent, *, base_url, earliest, granularity, deleted_record):
    """Fill an Identify element (in the endpoint or a static repository) under `parent`."""
    for name, value in (
        ("repositoryName", settings.ARKIV_REPOSITORY_NAME),
        ("baseURL", base_url),
        ("protocolVersion", PROTOCOL_VERSION),
        ("adminEmail", settings.ARKIV_ADMIN_EMAIL),
        ("earliestDatestamp", earliest),
        ("deletedRecord", deleted_record),
        ("granularity", granularity),
    ):
        etree.SubElement(parent, etree.QName(NS_OAI, name)).text = text(value)
    # The oai-identifier description promises that its sampleIdentifier answers GetRecord with a
    # record: with nothing published, there is no such identifier to give, and no description.
    # No other description (eprints, friends, branding) is written: Arkiv is no e-print archive
    # and keeps no list of friendly repositories, and a description must be true.
    sample = published_sample()
    if sample is None:
        return parent
    e_description = etree.SubElement(parent, etree.QName(NS_OAI, "description"))
    e_identifier = etree.SubElement(
        e_description, etree.QName(NS_OAI_IDENTIFIER, "oai-identifier"),
        nsmap={None: NS_OAI_IDENTIFIER, "xsi": NS_XSI},
    )
    e_identifier.set(XSI_SCHEMA_LOCATION, f"{NS_OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA}")
    for name, value in (
        ("scheme", "oai"),
        ("repositoryIdentifier", settings.ARKIV_REPOSITORY_ID),
        ("delimiter", ":"),
        ("sampleIdentifier", sample),
    ):
        etree.SubElement(e_identifier, etree.QName(NS_OAI_IDENTIFIER, name)).text = value
    return parent
