"""The facet index and the catalogue version.

FacetEntry: one row for each (visible item, facet, key): an item published and visible in its
arrangement, a facet of the public browse (the name of its filter: "type", "subject" …), and one
value of it (index.py says which value each facet stores). Derived, never edited: index.py writes
it from the catalogue, on every write path (receivers.py and the bulk writers) and by the
rebuild_facet_index command. It is indexed both ways: (facet, key, item) counts a facet's values
and lists a value's items; (item, facet, key), the unique key, finds an item's rows.

FacetCount: how many rows each (facet, key) has, so the counts of the unfiltered browse and the
home page are read from a few thousand rows rather than counted from millions. Kept by the same
writes as the index, by adding what they changed; like the version, in stripes (a writer adds
to its own row of a key), so concurrent writers never wait for each other; a count is the sum
of its stripes. `changes` counts the rows of the key ever written or removed.

FacetChange: which items' rows changed, and what they were before (changes.py): a cached count of
a filtered facet is brought up to date by the difference those items make, instead of counted
again over every item the filters let through.

CatalogueVersion: what the site's cache keys move with (version.py). Sixteen rows summed, not
one: concurrent writers each bump a row of their own, so they never wait for each other's commit.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Item


class FacetEntry(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, db_index=False, related_name="+")
    facet = models.CharField(_("facet"), max_length=20)
    key = models.CharField(_("key"), max_length=255)

    class Meta:
        verbose_name = _("facet index entry")
        verbose_name_plural = _("facet index entries")
        constraints = [models.UniqueConstraint(fields=["item", "facet", "key"], name="facet_item_key_uniq")]
        indexes = [models.Index(fields=["facet", "key", "item"], name="facet_key_item_idx")]

    def __str__(self):
        return f"{self.item_id} {self.facet}={self.key}"


class FacetCountQuerySet(models.QuerySet):
    def total(self, facet, key=None) -> int:
        """How many visible items have a row of `facet` (of `key` too, if given). Every visible
        item has exactly one "type" row, so total("type") counts the visible items."""
        rows = self.filter(facet=facet) if key is None else self.filter(facet=facet, key=key)
        return rows.aggregate(total=models.Sum("items"))["total"] or 0


class FacetCount(models.Model):
    objects = FacetCountQuerySet.as_manager()

    facet = models.CharField(_("facet"), max_length=20)
    key = models.CharField(_("key"), max_length=255)
    stripe = models.PositiveSmallIntegerField(default=0)
    items = models.BigIntegerField(_("items"), default=0)
    changes = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("facet count")
        verbose_name_plural = _("facet counts")
        constraints = [models.UniqueConstraint(fields=["facet", "key", "stripe"], name="facet_count_uniq")]


class FacetChange(models.Model):
    # No foreign key: the log outlives a deleted item. None: every item may have changed (a
    # rebuild, a write of more items than changes.ITEMS), so whoever reads past it counts afresh.
    item_id = models.BigIntegerField(null=True)
    rows = models.TextField(default="")  # the item's (facet, key) rows before the write
    xid = models.BigIntegerField(null=True)  # PostgreSQL: the writing transaction's id
    created = models.FloatField(db_index=True)  # seconds since the epoch: old entries are pruned

    class Meta:
        verbose_name = _("facet change")
        verbose_name_plural = _("facet changes")
        indexes = [models.Index(fields=["xid"], name="facet_change_xid_idx")]


class CatalogueVersion(models.Model):
    stripe = models.PositiveSmallIntegerField(primary_key=True)
    number = models.BigIntegerField(default=0)

    STRIPES = 16

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
