"""A public page's address, whatever the language it is shown in.

A page has one address in every language (archive/language.py reads the language from the
visitor, never from the path), so that a permalink cited in an article or a finding aid never
changes. That plain address is the page's canonical URL and its x-default alternate; the same
address with `?lang=xx` asks for the page in one language, which is what the hreflang
alternates of the page's <head> and of the sitemap link to.

A page's address keeps only the query the page itself used (a browse's valid choices and its
page number, as its own links do), never the request as it came: a request repeating a
parameter a thousand times would otherwise be repeated into the page's <head> and switcher.

    base_url(request) -> str               the site's absolute root (ARKIV_BASE_URL behind a proxy)
    page_path(request, query) -> str       the page's path and the query it used, without `lang`:
                                           where the language switcher comes back to
    page_address(request, query) -> str    the same, absolute: the canonical address
    in_language(address, code) -> str      an address asking for one language
"""
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.http import QueryDict

from archive.language import LANGUAGE_PARAMETER


def base_url(request):
    """The site's absolute root: ARKIV_BASE_URL behind a proxy, else the request's own."""
    return settings.ARKIV_BASE_URL or request.build_absolute_uri("/")


def page_path(request, query=None):
    """`query` is a QueryDict of what the page used, or None for a page that uses none."""
    query = query.copy() if query else QueryDict(mutable=True)
    query.pop(LANGUAGE_PARAMETER, None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def page_address(request, query=None):
    # urljoin against the root keeps ARKIV_BASE_URL's scheme and host, and the page's path.
    return urljoin(base_url(request), page_path(request, query))


def in_language(address, code):
    scheme, host, path, query, fragment = urlsplit(address)
    parameters = QueryDict(query, mutable=True)
    parameters[LANGUAGE_PARAMETER] = code
    return urlunsplit((scheme, host, path, parameters.urlencode(), fragment))
