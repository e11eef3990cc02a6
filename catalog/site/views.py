"""The public site. Views parse the request, ask a queryset or the browse FilterSet, and render.

Visibility is `Item.objects.published()` everywhere; the item page alone uses
`visible_to(user)`, so that staff can preview a draft before publishing it.
"""
from urllib.parse import urljoin

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import citations, htmlmeta, jsonld
from .addresses import base_url as _base_url
from ..exports.csv import csv_response
from .caching import cached
from .facets import cached_facets, overview
from .filters import SORTS, ItemFilterSet, authority_facets
from ..models import Authority, Collection, Item, Statement
from .results import CachedResult
from ..search import snippets

HOME_RECENT_ITEMS = 8

# The item page's downloads of its record: (label, URL name, media type).
DOWNLOADS = [
    (_("JSON-LD (schema.org)"), "catalog:item-jsonld", jsonld.CONTENT_TYPE),
    (_("RIS (reference managers)"), "catalog:item-ris", citations.RIS_CONTENT_TYPE),
    ("BibTeX", "catalog:item-bibtex", citations.BIBTEX_CONTENT_TYPE),
]


def home(request):
    counts = overview()
    top_level = Collection.objects.filter(parent=None).order_by("position", "title")
    return render(request, "site/home.html", {
        "item_count": counts["items"],
        "collections": [(c, counts["collections"].get(c.identifier, 0)) for c in top_level],
        "types": counts["types"],
        "recent": Item.objects.published().with_description().order_by("-created", "-pk")[:HOME_RECENT_ITEMS],
    })


def browse(request):
    return render(request, "site/browse.html", browse_page(request, request.GET))


def export_csv(request):
    """The current browse result (filters and search, never the page) as a CSV download.

    A file cannot carry the browse page's notices, so values beyond a cap are refused rather
    than left out; the page's own download link never has them."""
    filterset = ItemFilterSet(request.GET, queryset=Item.objects.published(), request=request)
    if filterset.notices:
        return HttpResponseBadRequest("\n".join(filterset.notices), content_type="text/plain; charset=utf-8")
    return csv_response(filterset.qs, "arkiv-items.csv")


def browse_page(request, data, *, facets=True):
    """Everything a page of browse results shows, for the browse and the collection pages."""
    filterset = ItemFilterSet(data, queryset=Item.objects.published(), request=request)
    results = CachedResult(
        filterset.qs, key=(filterset.signature(), filterset.sort_order),
        fetch=Item.objects.published().with_description(),
    )
    paginator = Paginator(results, settings.ARKIV_BROWSE_PAGE_SIZE)
    page = paginator.get_page(data.get("page"))
    return {
        "filterset": filterset,
        "page": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "facets": cached_facets(filterset) if facets else [],
        "active": filterset.active_values(),
        "query": filterset.used_query(),  # what the page's links build on
        "page_query": _page_query(filterset.used_query(), page),  # the page's own address
        "snippets": snippets(page.object_list, filterset.query) if filterset.query else {},
        "sorts": SORTS,
        "section": "browse",
    }


def item_detail(request, identifier):
    item = get_object_or_404(
        Item.objects.visible_to(request.user).with_description(), identifier=identifier
    )
    base_url = _base_url(request)
    return render(request, "site/item_detail.html", {
        "item": item,
        "permalink": urljoin(base_url, item.get_absolute_url()),
        "citation": citations.citation(item, base_url=base_url),
        "head_tags": htmlmeta.head_tags(item, base_url=base_url),
        "jsonld": jsonld.script_content(item, base_url=base_url),
        "oai_record_url": _oai_record_url(item),
        "downloads": [
            (label, reverse(name, kwargs={"identifier": item.identifier}), media_type.split(";")[0])
            for label, name, media_type in DOWNLOADS
        ],
    })


def item_jsonld(request, identifier):
    item = _published_item(identifier)
    document = jsonld.item_jsonld(item, base_url=_base_url(request))
    return HttpResponse(jsonld.dumps(document), content_type=jsonld.CONTENT_TYPE)


