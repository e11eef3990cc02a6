"""The OAI-PMH verbs as pages for people, at /oai/browse.

/oai once read as a page through an XSL stylesheet; browsers are dropping XSLT, so /oai is now
pure protocol XML and people come here instead (the site's footer links this page).

Why here, in the OAI package, and not in the site: the page is the protocol's own answer, read
out for people. A request is checked by `arguments.parse` and answered by `verbs.VERBS`, exactly
as at /oai; the element the verb returns (or the errors it raised) is then read into rows for
the template. There is one implementation of the protocol, and this page cannot say anything the
endpoint does not. The template extends the site's base template by name, as the site links to
/oai by URL: this package imports nothing of the site.

Where the page differs from the endpoint, it is for people: GET only; empty fields of its form
are left out rather than refused (an HTML form sends every field); a list shows
ARKIV_BROWSE_PAGE_SIZE records at a time (the endpoint's page size where that is smaller), and
the next page is asked for with the endpoint's own resumption token; labels are in the reader's
language; with no verb at all, the page is Identify.
"""
from dataclasses import dataclass, field

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from lxml import etree

from archive.language import LANGUAGE_PARAMETER

from . import arguments, formats, response, tokens
from .errors import OAIError
from .identify import base_url, local_identifier, site_url
from .markup import NS_OAI, NS_OAI_IDENTIFIER, XML_LANG, XSI_TYPE
from .records import item_link
from .verbs import VERBS, Context

NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_RESOURCE = f"{{{NS_RDF}}}resource"
_RDF_ABOUT = f"{{{NS_RDF}}}about"
MAX_DEPTH = 3  # deeper values are indented as far as this (oai.css has a class for each)

# Identify's elements as people call them; the protocol's name is shown beside each.
IDENTIFY_LABELS = {
    "repositoryName": _("Repository name"),
    "baseURL": _("Base URL (for harvesters)"),
    "protocolVersion": _("Protocol version"),
    "adminEmail": _("Administrator’s e-mail"),
    "earliestDatestamp": _("Earliest datestamp"),
    "deletedRecord": _("Deleted records"),
    "granularity": _("Datestamp granularity"),
    "scheme": _("Identifier scheme"),
    "repositoryIdentifier": _("Repository identifier"),
    "delimiter": _("Delimiter"),
    "sampleIdentifier": _("Sample identifier"),
}


@dataclass
class Field:
    """One value of a record or of Identify, as a row: its element's name, the value, its
    language and encoding scheme (xsi:type), and a link where the value is an address."""

    name: str
    value: str
    label: str = ""  # what people call it, where the page names it for them
    lang: str = ""
    scheme: str = ""
    url: str = ""
    depth: int = 0  # nesting below the record's root (EDM's resources hold their properties)


@dataclass
class Header:
    identifier: str
    datestamp: str
    sets: list
    deleted: bool
    record_url: str  # this identifier's GetRecord page
    item_url: str  # the item's public page; "" for a deleted record


@dataclass
class Record:
    header: Header
    fields: list = field(default_factory=list)


@dataclass
class Continuation:
    """Where a list stands: records first..last of total, and the next page's address."""

    first: int
    last: int
    total: int | None
    next_url: str = ""


@dataclass
class Answer:
    """What the page shows: the verb answered, or the errors that stopped it."""

    verb: str
    arguments: dict
    errors: list = field(default_factory=list)  # (code, message)
    identify: list = field(default_factory=list)  # Fields
    formats: list = field(default_factory=list)  # (prefix, schema, namespace, records page)
    sets: list = field(default_factory=list)  # (spec, name, description, records page)
    records: list = field(default_factory=list)  # Records (headers only for ListIdentifiers)
    continuation: Continuation | None = None
    xml_url: str = ""  # the same request at /oai


@require_GET
def browse(request):
    params = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name == LANGUAGE_PARAMETER:
            continue  # the site's choice of language (?lang=nb), not an argument of the verb
        kept = [value for value in values if value != ""]
        if kept:
            params.setlist(name, kept)
    if not params:
        params["verb"] = "Identify"
    answer = answer_for(params, request)
    # The page's own address (canonical, the language switcher's way back) keeps what the verb
    # took, never the request as it came (site/addresses.py).
    used = QueryDict(mutable=True)
    if answer.verb:
        used.update({"verb": answer.verb, **answer.arguments})
    return render(request, "oai/browse.html", {
        "answer": answer,
        "verbs": list(VERBS),
        "prefixes": [metadata_format.prefix for metadata_format in formats.all_formats()],
        "asked": params,
        "page_query": used,  # the language switcher comes back to the same answer
        "section": "oai",
    })


def answer_for(params, request) -> Answer:
    """Parse and answer `params` (a QueryDict) with the endpoint's code; read the result."""
    page_size = min(settings.ARKIV_OAI_PAGE_SIZE, settings.ARKIV_BROWSE_PAGE_SIZE)
    context = Context(base_url=base_url(request), site_url=site_url(request), page_size=page_size)
    xml_url = f"{reverse('oai')}?{params.urlencode()}"
    try:
        parsed = arguments.parse(params)
        e_verb = response.element(VERBS[parsed.verb](parsed.arguments, context))
    except OAIError as error:
        problems = [error]
    except ExceptionGroup as group:
        problems = list(group.exceptions)
    else:
        answer = Answer(parsed.verb, parsed.arguments, xml_url=xml_url)
        _READERS[parsed.verb](answer, e_verb, context)
        return answer
    verb = params.get("verb", "")
    return Answer(
        verb if verb in VERBS else "", {},
        errors=[(problem.code(), str(problem.message)) for problem in problems], xml_url=xml_url,
    )


