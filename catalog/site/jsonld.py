"""An item's description as schema.org JSON-LD, for search engines and linked-data readers.

Every item is an ArchiveComponent held by this repository (an ArchiveOrganization); where its
DCMI type has a closer schema.org type the item carries that too (StillImage: Photograph).

From the Dublin Core statements, dumbed down to their element where schema.org has no closer
property: the title that heads the item's page in the reader's language, then its titles in
other languages (its parallel titles, catalog/languages.py) -> name; any other title ->
alternateName; description and its refinements -> description, the reader's language first;
creator / contributor / publisher / rightsHolder -> creator / contributor / publisher /
copyrightHolder, subject -> about, spatial (and coverage linked to a place) -> contentLocation,
temporal -> temporalCoverage, created (else date) -> dateCreated, issued -> datePublished,
language -> inLanguage, the unit above it in its arrangement (an ArchiveComponent, by its page),
isPartOf and the item's collections -> isPartOf, license -> license. A relation to another
public item of the catalogue is a node with that item's page as @id: isPartOf, hasPart,
references -> citation, isVersionOf / isFormatOf / source -> isBasedOn, hasVersion -> workExample.
Values linked to an authority record become nodes (Person, Organization, Place with its
coordinates, Thing) with the record's page as @id and its external URIs as sameAs.
A value with a language is written {"@value": ..., "@language": ...}. Dates are ISO 8601 read from
the archival date string; a date that cannot be read is left out rather than guessed.

API (pure: nothing is queried beyond what `Item.objects.with_description()` prefetched, and the
parent selected with the item, `select_related("parent")`):

    item_jsonld(item, *, base_url) -> dict        the JSON-LD document
    dumps(document) -> str                        JSON safe inside <script type="application/ld+json">
    script_content(item, *, base_url) -> SafeString   dumps(item_jsonld(...)), marked safe for the template

The public pages around items speak schema.org too (same module, same `dumps`):

    authority_jsonld(authority, *, base_url) -> dict     Person / Organization / Place (with geo) /
                                                         DefinedTerm, variants as alternateName, sameAs
    collection_jsonld(collection, page, *, base_url) -> dict   CollectionPage whose mainEntity is
                                                         the ItemList of the page shown
    item_list(page, *, base_url, url=None) -> dict       ItemList of one page of results, never more
    list_page_jsonld(page, *, base_url, url) -> dict     the same, as a browse page's document
    script(document) -> SafeString                       dumps(document), marked safe for the template

A concept (authority kind "concept") is a DefinedTerm wherever it appears, on its page and as the
`about` of an item; the item's rights statement (Item.rights_uri) is its `license`, before any
dcterms:license statement. A public item with images is the `subjectOf` of its IIIF
Presentation 3 manifest (a CreativeWork typed by encodingFormat).

`base_url` is the site's absolute root, `settings.ARKIV_BASE_URL or request.build_absolute_uri("/")`.
In the template: `<script type="application/ld+json">{{ jsonld }}</script>`. The download route
serves `dumps(...)` as CONTENT_TYPE.
"""
import json
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from django.utils.translation import get_language, gettext

from .. import dates, dublincore, languages

CONTENT_TYPE = "application/ld+json"
IIIF_MANIFEST_FORMAT = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'

# schema.org types closer than ArchiveComponent (itself a CreativeWork) for some DCMI types. The
# demo's still images are photographs; schema.org has no broader type for a physical picture.
SCHEMA_TYPES = {
    "Collection": "Collection",
    "Dataset": "Dataset",
    "Image": "Photograph",
    "Software": "SoftwareApplication",
    "StillImage": "Photograph",
}

AGENT_TYPES = {"person": "Person", "organisation": "Organization", "family": "Organization"}

# Relations to other items of the catalogue (catalog/relations.py) that schema.org can say,
# written only where the statement names a public item; isPartOf also takes text (above).
RELATION_PROPERTIES = {
    "hasPart": "hasPart", "references": "citation", "isVersionOf": "isBasedOn", "isFormatOf": "isBasedOn",
    "source": "isBasedOn", "hasVersion": "workExample",
}

AGENT_PROPERTIES = {
    "creator": "creator", "contributor": "contributor", "publisher": "publisher",
    "rightsHolder": "copyrightHolder",
}

