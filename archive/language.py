"""Which language a request is answered in: the visitor's own choice first, then the browser's.

In order: `?lang=nb` on the URL (what the pages' hreflang alternates link to), the cookie the
language switcher sets (Django's set_language view), a signed-in archivist's preference (kept
in the session at sign-in, see catalog/receivers.py), the browser's Accept-Language, and
LANGUAGE_CODE. A language the interface lacks is read as a near one it has
(LANGUAGE_FALLBACKS: "no" and "nn" as Bokmål).

URLs carry no language prefix: a permalink is cited in articles and finding aids and must not
change with the language of whoever copied it; the same address shows every visitor the
interface in their language, and the descriptions themselves in all their languages.
"""
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from catalog.models.preferences import Preference

LANGUAGE_PARAMETER = "lang"
"""The query parameter that asks for one language on one page (hreflang alternates)."""

PREFERENCE_SESSION_KEY = Preference.SESSION_KEY


def supported(code):
    """The interface language Arkiv has for the BCP 47 tag `code`, or None."""
    if not code or len(code) > 35:
        return None
    code = code.strip().lower()
    available = {language for language, _ in settings.LANGUAGES}
    for candidate in (code, code.split("-")[0]):
        if candidate in available:
            return candidate
        fallback = settings.LANGUAGE_FALLBACKS.get(candidate)
        if fallback in available:
            return fallback
    return None


def language_for(request):
    """The language to answer `request` in (see the module's docstring for the order)."""
    session = getattr(request, "session", None)
    for asked in (
        request.GET.get(LANGUAGE_PARAMETER),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
        session.get(PREFERENCE_SESSION_KEY) if session is not None else None,
    ):
        if found := supported(asked):
            return found
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:1000]):
        if code == "*":
            break
        if found := supported(code):
            return found
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates the request's language (Django's LocaleMiddleware, without URL prefixes, with
    the explicit parameter, the archivist's preference and the fallbacks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        asked = supported(request.GET.get(LANGUAGE_PARAMETER))
        if asked and asked != request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            # A visitor who came by a link to one language (a search engine's hreflang
            # alternate) keeps reading in it on the next page, as after the switcher.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, asked, max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY, path=settings.LANGUAGE_COOKIE_PATH,
            )
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