def page_url(**params) -> str:
    query = QueryDict(mutable=True)
    query.update({name: value for name, value in params.items() if value})
    return f"{reverse('oai-browse')}?{query.urlencode()}"


def _read_identify(answer, e_verb, context):
    for e_child in e_verb:
        name = etree.QName(e_child).localname
        if name == "description":
            continue
        value = e_child.text or ""
        url = f"mailto:{value}" if name == "adminEmail" else (value if name == "baseURL" else "")
        answer.identify.append(Field(name, value, label=IDENTIFY_LABELS.get(name, ""), url=url))
    for e_identifier in e_verb.iterfind(f"{{{NS_OAI}}}description/{{{NS_OAI_IDENTIFIER}}}oai-identifier"):
        for e_child in e_identifier:
            name, value = etree.QName(e_child).localname, e_child.text or ""
            url = page_url(verb="GetRecord", metadataPrefix="oai_dc", identifier=value) if name == "sampleIdentifier" else ""
            answer.identify.append(Field(name, value, label=IDENTIFY_LABELS.get(name, ""), url=url))


def _read_formats(answer, e_verb, context):
    for e_format in e_verb.iterfind(f"{{{NS_OAI}}}metadataFormat"):
        prefix = e_format.findtext(f"{{{NS_OAI}}}metadataPrefix")
        answer.formats.append((
            prefix,
            e_format.findtext(f"{{{NS_OAI}}}schema"),
            e_format.findtext(f"{{{NS_OAI}}}metadataNamespace"),
            page_url(verb="ListRecords", metadataPrefix=prefix),
        ))


def _read_sets(answer, e_verb, context):
    for e_set in e_verb.iterfind(f"{{{NS_OAI}}}set"):
        spec = e_set.findtext(f"{{{NS_OAI}}}setSpec")
        description = " ".join(
            text.strip() for text in e_set.xpath("oai:setDescription//text()", namespaces={"oai": NS_OAI}) if text.strip()
        )
        answer.sets.append((
            spec, e_set.findtext(f"{{{NS_OAI}}}setName"), description,
            page_url(verb="ListRecords", metadataPrefix="oai_dc", set=spec),
        ))
    _read_continuation(answer, e_verb)


def _read_list(answer, e_verb, context):
    prefix = _prefix(answer)
    link = item_link(context.site_url)
    for e_child in e_verb:
        name = etree.QName(e_child).localname
        if name == "header":
            answer.records.append(Record(_header(e_child, prefix, link)))
        elif name == "record":
            e_header = e_child.find(f"{{{NS_OAI}}}header")
            e_metadata = e_child.find(f"{{{NS_OAI}}}metadata")
            fields = _fields(e_metadata[0]) if e_metadata is not None and len(e_metadata) else []
            answer.records.append(Record(_header(e_header, prefix, link), fields))
    _read_continuation(answer, e_verb)


def _prefix(answer):
    """The metadataPrefix the list is in: asked, or carried by the token that was redeemed."""
    if "metadataPrefix" in answer.arguments:
        return answer.arguments["metadataPrefix"]
    if "resumptionToken" in answer.arguments:
        return tokens.redeem(answer.verb, answer.arguments["resumptionToken"])["arguments"]["metadataPrefix"]
    return "oai_dc"


def _header(e_header, prefix, link):
    identifier = e_header.findtext(f"{{{NS_OAI}}}identifier")
    deleted = e_header.get("status") == "deleted"
    local = local_identifier(identifier)
    return Header(
        identifier=identifier,
        datestamp=e_header.findtext(f"{{{NS_OAI}}}datestamp"),
        sets=[e_set.text for e_set in e_header.iterfind(f"{{{NS_OAI}}}setSpec")],
        deleted=deleted,
        record_url=page_url(verb="GetRecord", metadataPrefix=prefix, identifier=identifier),
        item_url=link(local) if local and not deleted else "",
    )


def _fields(e_root):
    """Every value below a format's root element, in document order, as rows. Elements that hold
    others (EDM's resources) become a row of their own, naming the resource they describe."""
    rows = []
    for e_value in e_root.iterdescendants(tag=etree.Element):
        text = (e_value.text or "").strip()
        resource = e_value.get(_RDF_RESOURCE) or e_value.get(_RDF_ABOUT) or ""
        if not text and not resource and not len(e_value):
            continue
        value = text or resource
        rows.append(Field(
            name=_prefixed(e_value),
            value=value,
            lang=e_value.get(XML_LANG, ""),
            scheme=e_value.get(XSI_TYPE, ""),
            url=value if value.startswith(("http://", "https://")) else "",
            depth=min(_depth(e_value, e_root), MAX_DEPTH),
        ))
    return rows


def _depth(element, root):
    depth = 0
    for ancestor in element.iterancestors():
        if ancestor is root:
            return depth
        depth += 1
    return depth


def _prefixed(element):
    qname = etree.QName(element)
    return f"{element.prefix}:{qname.localname}" if element.prefix else qname.localname


def _read_continuation(answer, e_verb):
    e_token = e_verb.find(f"{{{NS_OAI}}}resumptionToken")
    shown = len(answer.records) or len(answer.sets)
    if e_token is None:
        answer.continuation = Continuation(1, shown, shown) if shown else None
        return
    first = int(e_token.get("cursor", "0")) + 1
    total = e_token.get("completeListSize")
    answer.continuation = Continuation(
        first, first + shown - 1, int(total) if total else None,
        next_url=page_url(verb=answer.verb, resumptionToken=e_token.text) if e_token.text else "",
    )


_READERS = {
    "Identify": _read_identify,
    "ListMetadataFormats": _read_formats,
    "ListSets": _read_sets,
    "ListIdentifiers": _read_list,
    "ListRecords": _read_list,
    "GetRecord": _read_list,
}
