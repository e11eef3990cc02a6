"""The manifests and Collections over HTTP: JSON-LD with the Presentation 3 profile (plain JSON
to a client that asks only for that), open to every origin (IIIF viewers run on other sites),
404 for anything a visitor may not see."""
import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.views.decorators.http import require_safe

from ...models import Collection, Item
from . import addresses, collections, manifests

PROFILE = "http://iiif.io/api/presentation/3/context.json"
JSONLD = f'application/ld+json;profile="{PROFILE}"'
JSON = "application/json"


@require_safe
def manifest(request, identifier):
    item = get_object_or_404(
        Item.objects.published().with_description().select_related("parent"), identifier=identifier
    )
    document = manifests.manifest(item, base_url=addresses.base_url(request))
    if document is None:
        raise Http404("This item has no image a visitor may see.")
    return _response(request, document)


@require_safe
def collection(request, identifier):
    # Thematic collections have no status of their own: their lists hold only public items.
    found = get_object_or_404(Collection.objects.select_related("parent"), identifier=identifier)
    return _page(request, collections.thematic_collection, found)


@require_safe
def unit_collection(request, identifier):
    unit = get_object_or_404(
        Item.objects.published().filter(collections.with_public_children()).prefetch_related("statements__authority")
        .select_related("parent"),
        identifier=identifier,
    )
    return _page(request, collections.unit_collection, unit)


def _page(request, build, subject):
    try:
        document = build(subject, base_url=addresses.base_url(request), page=request.GET.get("page"))
    except collections.NoSuchPage:
        raise Http404("No such page of this collection.")
    return _response(request, document)


def _response(request, document):
    body = json.dumps(json.loads(document.jsonld()), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=f"{_media_type(request)}; charset=utf-8")
    patch_vary_headers(response, ["Accept"])
    # Viewers may keep a copy but ask again each time (an item withdrawn loses its manifest at
    # once); an unchanged document is then a 304 without a body.
    set_response_etag(response)
    response["Cache-Control"] = "no-cache"
    response = get_conditional_response(request, etag=response["ETag"], response=response)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _media_type(request):
    """JSON-LD with the profile, as the specification asks, unless the client accepts plain JSON
    and not JSON-LD."""
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "application/ld+json" not in accept:
        return JSON
    return JSONLD
