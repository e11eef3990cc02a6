"""The item page's deep-zoom viewer and its IIIF manifest link, by URL only (the site does not
import catalog/iiif/): the manifest at /iiif/3/manifest/<identifier>, each image's Image API
service at /iiif/3/<file id>/info.json."""
import json
from urllib.parse import urljoin

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


def viewable_images(item):
    """The files the item's manifest paints, in order: images with a copy visitors may have and
    a known pixel size (catalog/iiif/presentation/manifests.public_images, the same rule)."""
    return [f for f in item.files.all() if f.public_image and f.width and f.height]


def info_url(digital_file):
    return f"/iiif/3/{digital_file.pk}/info.json"


@register.simple_tag(takes_context=True)
def iiif_manifest_url(context, item):
    """The manifest's absolute URL, where other sites' viewers read it (a public item with
    images), else ""."""
    if not item.is_public or not viewable_images(item):
        return ""
    path = reverse("iiif-presentation:manifest", kwargs={"identifier": item.identifier})
    return urljoin(settings.ARKIV_BASE_URL or context["request"].build_absolute_uri("/"), path)


@register.inclusion_tag("site/includes/viewer.html")
def iiif_viewer(item):
    """The viewer of a public item's images; nothing for a staff preview (the Image API serves
    only what visitors may see), where the plain images stay."""
    images = viewable_images(item) if item.is_public else []
    return {
        "images": images,
        "sources": json.dumps([
            {"info": info_url(f), "label": f.label, "width": f.width, "height": f.height} for f in images
        ]),
    }
