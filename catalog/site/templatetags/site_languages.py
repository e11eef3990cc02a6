"""Template helpers for the language of a public page: the switcher and the alternates.

The switcher names each language of settings.LANGUAGES in that language ("norsk bokmål"), as
it is named there and never translated: a visitor who cannot read the page's language must
still find their own. (Django's get_available_languages translates the names.)
"""
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..addresses import in_language, page_address, page_path

register = template.Library()


@register.simple_tag
def interface_languages():
    """(code, name in its own language) of every language of the interface."""
    return settings.LANGUAGES


@register.simple_tag(takes_context=True)
def language_next(context):
    """Where the switcher comes back to: this page and the query it used (the view's
    `page_query`), without a `lang` that would override the choice just made."""
    request = context.get("request")
    if request is None:
        return reverse("catalog:home")
    return page_path(request, context.get("page_query"))


@register.simple_tag(takes_context=True)
def language_links(context):
    """<link rel="canonical"> to the page's plain address (the view's `permalink` where it gives
    one, else its path and the query it used) and an hreflang alternate for each language, plus
    x-default to the plain address."""
    request = context.get("request")
    if request is None:
        return ""
    plain = context.get("permalink") or page_address(request, context.get("page_query"))
    alternates = [(code, in_language(plain, code)) for code, _name in settings.LANGUAGES]
    alternates.append(("x-default", plain))
    return format_html('<link rel="canonical" href="{}">\n', plain) + format_html_join(
        "\n", '<link rel="alternate" hreflang="{}" href="{}">', alternates
    )
