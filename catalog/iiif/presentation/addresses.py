"""The absolute URLs of the IIIF resources: everything that links to them asks here."""
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.urls import reverse


def base_url(request):
    """The site's absolute root, as every other output writes it."""
    return settings.ARKIV_BASE_URL or request.build_absolute_uri("/")


def manifest(item, base):
    return urljoin(base, reverse("iiif-presentation:manifest", kwargs={"identifier": item.identifier}))


def collection(collection, base, page=None):
    url = urljoin(base, reverse("iiif-presentation:collection", kwargs={"identifier": collection.identifier}))
    return _paged(url, page)


def unit_collection(unit, base, page=None):
    url = urljoin(base, reverse("iiif-presentation:unit-collection", kwargs={"identifier": unit.identifier}))
    return _paged(url, page)


def image_service(digital_file, base):
    """The IIIF Image API 3 service of a file (catalog/iiif's image server): /iiif/3/<file id>.
    Written as a pattern, not reversed: the image server's routes are its own."""
    return urljoin(base, f"iiif/3/{digital_file.pk}")


def full_image(digital_file, base):
    """The whole image at the largest size the image service gives a visitor."""
    return f"{image_service(digital_file, base)}/full/max/0/default.jpg"


def oai_dc_record(item, base):
    query = urlencode({
        "verb": "GetRecord", "metadataPrefix": "oai_dc",
        "identifier": f"oai:{settings.ARKIV_REPOSITORY_ID}:{item.identifier}",
    })
    return f"{urljoin(base, reverse('oai'))}?{query}"


def _paged(url, page):
    """`page` is a page reference ("3", "g2": see collections.py), or None for the whole."""
    return f"{url}?{urlencode({'page': page})}" if page else url
