"""Template helpers of the public site: browse query strings, and an item's values as shown.

Names, titles, dates and language names are shown in the language of the request: an item is
headed by its title in that language (catalog/languages.py), with its titles in other languages
as parallel titles; a linked record by its variant in that language; dates in its words
(catalog/dates.py display).
"""
import re
from typing import NamedTuple
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.translation import get_language

from ... import dates, dublincore, languages, relations, rights
from .. import arrangement, related
from ..filters import ItemFilterSet, language_label, type_label

register = template.Library()

# Only these are made into links: a value such as "javascript:..." stays text.
WEB_ADDRESS = re.compile(r"^https?://\S+$", re.IGNORECASE)


# --- browse query strings -----------------------------------------------------------------------

def _current(context):
    """The browse's parameters: the query the view says the page used (the browse gives its
    valid choices, ItemFilterSet.used_query), else the request's own, else none."""
    query = context.get("query")
    if query is not None:
        return query
    request = context.get("request")
    return request.GET if request is not None else QueryDict()


def _query(context):
    return _current(context).copy()


def _encode(query):
    query.pop("page", None)  # a changed result starts again at its first page
    return f"?{query.urlencode()}"


def _current_lists(context):
    """The browse's parameters (_current) as {name: [values]}, read once per page: a browse
    page links every facet value, hundreds of them, and a copy of the QueryDict for each was a
    third of the page's rendering."""
    current = _current(context)
    if not hasattr(current, "_arkiv_lists"):
        current._arkiv_lists = dict(current.lists())
    return current._arkiv_lists


@register.simple_tag(takes_context=True)
def toggle_query(context, name, value):
    """The current browse with `value` of `name` chosen if it was not, and dropped if it was."""
    lists = dict(_current_lists(context))
    value = str(value)
    values = [v.strip() for v in lists.get(name, [])]
    if value in values:
        values = [v for v in values if v != value]
    elif name in ItemFilterSet.MULTIPLE:
        values.append(value)
    else:
        values = [value]
    lists[name] = values
    lists.pop("page", None)  # a changed result starts again at its first page
    # The same text as QueryDict.urlencode(): names in order of appearance, values as +-quoted.
    return f"?{urlencode([(key, v) for key, vs in lists.items() for v in vs])}"


@register.simple_tag(takes_context=True)
def without_query(context, name, value=None):
    """The current browse without one chosen value (or, for a one-value filter, without it)."""
    query = _query(context)
    if name in ItemFilterSet.MULTIPLE and value is not None:
        query.setlist(name, [v for v in query.getlist(name) if v.strip() != str(value)])
    else:
        query.pop(name, None)
    return _encode(query)


@register.simple_tag(takes_context=True)
def without_filters(context):
    """The current browse with every filter removed: the search words and the sort stay."""
    current = _query(context)
    query = QueryDict(mutable=True)
    for name in ("q", "sort"):
        if current.get(name):
            query[name] = current[name]
    return _encode(query)


@register.simple_tag
def browse_url(**params):
    query = QueryDict(mutable=True)
    query.update(params)
    return f"{reverse('catalog:browse')}?{query.urlencode()}"


@register.simple_tag
def facet_url(name, value):
    """The browse with one facet value chosen."""
    query = QueryDict(mutable=True)
    query[name] = value
    return f"{reverse('catalog:browse')}?{query.urlencode()}"


# --- an item's values ---------------------------------------------------------------------------

class Value(NamedTuple):
    text: str
    lang: str = ""
    url: str = ""
    external: bool = False
    badge: str = ""  # a rights statement's icon (inline SVG)


class Row(NamedTuple):
    term: str
    label: str
    values: list


class Group(NamedTuple):
    key: str
    label: str
    rows: list


@register.filter
def heading(item):
    """The item's title in the language of the request (languages.item_title), else its
    identifier: what heads its page and card and names it in <title>. Has `text` and `lang`."""
    return languages.item_title(item, get_language())


@register.filter
def summary(item):
    """The item's first description in the language of the request, else its first of all."""
    return languages.item_description(item, get_language())


@register.filter
def authority_name(authority):
    """A record's name in the language of the request (a variant in it), else its preferred
    label. Has `text` and `lang` ("" for the preferred label)."""
    return languages.authority_label(authority, get_language())


@register.filter
def other_names(authority):
    """The record's names other than authority_name's, as `text` and `lang`: its preferred
    label where a variant heads the page, then its variants (the record's page shows them all)."""
    shown = languages.authority_label(authority, get_language())
    names = [languages.Label(v.label, v.lang) for v in authority.variants.all()]
    if shown.lang:
        names = [languages.Label(authority.preferred_label), *(n for n in names if n != shown)]
    return names


@register.filter
def date_display(text):
    """A date string as written, in the words of the request's language where it is read
    exactly ("24. september 1945"); see dates.display."""
    return dates.display(text)


