"""What Europeana takes, as Arkiv reads it for the edm format (catalog/oai/formats/edm.py).

Which items an EDM record can describe (`admits`), as one database condition, so that the
lists page through exactly the records the format serves: an item Europeana would reject is
left out of edm (and stays in oai_dc and qdc), never served invalid.

The rules below read the item's statements (two EXISTS a record), which cost a harvest more than
the page itself (47 against 17 ms for 500 records at a million items) and a first page's count
some 40 s at a million after any edit. So they are written down once as SQL (`rules_sql`), which
the facet index (catalog/facets/index.py) evaluates whenever it writes an item's rows, on every
write path: an item Europeana would take carries the row (FACET, ADMITTED). `admits` asks for that
row (one probe of its unique index), and the facet counts give the number of such items at once
(`admitted_count`). `rules` says the same in the ORM, for the tests that hold the index to it.

Europeana rejects a record
(its XSD and schematron, ../shared/schemas/edm/) without
- an edm:rights URI of the 14 it accepts (catalog.rights.EUROPEANA_ACCEPTED): the item's own
  rights_uri, so an item without one, or with one Europeana does not take (InC-NC, InC-RUU, NKC,
  NoC-CR, NoC-US, UND), is left out;
- an edm:type: from the DCMI type, as EDM_TYPES maps it; Collection, Dataset, Event,
  InteractiveResource, Service and Software have none (Europeana takes objects, not fonds or
  series, which stay in oai_dc and qdc);
- a dc:title or dc:description (title, description or abstract statements);
- a dc:language where the edm:type is TEXT;
- edm:isShownAt or edm:isShownBy: every published item has its page (isShownAt), so this never
  leaves one out.

The rest of what a record needs beyond its Description is read for a page at once (`prepare`),
in four queries whatever the page's size: the items' digital files, and the authority records
their statements link to with their variants and external links (and the items' rights URIs, in
a fifth, where the Description does not carry them).

Files: a record shows the files a visitor of the item page gets, by the same rule
(DigitalFile.public_image and .downloadable, which ask DigitalFile.stored): an image as its
display copy (else thumbnail, else the original where it may be downloaded), anything else as its
original where it may be downloaded. A file whose own rights statement Europeana does not accept
is left out of the record (its page still shows it): edm:rights on a WebResource must be one
Europeana accepts, and the item's would misstate it.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Trim
from django.urls import reverse

from catalog import dates, rights
from catalog.facets.models import FacetCount, FacetEntry
from catalog.models import Authority, AuthorityLink, AuthorityVariant, DigitalFile, Item, Statement

# DCMI Type -> edm:type, as Europeana's mapping guidelines read the DCMI types: a physical object
# is what Europeana calls 3D (DCMI: "an inanimate, three-dimensional object").
EDM_TYPES = {
    "Text": "TEXT",
    "StillImage": "IMAGE",
    "Image": "IMAGE",
    "MovingImage": "VIDEO",
    "Sound": "SOUND",
    "PhysicalObject": "3D",
}

# Statements that give a ProvidedCHO its dc:title or dc:description (edm.py writes an abstract as
# dc:description: EDM has no dcterms:abstract).
NAMING_TERMS = ("title", "description", "abstract")

# External authority files whose URIs are owl:sameAs of a contextual entity.
SAME_AS_SOURCES = ("wikidata", "viaf", "geonames", "lcsh")


def accepted_rights():
    """The rights URIs Europeana accepts as edm:rights, sorted (a stable query)."""
    accepted = getattr(rights, "EUROPEANA_ACCEPTED", None)
    if accepted is None:
        accepted = {statement.uri for statement in rights.STATEMENTS if rights.europeana_accepts(statement.uri)}
    return sorted(accepted)


# The facet index's row of an item Europeana would take (rules_sql).
FACET = "europeana"
ADMITTED = "true"


def admits():
    """The condition on Item that Europeana's rules ask of a record: its facet index row."""
    return Q(Exists(FacetEntry.objects.filter(item_id=OuterRef("pk"), facet=FACET, key=ADMITTED)))


def admitted_count() -> int:
    """How many published items `admits` takes, from the facet counts (a few rows)."""
    return FacetCount.objects.total(FACET, ADMITTED)


