"""The public site. Views parse the request, ask a queryset or the browse FilterSet, and render.

Visibility is `Item.objects.published()` everywhere; the item page (with its tree) alone uses
`visible_to(user)`, so that staff can preview a draft before publishing it.

Every unit of an arrangement is an item, so the item page is the unit page: what it shows of
the arrangement (path, context line, neighbours, the tree of what lies below) is built by
arrangement.py; the printable finding aid by printable.py.
"""
from urllib.parse import urljoin

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import arrangement as units, citations, htmlmeta, jsonld, printable, related
from .addresses import base_url as _base_url, page_address
from .authority_items import count_linked
from ..exports.csv import csv_response
from .caching import cached
from .facets import cached_facets, kept_count, overview, result_dependency
from .filters import SORTS, ItemFilterSet, authority_facets
from ..models import Authority, Collection, Item, Statement
from .results import CachedResult
from ..search import snippets

HOME_RECENT_ITEMS = 8
HOME_ARRANGEMENTS = 12  # fonds and collections on the home page; the collections page has the rest
LISTED_ARRANGEMENTS = 100  # on the collections page (a repository holds tens of fonds, not thousands)

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
        "arrangements": units.arrangements(HOME_ARRANGEMENTS),
        "types": counts["types"],
        "recent": Item.objects.published().with_description().select_related("level").order_by("-created", "-pk")[:HOME_RECENT_ITEMS],
    })


def browse(request):
    context = browse_page(request, request.GET)
    # The page shown, as an ItemList for search engines: its items, never the whole result.
    address = page_address(request, context["page_query"])
    context["jsonld"] = jsonld.script(jsonld.list_page_jsonld(context["page"], base_url=_base_url(request), url=address))
    return render(request, "site/browse.html", context)


def export_csv(request):
    """The current browse result (filters and search, never the page) as a CSV download.

    A file cannot carry the browse page's notices, so values beyond a cap are refused rather
    than left out; the page's own download link never has them."""
    filterset = ItemFilterSet(request.GET, queryset=Item.objects.published(), request=request)
    if filterset.notices:
        return HttpResponseBadRequest("\n".join(filterset.notices), content_type="text/plain; charset=utf-8")
    return csv_response(filterset.qs, "arkiv-items.csv", public=True)


