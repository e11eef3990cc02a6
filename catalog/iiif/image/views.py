"""HTTP for the Image API: the base URI, info.json and images, with the headers IIIF clients need.

Every answer, errors included, carries `Access-Control-Allow-Origin: *` (viewers on other sites
read info.json and draw tiles onto canvases). Images and info.json carry an ETag and answer a
matching If-None-Match with 304 before any pixel is read. A published image the visitor may see
is `Cache-Control: public` (for ARKIV_IIIF_MAX_AGE once cut from its pyramid); what only staff may
see is private and never stored. Made images are kept in the disk cache (cache.py) and sent as
stored files are, by Django or by the web server (ARKIV_FILE_SENDING, catalog/delivery/sending.py).
"""
import hashlib
import json
import logging
import os
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from ...delivery import sending
from . import cache, info, render
from .errors import IIIFError
from .geometry import output_size, region_box
from .request import parse
from .service import limits, not_found, service_for

logger = logging.getLogger(__name__)

JSON_LD = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'


class _SeeOther(HttpResponseRedirect):
    status_code = 303


@require_safe
def base(request, identifier):
    """The service's own URI redirects to its info.json (baseUriRedirect)."""
    response = _SeeOther(reverse("iiif-image:info", kwargs={"identifier": identifier}))
    return _cors(response)


@require_safe
def info_json(request, identifier):
    try:
        service = service_for(request.user, identifier)
    except IIIFError as error:
        return _error(error)
    service_id = urljoin(_base_url(request), reverse("iiif-image:base", kwargs={"identifier": identifier}))
    body = json.dumps(info.info(service, service_id, limits()), ensure_ascii=False).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(body)
    wants_json_ld = "application/ld+json" in request.headers.get("Accept", "")
    response["Content-Type"] = JSON_LD if wants_json_ld else "application/json"
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept"])
    _cache_control(response, public=service.public, max_age=sending.PUBLIC_MAX_AGE)
    return _cors(response)


@require_safe
def image(request, identifier, region, size, rotation, quality_format):
    # The parameters first: a malformed request is a 400 whatever the identifier.
    try:
        image_request = parse(region, size, rotation, quality_format)
        service = service_for(request.user, identifier)
        box = region_box(image_request.region, service.width, service.height)
        out = output_size(image_request.size, box[2], box[3], limits())
    except IIIFError as error:
        return _error(error)
    cache_key = cache.key(
        service.version, box, out, image_request.mirror, image_request.rotation, image_request.quality,
        image_request.format,
    )
    etag = f'"{cache_key[:32]}"'
    max_age = settings.ARKIV_IIIF_MAX_AGE if service.long_lived else sending.PUBLIC_MAX_AGE
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["ETag"] = etag
        _cache_control(not_modified, public=service.public, max_age=max_age)
        return _cors(not_modified)
    stored = _Stored.found(cache.get(cache_key, image_request.format))
    if stored is None:
        try:
            data = render.render(service.source, service.width, service.height, image_request, limits())
        except render.Unreadable:
            return _from_display_copy(service, image_request, etag)
        stored = _Stored.found(cache.put(cache_key, image_request.format, data))
        if stored is None:  # the cache could not be written: the image all the same
            return _uncached(data, image_request, etag, service.public, max_age)
    response = sending.send(
        request, stored, content_type=image_request.media_type,
        download_name=f"{identifier}.{image_request.format}", etag=cache_key[:32], public=service.public,
    )
    _cache_control(response, public=service.public, max_age=max_age)
    return _image_headers(response)


def _from_display_copy(service, image_request, etag):
    """A damaged pyramid (logged for the administrator; make_pyramids makes it again): the same
    region and size cut from the display copy, kept by no one for long."""
    logger.exception("Could not read the pyramid %s", service.source)
    display = service.digital_file.display
    if not display:
        return _error(not_found())
    try:
        data = render.render(display.path, service.width, service.height, image_request, limits())
    except render.Unreadable:
        logger.exception("Could not read the display copy %s either", display.name)
        return _error(not_found())
    return _uncached(data, image_request, f'"{etag.strip(chr(34))}-display"', service.public, sending.PUBLIC_MAX_AGE)


def _uncached(data, image_request, etag, public, max_age):
    response = HttpResponse(data, content_type=image_request.media_type)
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    _cache_control(response, public=public, max_age=max_age)
    return _image_headers(response)


def _image_headers(response):
    response["Link"] = f'<{info.PROFILE_DOCUMENT}>;rel="profile"'
    return _cors(response)


def _cache_control(response, *, public, max_age):
    # Set, not patched: patch_cache_control keeps the smaller of two max-ages, and sending.send()
    # has already written the hour it gives every file.
    response["Cache-Control"] = f"public, max-age={max_age}" if public else "private, no-store"


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(error):
    # A text a person can read; the same for an unknown id and one the reader may not see.
    response = HttpResponse(error.text, status=error.status, content_type="text/plain; charset=utf-8")
    patch_cache_control(response, no_store=True)
    return _cors(response)


def _base_url(request):
    return settings.ARKIV_BASE_URL or request.build_absolute_uri("/")


class _Stored:
    """A cached image as sending.send() takes a stored file: a name under the storage that
    the web server's internal location maps (MEDIA_ROOT, where the cache lies by default)."""

    def __init__(self, path, size):
        media_root = Path(settings.MEDIA_ROOT).resolve()
        path = Path(path).resolve()
        location = media_root if path.is_relative_to(media_root) else cache.root().resolve()
        self.storage = FileSystemStorage(location=location)
        self.name = path.relative_to(location).as_posix()
        self.size = size

    @classmethod
    def found(cls, path):
        """The cached image at `path`, or None if there is none (or another process's trimming
        has just removed it)."""
        if path is None:
            return None
        try:
            return cls(path, os.path.getsize(path))
        except FileNotFoundError:
            return None