def rules_sql(item, statement, no_index=""):
    """(SQL condition, parameters): Europeana's rules (see the module's docstring) on the item
    row `item` (an alias), its statements read from the table `statement`. `no_index` goes before
    the statements' term column (SQLite's "+": facets/index.py says why)."""
    accepted, types = accepted_rights(), sorted(EDM_TYPES)

    def has(terms):
        return (
            f"EXISTS (SELECT 1 FROM {statement} s WHERE s.item_id = {item}.id "
            f"AND {no_index}s.term IN ({', '.join(['%s'] * len(terms))}) AND TRIM(s.value) <> '')"
        )

    sql = (
        f"{item}.rights_uri IN ({', '.join(['%s'] * len(accepted))}) "
        f"AND {item}.dcmi_type IN ({', '.join(['%s'] * len(types))}) "
        f"AND {has(NAMING_TERMS)} AND ({item}.dcmi_type <> %s OR {has(('language',))})"
    )
    return sql, [*accepted, *types, *NAMING_TERMS, "Text", "language"]


def _has(terms):
    return Exists(
        Statement.objects.filter(item_id=OuterRef("pk"), term__in=terms)
        .annotate(text=Trim("value")).exclude(text="")
    )


def rules():
    """The rules of `rules_sql` as a Q on Item: what the tests hold the facet index's rows to."""
    return (
        Q(rights_uri__in=accepted_rights(), dcmi_type__in=sorted(EDM_TYPES))
        & Q(_has(NAMING_TERMS))
        & (~Q(dcmi_type="Text") | Q(_has(("language",))))
    )


@dataclass(slots=True)
class WebResource:
    url: str
    mime_type: str
    rights_uri: str = ""  # its own, where it differs from the item's
    is_image: bool = False
    original: dict | None = None  # size, width, height: only where the URL is the original's


@dataclass(slots=True)
class Entity:
    """A contextual entity: an authority record a statement links to."""

    uri: str  # its page on the public site
    kind: str  # Authority.AGENT, PLACE, CONCEPT
    label: str  # the preferred label
    variants: list = field(default_factory=list)  # (label, lang)
    same_as: list = field(default_factory=list)  # external URIs
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    span: tuple | None = None  # (begin, end) ISO dates, for a concept written as a TimeSpan


@dataclass(slots=True)
class Europeana:
    """What edm.py writes beyond a Description: Description.extra of an edm record."""

    rights_uri: str
    edm_type: str
    files: list = field(default_factory=list)  # WebResources, in the item's order
    entities: dict = field(default_factory=dict)  # authority pk -> Entity
    # The settings a record names, read once a page: ARKIV_EDM_DATA_PROVIDER, ARKIV_EDM_PROVIDER,
    # and ARKIV_CATALOGUE_LANGUAGE, the language of the preferred labels.
    data_provider: str = ""
    provider: str = ""
    catalogue_language: str = ""


def prepare(descriptions):
    """Give each Description its Europeana part (Description.extra)."""
    site = _site_of(descriptions)
    by_pk = {description.pk: description for description in descriptions}
    # The rights URI comes with the item's row where records.py reads it (Description.rights_uri).
    rights_of = {description.pk: getattr(description, "rights_uri", None) for description in descriptions}
    if None in rights_of.values():
        rights_of = dict(Item.objects.filter(pk__in=by_pk).values_list("pk", "rights_uri"))
    named = {
        "data_provider": settings.ARKIV_EDM_DATA_PROVIDER, "provider": settings.ARKIV_EDM_PROVIDER,
        "catalogue_language": settings.ARKIV_CATALOGUE_LANGUAGE,
    }
    for description in descriptions:
        description.extra = Europeana(
            rights_uri=rights_of.get(description.pk, ""), edm_type=EDM_TYPES.get(description.dcmi_type, ""), **named
        )
    files = (
        DigitalFile.objects.filter(item_id__in=by_pk).order_by("item_id", "position", "id")
        .only("id", "item", "file", "display", "thumbnail", "public_copy", "original_public", "exif",
              "mime_type", "size", "width", "height", "rights_uri")
    )
    link = _file_link(site)
    for digital_file in files:
        resource = _web_resource(digital_file, link)
        if resource is not None:
            by_pk[digital_file.item_id].extra.files.append(resource)
    temporal = {
        authority
        for description in descriptions
        for index, authority in description.authorities.items()
        if description.values[index][0] == "temporal"
    }
    linked = Statement.objects.filter(item_id__in=list(by_pk), authority__isnull=False).values("authority_id")
    entities = _entities(linked, temporal, site) if any(d.authorities for d in descriptions) else {}
    for description in descriptions:
        description.extra.entities = {pk: entities[pk] for pk in description.authorities.values() if pk in entities}