# Characters that could end the <script> element or open an HTML comment inside it, written as
# JSON escapes: the JSON means the same, and the HTML parser never sees markup.
SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def item_jsonld(item, *, base_url):
    """The schema.org description of `item`, as a dict ready for `dumps`."""
    url = urljoin(base_url, item.get_absolute_url())
    schema_type = SCHEMA_TYPES.get(item.dcmi_type)
    statements = [s for s in item.statements.all() if s.display_value.strip()]
    by_term = {}
    for statement in statements:
        by_term.setdefault(statement.term, []).append(statement)
    language = get_language()
    title = languages.item_title(item, language)
    names = [title.statement, *languages.parallel_titles(item, title)] if title.statement else []
    other_titles = [
        s for s in statements
        if s.term in languages.TITLE_TERMS and not any(s is name for name in names)
    ]
    descriptions = [s for s in statements if dublincore.element_of(s.term) == "description"]

    document = {
        "@context": "https://schema.org",
        "@type": ["ArchiveComponent", schema_type] if schema_type else "ArchiveComponent",
        "@id": url,
        "url": url,
        "identifier": item.identifier,
        "additionalType": f"{dublincore.NS_DCMITYPE}{item.dcmi_type}" if item.dcmi_type else None,
        "name": _texts(names) or item.identifier,
        "alternateName": _texts(other_titles),
        "description": _texts(sorted(descriptions, key=lambda s: not languages.matches(s.lang, language))),
    }
    for term, prop in AGENT_PROPERTIES.items():
        document[prop] = _nodes(by_term.get(term), base_url)
    document["dateCreated"] = _date(by_term.get("created") or by_term.get("date"))
    document["datePublished"] = _date(by_term.get("issued"))
    document["about"] = _nodes(by_term.get("subject"), base_url)
    places = [
        s for s in statements
        if s.term == "spatial" or (s.term == "coverage" and s.authority_id and s.authority.kind == "place")
    ]
    document["contentLocation"] = _nodes(places, base_url, default_type="Place")
    document["temporalCoverage"] = _texts(by_term.get("temporal"))
    document["inLanguage"] = _one_or_many([s.display_value for s in by_term.get("language", [])])
    document["isPartOf"] = _one_or_many([
        *([_parent_node(item.parent, base_url)] if item.parent_id else []),
        *(
            {"@type": "Collection", "@id": urljoin(base_url, c.get_absolute_url()),
             "name": c.title, "url": urljoin(base_url, c.get_absolute_url())}
            for c in item.collections.all()
        ),
        *(_related(s, base_url) or _text(s) for s in by_term.get("isPartOf", [])),
    ])
    for term, prop in RELATION_PROPERTIES.items():
        linked = [node for s in by_term.get(term, ()) if (node := _related(s, base_url))]
        if linked:
            document[prop] = _one_or_many([*_as_list(document.get(prop)), *linked])
    # The rights statement chosen from the controlled list (catalog/rights.py) is the URI
    # readers act on; licence statements typed as text follow it.
    rights_uri = getattr(item, "rights_uri", "")
    licences = [s.display_value for s in by_term.get("license", []) if s.display_value != rights_uri]
    document["license"] = _one_or_many([*([rights_uri] if rights_uri else []), *licences])
    document["image"] = _one_or_many([
        _image(f, base_url) for f in item.files.all() if f.public_image
    ])
    document["subjectOf"] = _iiif_manifest(item, base_url)
    document["holdingArchive"] = {
        "@type": "ArchiveOrganization",
        "name": settings.ARKIV_REPOSITORY_NAME,
        "url": urljoin(base_url, reverse("catalog:home")),
    }
    return {key: value for key, value in document.items() if value not in (None, "", [])}


def _related(statement, base_url):
    """A relation to another public item as a node with its page as @id; None otherwise (a
    draft is never named by its address)."""
    if not statement.target_id or not statement.target.is_public:
        return None
    page = urljoin(base_url, statement.target.get_absolute_url())
    return {"@id": page, "name": _text(statement), "url": page}


def _as_list(value):
    return [] if value is None else value if isinstance(value, list) else [value]


def _parent_node(parent, base_url):
    page = urljoin(base_url, parent.get_absolute_url())
    return {"@type": "ArchiveComponent", "@id": page, "name": parent.title or parent.identifier, "url": page}


def dumps(document):
    """JSON text of `document` that can stand inside a <script> element as it is: non-ASCII is
    kept as UTF-8; <, > and & are escaped."""
    return json.dumps(document, ensure_ascii=False, indent=2).translate(SCRIPT_ESCAPES)


def script_content(item, *, base_url):
    """The JSON-LD of `item`, ready to place between <script type="application/ld+json"> tags."""
    return mark_safe(dumps(item_jsonld(item, base_url=base_url)))  # escaped by dumps()


def _text(statement):
    value = statement.display_value
    return {"@value": value, "@language": statement.lang} if statement.lang else value


def _texts(statements):
    return _one_or_many([_text(s) for s in statements or ()])


