"""The reusable queries. `published()` is the one visibility rule every public output uses."""
from django.db import models

from .lookups import ContainsExactly


def previews(user):
    """Signed-in staff see drafts and private files as they are, to check them before publishing."""
    return user is not None and user.is_active and user.is_staff


class ItemQuerySet(models.QuerySet):
    @staticmethod
    def published_q(prefix=""):
        """The condition for an item the public, harvesters and exports may see: published, and
        so is every unit above it in the arrangement (a draft series hides its files and items).
        With a prefix ("item__"), the same condition on the item of a related row."""
        # `__in=[True]`, not `=True`: Django writes a bare boolean column ("AND ancestors_public")
        # for the latter, which SQLite cannot match against an index column, so every list
        # ordered through the (status, ancestors_public, …) indexes was sorted afresh instead.
        return models.Q(**{f"{prefix}status": "published", f"{prefix}ancestors_public__in": [True]})

    def published(self):
        """This filters the QuerySet to only contain published items."""
        return self.filter(self.published_q())

    def visible_to(self, user):
        """Published items, plus every item for signed-in staff (who preview drafts)."""
        if previews(user):
            return self
        return self.published()

    def with_description(self):
        """Prefetch everything an output needs to describe items, in a fixed number of queries."""
        from .models import Collection, Statement

        return self.prefetch_related(
            models.Prefetch(
                "statements",
                # The item a relation names (catalog/relations.py): its page, if it is public.
                queryset=Statement.objects.select_related("authority", "target")
                .defer("target__full_text", "target__arrangement").order_by("position", "id"),
            ),
            # The external URIs (Wikidata, VIAF, GeoNames) of linked records: JSON-LD's sameAs.
            "statements__authority__links",
            # Their variant forms: a record is named in the reader's language where it has a
            # variant in it (catalog/languages.py).
            "statements__authority__variants",
            # Two levels of parents, in the same query: citations name a series within its fonds.
            models.Prefetch(
                "collections", queryset=Collection.objects.select_related("parent__parent")
            ),
            "files",
        )

    def touch(self):
        """Bump the datestamp of these items: something a harvester sees has changed."""
        from django.utils import timezone

        return self.update(modified=timezone.now())


class TombstoneQuerySet(models.QuerySet):
    def in_set(self, set_spec):
        """Tombstones of items that were in `set_spec` or in any set below it.

        `set_specs` is stored padded with spaces (" a:b type:Text "), so whole specs match;
        they match letter case included (ContainsExactly, not __contains, which ignores case on
        SQLite), like the items' sets.
        """
        specs = models.F("set_specs")
        return self.filter(
            models.Q(ContainsExactly(specs, f" {set_spec} ")) | models.Q(ContainsExactly(specs, f" {set_spec}:"))
        )


class DigitalFileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Files of the items `user` may see (ItemQuerySet.visible_to); which of a file's
        roles may be handed out is DigitalFile.stored()'s question."""
        if previews(user):
            return self
        return self.filter(ItemQuerySet.published_q("item__"))
