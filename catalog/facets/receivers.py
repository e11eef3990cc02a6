"""Keep the facet index and the catalogue version in step with every save and delete.

What changes an item's rows: its own fields (status, type, level, date, rights, visibility), its
statements, its files, its collections; a subtree's visibility (a unit above published or
withdrawn, a move under a hidden unit: catalog/receivers.py carries it down with bulk updates,
so the whole subtree is refreshed here); a collection moved in the tree (its members' collections
above change); a level's code; a deleted authority record (its statements lose the link).
What changes no row but what visitors see (a record renamed, a variant, a collection's title)
only moves the catalogue version.

Fixture loads (`raw`) are followed too, row by row: loaddata has no signal of its own at its end.
These receivers are connected after catalog's own (the facets app comes later in
INSTALLED_APPS), so an item's caches (its date range) are already written when its rows are made.
"""
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save
from django.dispatch import receiver

from ..cascade import item_goes_too
from ..lookups import StartsWithExactly
from ..models import (
    Agent, Authority, AuthorityLink, AuthorityVariant, Collection, Concept, DigitalFile, Item, Level, Place,
    Statement,
)
from . import index, version
from .models import FacetCount, FacetEntry


@receiver(pre_save, sender=Item)
def item_saving(sender, instance, raw=False, **kwargs):
    instance._facet_visible_before = (
        None if instance._state.adding else
        Item.objects.filter(pk=instance.pk).values_list("status", "ancestors_public", "ancestry").first()
    )


@receiver(post_save, sender=Item)
def item_saved(sender, instance, raw=False, **kwargs):
    index.refresh([instance.pk])
    before = getattr(instance, "_facet_visible_before", None)
    if before is not None and (before[0], before[1], before[2]) != (instance.status, instance.ancestors_public, instance.ancestry):
        # Its status or place changed: the units below may have been shown or hidden.
        below = Item.objects.filter(StartsWithExactly(F("ancestry"), instance.subtree_prefix))
        index.refresh_queryset(below)


@receiver(pre_delete, sender=Item)
def item_deleting(sender, instance, **kwargs):
    # Before the foreign key's cascade removes its rows without their counts.
    index.forget([instance.pk])


@receiver(post_delete, sender=Item)
def item_deleted(sender, instance, **kwargs):
    # Whatever wrote its rows since item_deleting (a part deleted on its own within the same
    # deletion) is undone; the item gone, they go. Nothing below it: units are PROTECTed.
    index.refresh([instance.pk])
    version.bump()


@receiver(post_save, sender=Statement)
@receiver(post_delete, sender=Statement)
@receiver(post_save, sender=DigitalFile)
@receiver(post_delete, sender=DigitalFile)
def part_changed(sender, instance, **kwargs):
    if not item_goes_too(**kwargs):  # the item's own post_delete removes its rows
        index.refresh([instance.item_id])


@receiver(m2m_changed, sender=Item.collections.through)
def collections_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:  # collection.items.clear(): note the members before they go
        instance._facet_members = list(instance.items.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        index.refresh([instance.pk])
    elif action == "post_clear":
        index.refresh(getattr(instance, "_facet_members", []))
    else:
        index.refresh(pk_set or [])


@receiver(pre_save, sender=Collection)
def collection_saving(sender, instance, raw=False, **kwargs):
    instance._facet_set_spec = (
        None if instance._state.adding else
        Collection.objects.filter(pk=instance.pk).values_list("set_spec", flat=True).first()
    )


@receiver(post_save, sender=Collection)
def collection_saved(sender, instance, raw=False, created=False, **kwargs):
    if not created and getattr(instance, "_facet_set_spec", None) not in (None, instance.set_spec):
        # Moved in the tree: its members are under other collections now. The collections below
        # it are saved in turn (catalog/receivers.py), and refresh their own members.
        index.refresh_queryset(Item.objects.filter(collections=instance))
    else:
        version.bump()  # a title or identifier: what the facet shows


@receiver(pre_delete, sender=Collection)
def collection_deleting(sender, instance, **kwargs):
    # Its memberships go with it without an m2m signal.
    instance._facet_members = list(instance.items.values_list("pk", flat=True))


@receiver(post_delete, sender=Collection)
def collection_deleted(sender, instance, **kwargs):
    index.refresh(getattr(instance, "_facet_members", []))


@receiver(pre_delete, sender=Authority)
def authority_deleting(sender, instance, **kwargs):
    # Its statements are unlinked (SET NULL) without a signal.
    instance._facet_items = list(Statement.objects.filter(authority=instance).values_list("item_id", flat=True).distinct())


@receiver(post_delete, sender=Authority)
def authority_deleted(sender, instance, **kwargs):
    index.refresh(getattr(instance, "_facet_items", []))


@receiver(post_save, sender=Authority)
@receiver(post_save, sender=AuthorityVariant)
@receiver(post_delete, sender=AuthorityVariant)
@receiver(post_save, sender=AuthorityLink)
@receiver(post_delete, sender=AuthorityLink)
def authority_described(sender, instance, **kwargs):
    version.bump()  # a label or link a visitor sees; no row names it


# Saving or deleting through a proxy (the Agent, Place and Concept admins do) sends the proxy as
# the sender, which receivers connected for Authority alone never hear.
for proxy in (Agent, Place, Concept):
    pre_delete.connect(authority_deleting, sender=proxy)
    post_delete.connect(authority_deleted, sender=proxy)
    post_save.connect(authority_described, sender=proxy)


@receiver(post_save, sender=Level)
@receiver(post_delete, sender=Level)
def level_changed(sender, instance, **kwargs):
    if instance.pk is not None:
        index.refresh_queryset(Item.objects.filter(level=instance))
    version.bump()


@receiver(post_migrate)
def index_unindexed_catalogue(sender, app_config=None, using="default", **kwargs):
    """A catalogue written while the index was not kept (generate_catalog's bulk writes, into a
    database migrated before) gets its index on its next migrate, if the index is empty."""
    if app_config is None or app_config.label != "facets" or using != "default":
        return
    tables = connection.introspection.table_names()
    if FacetEntry._meta.db_table not in tables:
        return  # migrated back to before the index
    version.ensure_rows()
    if Item.objects.published().exists() and not FacetEntry.objects.exists():
        index.rebuild(counts=FacetCount._meta.db_table in tables)
