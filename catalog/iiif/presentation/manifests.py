"""The IIIF Presentation 3.0 manifest of an item: one Canvas per public image, in order.

From the Dublin Core description (catalog/dublincore.py), as Arkiv's other outputs read it:
titles -> label, description and its refinements -> summary, every other statement -> a
metadata pair (the term's name in each interface language, the values in their own languages),
the rights holders and the repository -> requiredStatement, Item.rights_uri -> rights (where
IIIF allows it: rightsstatements.org or creativecommons.org). The item's page -> homepage, its
oai_dc record and JSON-LD -> seeAlso, its thematic collections and the unit above it -> partOf,
the repository -> provider.

Pure: reads only what Item.objects.with_description() prefetched (statements, collections,
files) and the item's parent (select_related("parent")).
"""
import re
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from iiif_prezi3 import (
    Annotation, AnnotationBody, AnnotationPage, Canvas, KeyValueString, LinkedResource, Manifest,
    ServiceV3,
)
from iiif_prezi3.skeleton import Class, Homepage, Provider

from ... import dublincore
from . import addresses, text

# The Presentation API accepts only these as `rights` (and only over http, as both lists write
# their URIs); anything else stays a metadata pair.
IIIF_RIGHTS = re.compile(r"^http://(creativecommons\.org/(licenses|publicdomain)/|rightsstatements\.org/vocab/)")

LABEL_TERMS = ("title",)
SUMMARY_ELEMENT = "description"  # description, abstract, tableOfContents

ATTRIBUTION = _("Attribution")
PROVIDED_BY = _("Provided by %(repository)s")
IMAGE_LABEL = pgettext_lazy("IIIF canvas", "Image %(number)d")
OAI_DC_PROFILE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
JSONLD_PROFILE = "https://schema.org/"


def public_images(item):
    """The item's files a visitor may see as images in a viewer, in order: images with a public
    copy (DigitalFile.public_image, the item page's rule) whose pixel size is known."""
    return [f for f in item.files.all() if f.public_image and f.width and f.height]


def manifest(item, *, base_url):
    """The Manifest of a public `item`, or None if it has no public image."""
    images = public_images(item)
    if not images:
        return None
    url = addresses.manifest(item, base_url)
    page = urljoin(base_url, item.get_absolute_url())
    document = Manifest(
        id=url,
        label=label(item),
        items=[canvas(f, number, url, base_url) for number, f in enumerate(images, start=1)],
        homepage=[Homepage(id=page, type="Text", label=label(item), format="text/html")],
        seeAlso=[
            LinkedResource(
                id=addresses.oai_dc_record(item, base_url), type="Dataset", format="text/xml",
                profile=OAI_DC_PROFILE, label=text.translated(_("Dublin Core record (OAI-PMH)")),
            ),
            LinkedResource(
                id=urljoin(base_url, reverse("catalog:item-jsonld", kwargs={"identifier": item.identifier})),
                type="Dataset", format="application/ld+json", profile=JSONLD_PROFILE,
                label=text.translated(_("Linked data (schema.org JSON-LD)")),
            ),
        ],
        requiredStatement=required_statement(item),
        provider=[provider(base_url)],
    )
    thumbnail = _thumbnail(images[0], base_url)
    if thumbnail:
        document.thumbnail = [thumbnail]
    if summary := summary_of(item):
        document.summary = summary
    if pairs := metadata(item):
        document.metadata = pairs
    if IIIF_RIGHTS.match(item.rights_uri or ""):
        document.rights = item.rights_uri
    if parts := part_of(item, base_url):
        document.partOf = parts
    return document