def _site_of(descriptions):
    """The site's address as the records' page URLs give it (ARKIV_BASE_URL, or the request's):
    what comes before the item page's path. Files and authority records are linked on it."""
    if not descriptions:
        return ""
    url = descriptions[0].url
    path = reverse("catalog:item", kwargs={"identifier": descriptions[0].identifier})
    return url[: -len(path)] if url.endswith(path) else ""


def _file_link(site):
    """A function (file, role) -> the URL DigitalFile.url() gives, on the site, with reverse()
    resolved once rather than once per file."""
    pk, role, name = 987654321, "ROLE-PLACEHOLDER", "NAME-PLACEHOLDER"
    template = site + reverse("delivery:file", kwargs={"pk": pk, "role": role, "name": name})

    def link(digital_file, role_):
        name_ = digital_file.delivered_name(role_) or role_
        return template.replace(str(pk), str(digital_file.pk), 1).replace(role, role_, 1).replace(name, name_, 1)

    return link


def _web_resource(digital_file, link):
    if digital_file.rights_uri and not rights.europeana_accepts(digital_file.rights_uri):
        return None
    role = digital_file.public_image or ("original" if digital_file.downloadable else None)
    if role is None:
        return None
    if role == "original":
        mime_type = digital_file.mime_type
        original = {"size": digital_file.size, "width": digital_file.width, "height": digital_file.height}
    else:
        # Derivatives are JPEG, or PNG where the image has transparency (as the delivery view
        # types them); their sizes are not the original's.
        mime_type = "image/png" if digital_file.stored(role).name.endswith(".png") else "image/jpeg"
        original = None
    return WebResource(
        url=link(digital_file, role), mime_type=mime_type, rights_uri=digital_file.rights_uri,
        is_image=digital_file.is_image, original=original,
    )


def _entities(linked, temporal, site):
    """The authority records of a page, as Entities: `linked` is the subquery of their pks, so
    the database, not Python, hands the page's few thousand keys from query to query."""
    page = _authority_link(site)
    entities = {}
    rows = Authority.objects.filter(pk__in=linked).values_list(
        "pk", "kind", "slug", "preferred_label", "latitude", "longitude", "dates"
    )
    for pk, kind, slug, label, latitude, longitude, written in rows:
        entity = Entity(page(kind, slug), kind, label, latitude=latitude, longitude=longitude)
        if pk in temporal and kind == Authority.CONCEPT:
            entity.span = _span(written)
        entities[pk] = entity
    variants = AuthorityVariant.objects.filter(authority_id__in=linked).order_by("authority_id", "label")
    for pk, label, lang in variants.values_list("authority_id", "label", "lang"):
        entities[pk].variants.append((label, lang))
    links = AuthorityLink.objects.filter(authority_id__in=linked, source__in=SAME_AS_SOURCES).order_by("authority_id", "source", "uri")
    for pk, uri in links.values_list("authority_id", "uri"):
        entities[pk].same_as.append(uri)
    return entities


def _span(written):
    """(begin, end) as ISO dates of an event's dates ("1944-1945"), or None where they do not
    read as a closed range: a TimeSpan needs both ends."""
    found = dates.parse(written) if written else None
    if not found or found.earliest is None or found.latest is None:
        return None
    return found.earliest.isoformat(), found.latest.isoformat()


def _authority_link(site):
    """A function (kind, slug) -> the record's page, with reverse() resolved once."""
    placeholder_kind, placeholder_slug = "KIND-PLACEHOLDER", "slug-placeholder"
    template = site + reverse("catalog:authority", kwargs={"kind": placeholder_kind, "slug": placeholder_slug})
    return lambda kind, slug: template.replace(placeholder_kind, kind).replace(placeholder_slug, slug)
