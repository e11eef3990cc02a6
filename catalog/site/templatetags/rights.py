"""A rights URI as the page shows it: its label in the reader's language and its badge
(catalog/rights.py)."""
from django import template

from ... import rights

register = template.Library()


@register.filter
def rights_label(uri):
    return rights.label(uri)


@register.filter
def rights_icon(uri):
    """The badge beside the label the page writes: hidden from screen readers."""
    return rights.icon(uri, decorative=True)
