"""IIIF Collections: a thematic collection (its sub-collections, then the manifests of its public
items with images) and a unit of the arrangement (its public children: a Collection for each
that has public units below it, a Manifest for each that has public images).

Bounded: Presentation 3.0 has no paging of Collections (2.1's first/next were removed), so a
Collection of more than PAGE_SIZE members lists Collections of pages instead, ?page=1, ?page=2
… each with at most PAGE_SIZE members and partOf the whole. Where there would be more than
PAGE_SIZE pages, the whole lists groups of pages (?page=g1 …), each listing at most PAGE_SIZE
pages. No document ever lists more than PAGE_SIZE entries (2 × PAGE_SIZE for a unit whose
children each are both a Collection and a Manifest): a series of 100,000 items at 500 a page is
a Collection of 200 pages.
"""
import math
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from iiif_prezi3 import Collection, CollectionRef, ManifestRef
from iiif_prezi3.skeleton import Class, Homepage

from ...models import Collection as ThematicCollection
from ...models import DigitalFile, Item
from . import addresses, manifests, text

PAGE_LABEL = _("Items %(first)d–%(last)d of %(total)d")
GROUP_LABEL = _("Pages %(first)d–%(last)d of %(total)d")


class NoSuchPage(Exception):
    """A page reference that names no page of this Collection."""


def page_size():
    return settings.ARKIV_IIIF_COLLECTION_PAGE_SIZE


def image_files_q(prefix=""):
    """A file the manifest paints (manifests.public_images) as a condition on DigitalFile rows:
    an image of known size with a copy visitors may have."""
    p = prefix
    return models.Q(**{f"{p}mime_type__startswith": "image/", f"{p}width__gt": 0, f"{p}height__gt": 0}) & (
        ~models.Q(**{f"{p}display": ""}) | ~models.Q(**{f"{p}thumbnail": ""}) | models.Q(**{f"{p}original_public": True})
    )


def with_images():
    return models.Exists(DigitalFile.objects.filter(image_files_q(), item=models.OuterRef("pk")))


def with_public_children():
    return models.Exists(Item.objects.published().filter(parent=models.OuterRef("pk")))


def unit_children(unit):
    """The public children of a public unit that a Collection lists, in arrangement order."""
    return (
        Item.objects.published().filter(parent=unit)
        .annotate(has_images=with_images(), has_children=with_public_children())
        .filter(models.Q(has_images=True) | models.Q(has_children=True))
        .order_by("position", "id").only("id", "identifier", "sort_title")
    )


def collection_items(collection):
    """The public items with images directly in a thematic collection, by title."""
    return (
        Item.objects.published().filter(collections=collection)
        .filter(with_images()).order_by("sort_title", "id").only("id", "identifier", "sort_title")
    )


@dataclass
class Members:
    """The ordered entries of a Collection, counted and sliced in the database."""

    count: int
    slice: callable  # (start, stop) -> [CollectionRef | ManifestRef]


def thematic_members(collection, base_url):
    children = ThematicCollection.objects.filter(parent=collection).order_by("position", "title", "id")
    items = collection_items(collection)
    n_children, n_items = children.count(), items.count()

    def take(start, stop):
        refs = [_collection_ref(c, base_url) for c in children[start:min(stop, n_children)]] if start < n_children else []
        first, last = max(start - n_children, 0), stop - n_children
        if last > 0:
            refs += [_manifest_ref(item, base_url) for item in items[first:last]]
        return refs

    return Members(n_children + n_items, take)


def unit_members(unit, base_url):
    children = unit_children(unit)

    def take(start, stop):
        refs = []
        for child in children[start:stop]:
            if child.has_children:
                refs.append(CollectionRef(
                    id=addresses.unit_collection(child, base_url), type="Collection", label=_title(child),
                ))
            if child.has_images:
                refs.append(_manifest_ref(child, base_url))
        return refs

    return Members(children.count(), take)