def canvas(digital_file, number, manifest_url, base_url):
    """A Canvas the size of the image, painted by the image whose service is the Image API."""
    url = f"{manifest_url}/canvas/{number}"
    body = AnnotationBody(
        id=addresses.full_image(digital_file, base_url), type="Image", format="image/jpeg",
        service=[ServiceV3(id=addresses.image_service(digital_file, base_url), type="ImageService3", profile="level2")],
    )
    painting = Annotation(id=f"{url}/annotation/1", motivation="painting", body=body, target=url)
    result = Canvas(
        id=url, width=digital_file.width, height=digital_file.height,
        label=text.of_values([digital_file.label]) or text.translated(IMAGE_LABEL, number=number),
        items=[AnnotationPage(id=f"{url}/page/1", items=[painting])],
    )
    thumbnail = _thumbnail(digital_file, base_url)
    if thumbnail:
        result.thumbnail = [thumbnail]
    return result


def label(item):
    """The item's titles in their languages; else its other titles; else its identifier."""
    statements = list(item.statements.all())
    for terms in (LABEL_TERMS, ("alternative",)):
        found = text.of_statements([s for s in statements if s.term in terms])
        if found:
            return found
    return text.of_values([item.title or item.identifier])


def summary_of(item):
    return text.of_statements((
        s for s in item.statements.all() if dublincore.element_of(s.term) == SUMMARY_ELEMENT
    ))


def metadata(item):
    """A pair per term, in the order the terms first appear: the term's name in every interface
    language, its values in their own languages."""
    by_term = {}
    for statement in item.statements.all():
        if statement.term in LABEL_TERMS or dublincore.element_of(statement.term) == SUMMARY_ELEMENT:
            continue
        by_term.setdefault(statement.term, []).append(statement)
    pairs = []
    if item.dcmi_type:
        pairs.append(KeyValueString(
            label=text.translated(dublincore.LABELS["type"]),
            value=text.translated(dublincore.TYPE_LABELS.get(item.dcmi_type, item.dcmi_type)),
        ))
    for term, statements in by_term.items():
        values = text.of_statements(statements)
        if values:
            pairs.append(KeyValueString(label=text.translated(dublincore.LABELS[term]), value=values))
    pairs.append(KeyValueString(
        label=text.translated(pgettext_lazy("IIIF metadata", "Reference code")),
        value=text.of_values([item.reference_code]),
    ))
    return pairs


def required_statement(item):
    """Attribution: the rights holders the description names, then the repository."""
    holders = [s.display_value for s in item.statements.all() if s.term == "rightsHolder" and s.display_value.strip()]
    value = text.translated(PROVIDED_BY, repository=settings.ARKIV_REPOSITORY_NAME)
    if holders:
        for values in value.values():
            values[:0] = holders
    return KeyValueString(label=text.translated(ATTRIBUTION), value=value)


def provider(base_url):
    home = urljoin(base_url, reverse("catalog:home"))
    name = text.of_values([settings.ARKIV_REPOSITORY_NAME])
    return Provider(id=home, type="Agent", label=name, homepage=[Homepage(id=home, type="Text", label=name, format="text/html")])


def part_of(item, base_url):
    """The unit above the item (its Collection) and the thematic collections it is in."""
    parts = []
    if item.parent_id:
        parent = item.parent
        parts.append(Class(
            id=addresses.unit_collection(parent, base_url), type="Collection",
            label=text.of_values([parent.title or parent.identifier]),
        ))
    for collection in item.collections.all():
        parts.append(Class(
            id=addresses.collection(collection, base_url), type="Collection",
            label=text.of_values([collection.title]),
        ))
    return parts


def _thumbnail(digital_file, base_url):
    role = "thumbnail" if digital_file.thumbnail else digital_file.public_image
    if not role:
        return None
    return AnnotationBody(id=urljoin(base_url, digital_file.url(role)), type="Image", format=_format(digital_file, role))


def _format(digital_file, role):
    # Derivatives are JPEG, or PNG where there is transparency (catalog/imaging.py); an original
    # keeps its own type.
    if role == "original":
        return digital_file.mime_type
    return "image/png" if (digital_file.delivered_name(role) or "").endswith(".png") else "image/jpeg"

