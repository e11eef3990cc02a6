"""A request the database cannot serve for a moment is answered 503 with Retry-After, never 500.

A CSV import writes in one transaction. While it does, SQLite lets no other connection write (a
login, a save), and PostgreSQL lets no other transaction change a row the import changes. Such a
request waits up to settings.DATABASE_LOCK_TIMEOUT for the lock; if it is still held then, the
database refuses, the request's own transaction is undone, and the page says to send it again in
a minute instead of showing a server error. Nothing was changed, and the browser's Back button
brings the form back as it was filled in.

Two ways in, for the two places a request writes. BusyDatabaseMiddleware (settings.MIDDLEWARE)
answers the error when a view raises it, with DEBUG on or off. server_error (handler500 in
archive/urls.py) answers it when it comes from outside a view: the session saved by Django's
session middleware after the view, at the end of a login. Any other error stays an error.
"""
import logging
import sqlite3
import sys

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
"""What the Retry-After header of a busy answer says: long enough for most imports to write."""

BUSY_TITLE = _("Arkiv is busy for a moment")
BUSY = _(
    "Another task, most likely a large import, is saving to the catalogue right now, so this request "
    "could not be completed. Nothing was changed. Wait a minute, then send it again: go back to the "
    "form, which keeps what you wrote, or reload the page."
)
TRY_AGAIN = _("Try again")

_SQLITE_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_POSTGRESQL_BUSY = {"55P03", "40P01"}  # lock_not_available (lock_timeout ran out), deadlock_detected


def is_busy(error):
    """Whether a database error means another transaction held what this one needed."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_BUSY  # the primary code, without the extended part
    return getattr(cause, "sqlstate", None) in _POSTGRESQL_BUSY


def busy_response(request):
    logger.warning("The database was busy: %s %s answered 503", request.method, request.path)
    context = {"title": BUSY_TITLE, "message": BUSY, "try_again": TRY_AGAIN, "path": request.path}
    # A page of its own, like 500.html: it reads nothing from the database.
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class BusyDatabaseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return busy_response(request) if is_busy(exception) else None


def server_error(request):
    """handler500: Django's answer to an unexpected error, except for a busy database. Django
    calls it while it handles the exception, so sys.exception() is that exception."""
    if is_busy(sys.exception()):
        return busy_response(request)
    return defaults.server_error(request)
