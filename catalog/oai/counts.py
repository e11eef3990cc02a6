"""completeListSize: counted once per state of the catalogue, not once per harvest.

The first page of a list says how long the list is (the resumption token then carries the
number, tokens.py). A whole list (no from, until or set: the harvest everyone starts with) is
read off the facet counts (records.Selection.count), a few rows at any size. A narrowed one is
a scan of its selection, which grows with the catalogue (seconds at a million items for a
large set), so the count is kept in Django's cache (the database table by default, shared by
every server process) under the selection and the state of what it counts, and is made again
only when that state moves.

The state is read in one query of four index seeks: the latest datestamp of a published item
and of a tombstone, each both overall and among those not in the future. Every change to what a
list holds moves one of them: an edit, a publication, a change of collection or a rename bumps an
item's datestamp to now, and a withdrawal or deletion writes a tombstone dated now; and now is
later than every datestamp not in the future, so the second of each pair moves even where
imported or generated datestamps lie ahead of the clock. A clock stepped back could still hide a
change: the count is kept at most SECONDS, and a count is only ever an announcement (the
resumption token never claims fewer records than were delivered, verbs._list).
"""
import hashlib

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Subquery
from django.utils import timezone

from catalog import sqlite
from catalog.models import Item, Tombstone

SECONDS = 600


def complete_list_size(selection, metadata_format) -> int:
    """How many records `selection` (records.Selection, in `metadata_format`) holds."""
    question = (
        metadata_format.prefix, selection.start, selection.end, selection.set_spec, selection.include_deleted, state(),
    )
    key = "arkiv:oai:count:" + hashlib.sha256(repr(question).encode()).hexdigest()
    try:
        with sqlite.pragma("busy_timeout", 0):  # a busy database answers without the cache
            size = cache.get(key)
    except DatabaseError:
        size = None
    if size is None:
        size = selection.count()
        try:
            with sqlite.pragma("busy_timeout", 0):
                cache.set(key, size, SECONDS)
        except DatabaseError:
            pass  # the next first page counts again
    return size


def state() -> tuple:
    """What moves whenever a list's records change (see the module's docstring)."""
    now = timezone.now()

    def latest(queryset, field, **bound):
        return Subquery(queryset.filter(**bound).order_by(f"-{field}").values(field)[:1])

    published = Item.objects.published()
    row = (
        published.order_by("-modified")
        .annotate(
            past=latest(published, "modified", modified__lte=now),
            latest_tombstone=latest(Tombstone.objects, "datestamp"),
            past_tombstone=latest(Tombstone.objects, "datestamp", datestamp__lte=now),
        )
        .values_list("modified", "past", "latest_tombstone", "past_tombstone")
        .first()
    )
    if row is None:  # nothing published: the tombstones alone
        tombstones = Tombstone.objects.order_by("-datestamp").values_list("datestamp", flat=True)
        row = (None, None, tombstones.first(), tombstones.filter(datestamp__lte=now).first())
    return tuple(row)