def browse_page(request, data, *, facets=True):
    """Everything a page of browse results shows, for the browse and the collection pages."""
    filterset = ItemFilterSet(data, queryset=Item.objects.published(), request=request)
    results = CachedResult(
        filterset.qs, key=(filterset.signature(), filterset.sort_order),
        fetch=Item.objects.published().with_description().select_related("level"),
        ids=filterset.ranking(),
        state=result_dependency(filterset), count=kept_count(filterset),
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
    """The page of a unit at any level: its description, where it sits in its arrangement, and
    the tree of what lies below it (a page of its children at a time)."""
    item = get_object_or_404(
        Item.objects.visible_to(request.user).with_description().select_related("level", "parent"),
        identifier=identifier,
    )
    base_url = _base_url(request)
    where = units.place(item, request.user)
    open_units = units.opened(item, request.GET.getlist(units.OPEN), request.user)
    contents = units.contents(item, request.user, page_number=request.GET.get("page"), open_units=open_units)
    page_query = QueryDict(mutable=True)
    if contents is not None:
        if contents.page.number > 1:
            page_query["page"] = str(contents.page.number)
        page_query.setlist(units.OPEN, list(open_units))
    return render(request, "site/item_detail.html", {
        "item": item,
        "level_label": units.level_label(item),
        "arranged": units.is_arranged(item),
        "place": where,
        "inverse": related.inverse_relations(item, request.user),
        "contents": contents,
        "contents_range": contents.page.paginator.get_elided_page_range(contents.page.number, on_each_side=2, on_ends=1) if contents else (),
        "tops_page": contents is not None and item.parent_id is None,
        "finding_aids": units.finding_aid_downloads(item) if contents is not None and item.parent_id is None and item.is_public else [],
        "page_query": page_query,  # the language switcher comes back to the same page of the tree
        "permalink": urljoin(base_url, item.get_absolute_url()),
        "citation": citations.citation(item, base_url=base_url, above=where.above),
        "head_tags": htmlmeta.head_tags(item, base_url=base_url),
        # Scholar's and Zotero's citation_* tags, and the record in each machine format.
        "reader_tags": [*htmlmeta.citation_tags(item, base_url=base_url), *htmlmeta.alternate_links(item, base_url=base_url)],
        "jsonld": jsonld.script_content(item, base_url=base_url),
        "oai_record_url": _oai_record_url(item),
        "downloads": [
            (label, reverse(name, kwargs={"identifier": item.identifier}), media_type.split(";")[0])
            for label, name, media_type in DOWNLOADS
        ],
    })


def unit_tree(request, identifier):
    """One level of a unit's tree (a page of its children) as an HTML fragment, for arkiv.js to
    insert where a visitor opens the unit; without script the item page opens it by a link."""
    unit = get_object_or_404(Item.objects.visible_to(request.user), identifier=identifier)
    contents = units.contents(unit, request.user, page_number=request.GET.get("page"), fragment=True)
    if contents is None:
        raise Http404("Nothing lies below this unit.")
    response = render(request, "site/includes/tree_level.html", {"level": contents})
    response["X-Robots-Tag"] = "noindex"  # a part of a page, not a page
    return response


def printable_finding_aid(request, identifier):
    """A published unit and every published unit below it, described, in arrangement order: a
    page to print (printable.py). Streamed: a fonds of any size is never held in memory."""
    unit = get_object_or_404(
        Item.objects.published().with_description().select_related("level"), identifier=identifier
    )
    language = get_language()
    head = loader.get_template("site/finding_aid_print.html")
    body = loader.get_template("site/includes/finding_aid_units.html")
    context = {
        "unit": unit,
        "level_label": units.level_label(unit),
        "above": units.above(unit),
        "finding_aids": units.finding_aid_downloads(unit) if unit.parent_id is None else [],
        "limit": settings.ARKIV_PRINTABLE_UNITS,
    }
    start, end = head.render(context, request).split(printable.BODY_MARK)

    def page():
        # The response is read after the view returns: the reader's language is set again.
        with translation.override(language):
            yield start
            for chunk in printable.chunks(unit):
                yield body.render({**context, "entries": chunk})
            yield end

    return StreamingHttpResponse(page(), content_type="text/html; charset=utf-8")


def item_jsonld(request, identifier):
    item = _published_item(identifier)
    document = jsonld.item_jsonld(item, base_url=_base_url(request))
    return HttpResponse(jsonld.dumps(document), content_type=jsonld.CONTENT_TYPE)


def item_ris(request, identifier):
    item = _published_item(identifier)
    ris = citations.ris(item, base_url=_base_url(request), above=units.above(item))
    return _attachment(ris, citations.RIS_CONTENT_TYPE, f"{item.identifier}.ris")


def item_bibtex(request, identifier):
    item = _published_item(identifier)
    bibtex = citations.bibtex(item, base_url=_base_url(request), above=units.above(item))
    return _attachment(bibtex, citations.BIBTEX_CONTENT_TYPE, f"{item.identifier}.bib")


def _published_item(identifier):
    # Downloads are outputs like OAI and exports: published items only, even for staff.
    return get_object_or_404(Item.objects.published().with_description().select_related("parent"), identifier=identifier)


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
        "arrangements": units.arrangements(LISTED_ARRANGEMENTS),
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
        "jsonld": jsonld.script(jsonld.collection_jsonld(collection, page["page"], base_url=_base_url(request))),
    })


def authority_detail(request, kind, slug):
    authority = get_object_or_404(Authority.objects.prefetch_related("variants", "links"), kind=kind, slug=slug)
    # pk IN (the record's statements), not EXISTS per item: the record's few statements are
    # read once through their index instead of probing every item of the catalogue.
    visible = Item.objects.visible_to(request.user)
    items = visible.filter(pk__in=Statement.objects.filter(authority=authority).values("item_id"))
    items = items.order_by("sort_title", "pk")
    if _is_staff(request.user):
        items = items.with_description().select_related("level")  # drafts too, which the catalogue state does not follow
    else:
        linked = items
        items = CachedResult(
            linked, key=("authority", authority.pk), fetch=visible.with_description().select_related("level"),
            count=lambda: count_linked(authority, linked),
        )
    paginator = Paginator(items, settings.ARKIV_BROWSE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if not paginator.count and not _is_staff(request.user):
        # A name that only drafts mention is not yet public.
        raise Http404("No published item is linked to this record.")
    return render(request, "site/authority_detail.html", {
        "authority": authority,
        "jsonld": jsonld.script(jsonld.authority_jsonld(authority, base_url=_base_url(request))),
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