def item_ris(request, identifier):
    item = _published_item(identifier)
    return _attachment(citations.ris(item, base_url=_base_url(request)), citations.RIS_CONTENT_TYPE, f"{item.identifier}.ris")


def item_bibtex(request, identifier):
    item = _published_item(identifier)
    return _attachment(citations.bibtex(item, base_url=_base_url(request)), citations.BIBTEX_CONTENT_TYPE, f"{item.identifier}.bib")


def _published_item(identifier):
    # Downloads are outputs like OAI and exports: published items only, even for staff.
    return get_object_or_404(Item.objects.published().with_description(), identifier=identifier)


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    # Identifiers are letters, digits, dots, hyphens and underscores: safe in the header as they are.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def collection_list(request):
    counts = overview()["collections"]
    collections = Collection.objects.order_by("set_spec")
    return render(request, "site/collection_list.html", {
        "section": "collections",
        "collections": [(c, c.set_spec.count(":"), counts.get(c.identifier, 0)) for c in collections],
    })


def collection_detail(request, identifier):
    collection = get_object_or_404(Collection, identifier=identifier)
    children = collection.children.order_by("position", "title")
    counts = overview()["collections"]
    data = QueryDict(mutable=True)
    data.setlist("collection", [collection.identifier])
    for name in ("page", "sort"):
        if name in request.GET:
            data[name] = request.GET[name]
    page = browse_page(request, data, facets=False)
    used = QueryDict(mutable=True)
    if "sort" in page["query"]:
        used["sort"] = page["query"]["sort"]
    return render(request, "site/collection_detail.html", {
        "collection": collection,
        "ancestors": collection.ancestors(),
        "children": [(child, counts.get(child.identifier, 0)) for child in children],
        **page,
        "page_query": _page_query(used, page["page"]),  # its sort and page, not the collection filter
        "section": "collections",
    })


def authority_detail(request, kind, slug):
    authority = get_object_or_404(Authority.objects.prefetch_related("variants", "links"), kind=kind, slug=slug)
    # pk IN (the record's statements), not EXISTS per item: the record's few statements are
    # read once through their index instead of probing every item of the catalogue.
    visible = Item.objects.visible_to(request.user)
    items = visible.filter(pk__in=Statement.objects.filter(authority=authority).values("item_id"))
    items = items.order_by("sort_title", "pk")
    if _is_staff(request.user):
        items = items.with_description()  # drafts too, which the catalogue state does not follow
    else:
        items = CachedResult(items, key=("authority", authority.pk), fetch=visible.with_description())
    paginator = Paginator(items, settings.ARKIV_BROWSE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if not paginator.count and not _is_staff(request.user):
        # A name that only drafts mention is not yet public.
        raise Http404("No published item is linked to this record.")
    return render(request, "site/authority_detail.html", {
        "authority": authority,
        "page": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": _page_query(QueryDict(), page),
        # Labelled in the page's language, so cached for each language.
        "facets": cached(
            ("authority facets", authority.pk, get_language()),
            lambda: authority_facets(authority, Item.objects.published()),
        ),
    })


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        # Every combination of facets is a page of its own: crawlers should follow items instead.
        f"Disallow: {reverse('catalog:browse')}?",
        f"Disallow: {reverse('catalog:export-csv')}",
        f"Disallow: {reverse('admin:index')}",
        f"Sitemap: {urljoin(_base_url(request), reverse('catalog:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _page_query(used, page):
    """The query a page's own address keeps (canonical, alternates, the language switcher's
    way back): the choices it used and its page number past the first."""
    query = used.copy()
    query.pop("page", None)
    if page.number > 1:
        query["page"] = str(page.number)
    return query


def _oai_record_url(item):
    query = QueryDict(mutable=True)
    query.update({
        "verb": "GetRecord", "metadataPrefix": "oai_dc",
        "identifier": f"oai:{settings.ARKIV_REPOSITORY_ID}:{item.identifier}",
    })
    return f"{reverse('oai')}?{query.urlencode()}"


def _is_staff(user):
    return user.is_active and user.is_staff
