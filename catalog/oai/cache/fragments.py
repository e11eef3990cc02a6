"""Each published item's metadata, serialised once per format and served as ready bytes.

A ListRecords page spends most of its time describing records: reading some ten statement rows
per item and building their elements one by one in lxml. Neither changes until the item does,
and everything a format writes bumps the item's datestamp (catalog/receivers.py: statements,
files, collections, a renamed or relinked authority record, its variants and external links,
the publication of an item a relation names). So the serialised element of each (item, format)
is kept in a table (models.Fragment) with the datestamp it was built for, and a page reads the
fragments of its records in one query and concatenates them.

The description stays the one source (DESIGN.md: no output keeps its own copy except as a cache
rebuilt from it). A fragment is served only if it was built for the item's current datestamp
and by the current writers (`context`: the format, the settings its writers read, the URL
patterns they link to, and the source of the code that writes them, so a deploy that changes a
writer rebuilds every fragment); anything else, or a missing fragment, is built from the
description on the spot, served, and stored for the next harvester. Correctness never depends
on the table being filled: an empty table serves what the plain writers serve, at their speed.
`manage.py oai_fragments` fills it ahead of a harvest.

Fragments are written with the site's address as a placeholder (SITE), which the page swaps for
the address it is served at, so one table serves every host name the site answers to.

Storing is best effort: where the database is busy (a CSV import holds SQLite's write lock) or
the item went meanwhile, the built fragment is served and the next page tries again.
"""
import hashlib
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from lxml import etree

from catalog import sqlite

from .. import records as oai_records
from .models import Fragment

# Where the site's address goes in a stored fragment. A reserved top-level domain (RFC 2606),
# so no value a cataloguer writes is taken for it.
SITE = "https://site.arkiv-fragment.invalid"
_SITE_BYTES = SITE.encode()

# The settings the writers read (records.py, formats/, europeana.py).
_SETTINGS = (
    "ARKIV_REPOSITORY_ID", "ARKIV_COUNTRY_CODE", "ARKIV_REPOSITORY_CODE", "ARKIV_EDM_DATA_PROVIDER",
    "ARKIV_EDM_PROVIDER", "ARKIV_CATALOGUE_LANGUAGE",
)
_CATALOG = Path(__file__).resolve().parents[2]
# The code that decides what a record's metadata says: the formats, what they read it through,
# and the core modules they write from (not the verbs, the envelope or this cache, whose changes
# leave every fragment as it was).
_SOURCES = sorted((_CATALOG / "oai" / "formats").glob("*.py")) + [
    _CATALOG / name for name in (
        "oai/records.py", "oai/europeana.py", "oai/markup.py", "oai/identify.py",
        "dublincore.py", "rights.py", "relations.py", "dates.py", "models/files.py", "models/items.py",
    )
]


# How a fragment's bytes stand in a page; changed whenever build() writes them differently. Now:
# without the declarations of MetadataFormat.declared, which the page makes once.
_LAYOUT = "declared by the page"


@lru_cache(maxsize=1)
def code_digest():
    digest = hashlib.sha256()
    for path in _SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def context(metadata_format) -> str:
    """What a fragment of `metadata_format` was written under, as a short digest: a fragment
    written under another is stale, whatever its datestamp."""
    parts = [
        metadata_format.prefix, metadata_format.namespace, metadata_format.schema_url(SITE),
        repr([getattr(settings, name, None) for name in _SETTINGS]),
        # The pages records link to, as the URL patterns make them today.
        reverse("catalog:item", kwargs={"identifier": "i"}),
        reverse("catalog:authority", kwargs={"kind": "agent", "slug": "s"}),
        reverse("delivery:file", kwargs={"pk": 1, "role": "original", "name": "n"}),
        code_digest(),
        _LAYOUT,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def metadata(found, metadata_format) -> dict:
    """{item pk: the metadata element of each published record in `found`, as bytes with
    SITE for the site's address}: stored fragments where they are current, the others built
    now (and stored). Records come from records.page() or records.find(), without descriptions."""
    items = {record.pk: record for record in found if not record.deleted}
    if not items:
        return {}
    current = context(metadata_format)
    ready = {}
    for pk, datestamp, written_under, xml in _stored(items, metadata_format.prefix):
        if written_under == current and oai_records.moment(datestamp) == items[pk].datestamp:
            ready[pk] = bytes(xml)
    missing = [record for pk, record in items.items() if pk not in ready]
    if missing:
        built = build(missing, metadata_format)
        store(missing, built, metadata_format.prefix, current)
        ready.update(built)
    return ready


def _stored(pks, prefix):
    """(item pk, datestamp, context, xml) of the stored fragments of these items in one format,
    read on a bare cursor: through the ORM, the `item_id IN` of a page's 500 keys costs more to
    compile than the read itself (records.py, "Reading rows as the driver gives them")."""
    sql = (
        f"SELECT item_id, datestamp, context, xml FROM {Fragment._meta.db_table} "
        f"WHERE prefix = %s AND item_id IN ({oai_records.in_list(pks)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix])
        return cursor.fetchall()


def build(item_records, metadata_format) -> dict:
    """{pk: bytes}: the records described and written now, from their descriptions."""
    oai_records.describe(item_records, site_url=SITE)
    metadata_format.read_more(item_records)
    schema_url = metadata_format.schema_url(SITE)
    # The record is written inside an element that declares what the page's envelope declares
    # (MetadataFormat.declared), and serialised with it: lxml then leaves those declarations out
    # of the record (and strips them from the contextual entities edm copies in), so that the
    # record's bytes, cut out of the scratch element's, declare only what the page does not.
    scratch = etree.Element(_SCRATCH, nsmap=metadata_format.declared)
    built = {}
    for record in item_records:
        element = metadata_format.record(scratch, record.description, schema_url=schema_url)
        built[record.pk] = _inside(etree.tostring(scratch, encoding="UTF-8"))
        scratch.remove(element)
    return built


_SCRATCH = "scratch"
_SCRATCH_END = f"</{_SCRATCH}>".encode()


def _inside(xml: bytes) -> bytes:
    """The content of the scratch element: its start tag holds only namespace declarations, whose
    URIs hold no '>'."""
    assert xml.endswith(_SCRATCH_END), "the scratch element holds no record"
    return xml[xml.index(b">") + 1: -len(_SCRATCH_END)]


def store(item_records, built, prefix, current):
    """Keep what was built, replacing older fragments; give up quietly if the database is busy
    or an item went meanwhile (the fragment is rebuilt next time)."""
    fragments = [
        Fragment(item_id=record.pk, prefix=prefix, datestamp=record.datestamp, context=current, xml=built[record.pk])
        for record in item_records
    ]
    try:
        with sqlite.pragma("busy_timeout", 0), transaction.atomic():
            Fragment.objects.bulk_create(
                fragments, update_conflicts=True, unique_fields=["item", "prefix"],
                update_fields=["datestamp", "context", "xml"],
            )
    except DatabaseError:
        pass


def on_site(xml: bytes, site_url: str) -> bytes:
    """Fragments' bytes with the site's address in place of SITE, escaped for text and
    attributes alike."""
    return xml.replace(_SITE_BYTES, escape(site_url.rstrip("/"), {'"': "&quot;"}).encode())