def thematic_collection(collection, *, base_url, page=None):
    url = addresses.collection(collection, base_url)
    home = urljoin(base_url, collection.get_absolute_url())
    whole = Collection(
        id=url, label=text.of_values([collection.title]),
        homepage=[Homepage(id=home, type="Text", label=text.of_values([collection.title]), format="text/html")],
    )
    if collection.description.strip():
        whole.summary = text.of_values([collection.description.strip()])
    if collection.parent_id:
        parent = collection.parent
        whole.partOf = [Class(id=addresses.collection(parent, base_url), type="Collection", label=text.of_values([parent.title]))]
    return _paged(whole, thematic_members(collection, base_url), page,
                  lambda ref: addresses.collection(collection, base_url, ref))


def unit_collection(unit, *, base_url, page=None):
    url = addresses.unit_collection(unit, base_url)
    home = urljoin(base_url, unit.get_absolute_url())
    whole = Collection(
        id=url, label=manifests.label(unit),
        homepage=[Homepage(id=home, type="Text", label=manifests.label(unit), format="text/html")],
        requiredStatement=manifests.required_statement(unit),
    )
    if summary := manifests.summary_of(unit):
        whole.summary = summary
    if unit.parent_id:
        whole.partOf = [Class(id=addresses.unit_collection(unit.parent, base_url), type="Collection", label=_title(unit.parent))]
    return _paged(whole, unit_members(unit, base_url), page, lambda ref: addresses.unit_collection(unit, base_url, ref))


def _paged(whole, members, page, url_of):
    """`whole` with its members, or with Collections of its pages (see the module's docstring);
    with `page`, that page or group of pages as a Collection partOf the whole."""
    size = page_size()
    pages = math.ceil(members.count / size)
    groups = math.ceil(pages / size)
    if page is None:
        if pages <= 1:
            whole.items = members.slice(0, size)
        elif pages <= size:
            whole.items = [_page_ref(number, members.count, url_of) for number in range(1, pages + 1)]
        else:
            whole.items = [_group_ref(number, pages, url_of) for number in range(1, groups + 1)]
        return whole
    number, is_group = _page_number(page)
    if is_group:
        if pages <= size or not 1 <= number <= groups:
            raise NoSuchPage(page)
        first = (number - 1) * size + 1
        items = [_page_ref(n, members.count, url_of) for n in range(first, min(first + size, pages + 1))]
        label = _group_ref(number, pages, url_of).label
        parent = whole
    else:
        if pages <= 1 or not 1 <= number <= pages:
            raise NoSuchPage(page)
        items = members.slice((number - 1) * size, number * size)
        label = _page_ref(number, members.count, url_of).label
        parent = whole if pages <= size else _group_ref(math.ceil(number / size), pages, url_of)
    return Collection(
        id=url_of(page), label=label, items=items,
        partOf=[Class(id=parent.id, type="Collection", label=parent.label)],
    )


def _page_number(page):
    """'3' -> (3, False); 'g2' -> (2, True)."""
    is_group = page.startswith("g")
    digits = page[1:] if is_group else page
    if not digits.isdigit() or len(digits) > 9:
        raise NoSuchPage(page)
    return int(digits), is_group


def _page_ref(number, total, url_of):
    size = page_size()
    first, last = (number - 1) * size + 1, min(number * size, total)
    return CollectionRef(
        id=url_of(str(number)), type="Collection",
        label=text.translated(PAGE_LABEL, first=first, last=last, total=total),
    )


def _group_ref(number, pages, url_of):
    size = page_size()
    first, last = (number - 1) * size + 1, min(number * size, pages)
    return CollectionRef(
        id=url_of(f"g{number}"), type="Collection",
        label=text.translated(GROUP_LABEL, first=first, last=last, total=pages),
    )


def _title(item):
    return text.of_values([item.title or item.identifier])


def _collection_ref(collection, base_url):
    return CollectionRef(id=addresses.collection(collection, base_url), type="Collection", label=text.of_values([collection.title]))


def _manifest_ref(item, base_url):
    return ManifestRef(id=addresses.manifest(item, base_url), type="Manifest", label=_title(item))
