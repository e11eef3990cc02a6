"""What a visitor reads off a page, located by role and accessible name as assistive
technology would, so the tests follow the markup's meaning rather than its classes."""
import re
from datetime import date

from catalog.site.facets import FACETS
from catalog.models import Collection, Item

COUNT = re.compile(r"(\d+) items?\b")


def result_count(page):
    """The number of results the browse page announces ("17 items")."""
    heading = page.get_by_role("heading", name=COUNT).first
    return int(COUNT.search(heading.inner_text()).group(1))


def facet(page, label):
    """A facet group: a region named by its heading."""
    return page.get_by_role("region", name=label, exact=True)


def facet_values(page, label):
    """{value label: count} of a facet, read from each link's accessible name."""
    values = {}
    for link in facet(page, label).get_by_role("link").all():
        name = " ".join(link.inner_text().split())
        match = re.match(r"^(?:Selected:\s*)?(.*?)\s+(\d+)(?:\s+items?)?$", name)
        if match:
            values[match.group(1)] = int(match.group(2))
    return values


def all_facet_counts(page):
    """Every facet value's count on the page, keyed by (facet, value)."""
    return {
        (label, value): count
        for _, label, _ in FACETS if facet(page, label).count()
        for value, count in facet_values(page, label).items()
    }


def chips(page):
    return page.get_by_role("link", name=re.compile(r"^Remove filter"))


def the_note():
    """The note of 24 September 1945, as the demo catalogue describes it."""
    day = date(1945, 9, 24)
    return Item.objects.published().get(dcmi_type="Text", date_earliest=day, date_latest=day)


def collections_holding(item):
    """The item's collections and every collection above them, deepest first."""
    holding = {}
    for collection in item.collections.all():
        parts = collection.set_spec.split(":")
        for depth in range(len(parts), 0, -1):
            holding.setdefault(":".join(parts[:depth]), depth)
    found = Collection.objects.filter(set_spec__in=holding)
    return sorted(found, key=lambda c: -holding[c.set_spec])