@register.simple_tag(takes_context=True)
def description_groups(context, item, inverse=None):
    """The item's values grouped as the page shows them: what, who, when, where, rights, context.

    A row is one term, labelled in plain words; a refinement sits in the group of the element
    it dumbs down to, after that element. Terms that refine none of the fifteen go to context.
    The title in the request's language heads the page, so it is not repeated; the item's
    titles in other languages follow the titles as parallel titles. A relation to another item
    links to its page where the reader may see it (related.py); `inverse` (a related.Inverse)
    adds what other items' relations say of this one, under the inverse term's row.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    title = languages.item_title(item, get_language())
    parallel = languages.parallel_titles(item, title)
    by_term = {}
    for statement in item.statements.all():
        if statement is title.statement:
            continue
        key = PARALLEL if any(statement is other for other in parallel) else statement.term
        by_term.setdefault(key, []).append(_value(statement, user))
    for citing in inverse.values if inverse else ():
        by_term.setdefault(citing.key, []).append(Value(citing.text, url=citing.url))
    if item.dcmi_type:  # the DCMI type first, then any type the cataloguer wrote ("Note")
        dcmi_type = Value(type_label(item.dcmi_type), url=browse_url(type=item.dcmi_type))
        by_term["type"] = [dcmi_type, *by_term.get("type", [])]
    if item.rights_uri:  # the statement of the controlled list first, then the notes as written
        statement = Value(rights.label(item.rights_uri), url=item.rights_uri, external=True, badge=rights.icon(item.rights_uri, decorative=True))
        by_term["rights"] = [statement, *by_term.get("rights", [])]
    rows = {group.key: [] for group in dublincore.GROUPS}
    for term, values in by_term.items():
        label = dublincore.PARALLEL_TITLE if term == PARALLEL else relations.label(term)
        rows[_group_of(term)].append(Row(term, label, values))
    return [
        Group(group.key, group.label, sorted(rows[group.key], key=lambda row: _row_order(group, row.term)))
        for group in dublincore.GROUPS if rows[group.key]
    ]


# The row of parallel titles: not a term of its own, but placed as a refinement of the title.
PARALLEL = "parallelTitle"


def _element_of(term):
    if term == PARALLEL:
        return "title"
    # The other end of a dc:source, which has no term of its own, sits beside it.
    return "source" if term == relations.SOURCE_OF else dublincore.element_of(term)


def _group_of(term):
    element = _element_of(term)
    return next((group.key for group in dublincore.GROUPS if element in group.elements), "context")


def _row_order(group, term):
    """The element's own row first, then its parallel titles, then its refinements."""
    element = _element_of(term)
    position = group.elements.index(element) if element in group.elements else len(group.elements)
    return position, 0 if term == element else 1 if term == PARALLEL else 2


def _value(statement, user=None):
    if statement.target_id:
        return Value(statement.value, statement.lang, related.target_url(statement, user))
    if statement.authority_id:
        label = languages.authority_label(statement.authority, get_language())
        return Value(label.text, label.lang or statement.lang, statement.authority.get_absolute_url())
    text = statement.value
    if statement.term == "language":
        return Value(language_label(text), url=browse_url(language=text))
    if dublincore.element_of(statement.term) == "date":
        parsed = dates.parse(text)
        # The decade facet places an item by its earliest date: one open at the start, or
        # undated, has none.
        if parsed and parsed.earliest:
            return Value(dates.display(text), url=browse_url(decade=parsed.earliest.year // 10 * 10))
        if parsed:
            return Value(dates.display(text))
    if WEB_ADDRESS.match(text):
        return Value(text, statement.lang, text, external=True)
    return Value(text, statement.lang)


@register.filter
def values_of(item, term):
    """The display values of one term of an item (from with_description()'s prefetch), a
    linked record's in the language of the request."""
    language = get_language()
    return [
        languages.authority_label(statement.authority, language).text if statement.authority_id
        else statement.value
        for statement in item.statements.all() if statement.term == term
    ]


@register.filter
def thumbnail_of(item):
    """The small image that stands for an item in lists, or None."""
    for digital_file in item.files.all():
        if digital_file.is_image and (digital_file.thumbnail or digital_file.display):
            return digital_file.url("thumbnail" if digital_file.thumbnail else "display")
    return None


@register.filter
def delivered(digital_file, role):
    """The URL a stored file of `role` (original, display, thumbnail) is delivered at."""
    return digital_file.url(role)


@register.filter
def dcmi_type_label(dcmi_type):
    return type_label(dcmi_type)


@register.filter
def lookup(mapping, key):
    """mapping[key], or "" when it is absent (snippets by item id)."""
    return mapping.get(key, "") if mapping else ""


@register.simple_tag(takes_context=True)
def keep_query(context, *names):
    """Hidden inputs carrying the current browse into a form, except `names` (the form's own)."""
    query = _query(context)
    kept = (
        (name, value)
        for name, values in query.lists() if name not in names and name != "page"
        for value in values
    )
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', kept)


# --- the arrangement ----------------------------------------------------------------------------

@register.filter
def level_of(unit):
    """The unit's level of description in the reader's language (an item where it has none)."""
    return arrangement.level_label(unit)


@register.filter
def is_arranged(unit):
    """Whether lists name the unit's level and reference code: it is under a unit, or described
    as more than a single item (its level loaded with it)."""
    return arrangement.is_arranged(unit)


@register.filter
def grouped(number):
    """A count with the reader's digit grouping (100,000; 100 000 in Norwegian)."""
    return number_format(number, force_grouping=True)


@register.filter
def heading_depth(depth, start=2):
    """The heading level (h2 ... h6) of a unit `depth` levels down from the top of a page whose
    first level is `start`: HTML has six, and deeper units share the last."""
    return min(int(depth) + int(start), 6)


@register.filter
def tree_url(unit):
    """Where arkiv.js reads the level of the tree under `unit`."""
    return arrangement.tree_url(unit)
