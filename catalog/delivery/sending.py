"""How a stored file goes out: the headers that make it safe, and who sends the bytes.

Every response carries the type sniffed at ingest (never one guessed from a name),
`X-Content-Type-Options: nosniff`, a Content-Security-Policy that gives the file no power over
the site (no script, no plugin, a sandbox), and `Content-Disposition: attachment` for anything
but the image types browsers show as images; so an upload can never be rendered as a page of
this origin.

ARKIV_FILE_SENDING chooses who sends the bytes: Django itself (`django`, the default, fine for
the demo and small archives), or, after Django has checked visibility, the web server through
`X-Accel-Redirect` (nginx, to an internal location at ARKIV_FILE_SENDING_PREFIX that maps to
MEDIA_ROOT) or `X-Sendfile` (Apache's mod_xsendfile, lighttpd), so that a large scan does not
hold a worker for the length of its download.
"""
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
"""Types a browser shows as a picture and never runs: these alone are sent inline."""

FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
"""Even a file a browser did render could load, run and submit nothing (`sandbox` also gives it
an opaque origin); the inline style is the browser's own image viewer's."""

PUBLIC_MAX_AGE = 3600
"""Seconds a visitor's browser or a cache may keep a public file before asking again (with its
ETag): short, so that a withdrawn item's files stop being served within the hour."""

SENDERS = ("django", "x-accel-redirect", "x-sendfile")


def send(request, stored, *, content_type, download_name, etag, public):
    """The response that delivers `stored` (a FieldFile); `public`: anyone may have it, so
    shared caches may keep it; otherwise it is a staff preview and nothing keeps it."""
    quoted_etag = f'"{etag}"'
    response = get_conditional_response(request, etag=quoted_etag)
    if response is None:
        response = _body(stored)
    response["Content-Type"] = content_type
    response["ETag"] = quoted_etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    disposition = "inline" if content_type in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(download_name)}"
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _body(stored):
    sender = settings.ARKIV_FILE_SENDING
    if sender == "x-accel-redirect":
        response = HttpResponse()
        response["X-Accel-Redirect"] = settings.ARKIV_FILE_SENDING_PREFIX.rstrip("/") + "/" + quote(stored.name)
        return response
    if sender == "x-sendfile":
        response = HttpResponse()
        response["X-Sendfile"] = stored.storage.path(stored.name)
        return response
    response = FileResponse(stored.storage.open(stored.name, "rb"))
    response["Content-Length"] = stored.size
    return response