def _one_or_many(values):
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _nodes(statements, base_url, default_type=None):
    """Linked values as nodes naming their authority record; others as text, or as a node of
    `default_type` where the property needs one (contentLocation takes a Place)."""
    nodes = []
    for statement in statements or ():
        if statement.authority_id:
            nodes.append(_authority_node(statement.authority, base_url))
        elif default_type:
            nodes.append({"@type": default_type, "name": _text(statement)})
        else:
            nodes.append(_text(statement))
    return _one_or_many(nodes)


def _authority_node(authority, base_url):
    if authority.kind == "agent":
        node_type = AGENT_TYPES.get(authority.agent_type, "Thing")
    elif authority.kind == "place":
        node_type = "Place"
    elif authority.kind == "concept":
        node_type = "DefinedTerm"
    else:
        node_type = "Thing"
    page = urljoin(base_url, authority.get_absolute_url())
    node = {"@type": node_type, "@id": page, "name": authority.preferred_label, "url": page}
    if authority.latitude is not None and authority.longitude is not None:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(authority.latitude),
            "longitude": float(authority.longitude),
        }
    same_as = [link.uri for link in authority.links.all()]
    if same_as:
        node["sameAs"] = _one_or_many(same_as)
    return node


def _date(statements):
    """ISO 8601 form of the first readable date among `statements`."""
    for statement in statements or ():
        parsed = dates.parse(statement.display_value)
        if parsed:
            return parsed.iso8601()
    return None


def _iiif_manifest(item, base_url):
    """The item's IIIF Presentation 3 manifest (catalog/iiif/, by URL only), where there is one:
    a public item with images of known size, the manifest's own rule."""
    if not item.is_public or not any(f.public_image and f.width and f.height for f in item.files.all()):
        return None
    return {
        "@type": "CreativeWork",
        "@id": urljoin(base_url, reverse("iiif-presentation:manifest", kwargs={"identifier": item.identifier})),
        "name": gettext("IIIF manifest"),
        "encodingFormat": IIIF_MANIFEST_FORMAT,
    }


def _image(digital_file, base_url):
    image = {
        "@type": "ImageObject",
        "contentUrl": urljoin(base_url, digital_file.public_image_url),
    }
    if digital_file.thumbnail:
        image["thumbnailUrl"] = urljoin(base_url, digital_file.url("thumbnail"))
    if digital_file.label:
        image["caption"] = digital_file.label
    return image


# --- Pages around items: authority records, collections, lists of results ------------------

def authority_jsonld(authority, *, base_url):
    """The schema.org node of an authority record's page: what _authority_node says of it in an
    item's description, and its other names, its note and its dates."""
    node = _authority_node(authority, base_url)
    variants = [_variant(variant) for variant in authority.variants.all()]
    document = {
        "@context": "https://schema.org",
        **node,
        "alternateName": _one_or_many(variants),
        "description": authority.note.strip() or None,
    }
    if node["@type"] == "Person" and authority.dates:
        document["disambiguatingDescription"] = authority.dates
    return {key: value for key, value in document.items() if value not in (None, "", [])}


def _variant(variant):
    return {"@value": variant.label, "@language": variant.lang} if variant.lang else variant.label


def collection_jsonld(collection, page, *, base_url):
    """A collection's page: a CollectionPage, part of its parent's, whose main entity is the
    list of the items the page shows."""
    url = urljoin(base_url, collection.get_absolute_url())
    document = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": collection.title,
        "description": collection.description.strip() or None,
        "isPartOf": _collection_page(collection.parent, base_url) if collection.parent_id else None,
        "mainEntity": item_list(page, base_url=base_url),
    }
    return {key: value for key, value in document.items() if value not in (None, "", [])}


def _collection_page(collection, base_url):
    url = urljoin(base_url, collection.get_absolute_url())
    return {"@type": "CollectionPage", "@id": url, "name": collection.title, "url": url}


def item_list(page, *, base_url, url=None):
    """One page of results (a Paginator page of items) as an ItemList: its items at their
    positions in the whole result, and the size of the whole result; never more than the page."""
    language = get_language()
    document = {
        "@type": "ItemList",
        "url": url,
        "numberOfItems": page.paginator.count,
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": urljoin(base_url, item.get_absolute_url()),
                "name": languages.item_title(item, language).text or item.identifier,
            }
            for position, item in enumerate(page.object_list, start=page.start_index())
        ],
    }
    return {key: value for key, value in document.items() if value is not None}


def list_page_jsonld(page, *, base_url, url):
    """A page of browse results: the ItemList of the items it shows, as a document."""
    return {"@context": "https://schema.org", **item_list(page, base_url=base_url, url=url)}


def script(document):
    """`document` ready to place between <script type="application/ld+json"> tags."""
    return mark_safe(dumps(document))  # escaped by dumps()
