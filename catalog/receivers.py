"""Keep the datestamp, the derived caches, tombstones and files in step with the catalogue.

Everything a harvester sees bumps `Item.modified` (the items of an authority record linked to
more than ARKIV_REINDEX_INLINE_ITEMS, by the task that reindexes them: search/linked.py). Fixture loads (`raw`) are skipped: a fixture
carries its own datestamps, and `manage.py refresh_catalog` recomputes the caches after it.
"""
from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .models import Agent, Authority, AuthorityLink, AuthorityVariant, Collection, Concept, DigitalFile, Item, Level, Place, Preference, Statement
from .cascade import item_goes_too
from . import arrangement, pyramids, sqlite
from .services import tombstone_sync
from .search import receivers as search_receivers  # noqa: F401  (keeps the search index in step)
from .search.linked import touch_soon


@receiver(post_migrate)
def seed_levels(sender, app_config=None, using="default", **kwargs):
    # `flush` empties the table migration 0014 filled and then sends post_migrate, as migrate does.
    if app_config is None or app_config.label != "catalog" or using != "default":
        return
    if Level._meta.db_table in connection.introspection.table_names():  # not migrated back before it
        Level.seed()


@receiver(post_migrate)
def restore_statistics(sender, app_config=None, using="default", **kwargs):
    # Once a migrate (post_migrate comes for each app, after every migration has run).
    if app_config is not None and app_config.label == "catalog":
        sqlite.restore_statistics(using)


@receiver(pre_save, sender=Item)
def item_saving(sender, instance, raw=False, **kwargs):
    # The place as stored before: what the units below must follow if it changes.
    instance._previous_place = None if raw or instance._state.adding else arrangement.moves.snapshot(instance.pk)


@receiver(post_save, sender=Item)
def item_saved(sender, instance, raw=False, **kwargs):
    # loaddata sets an item's collections right after its raw save, through the same instance,
    # and m2m_changed carries no `raw`: the mark lets collections_changed tell a load from an edit.
    instance._raw_load = raw
    if not raw:
        tombstone_sync(instance)
        previous = getattr(instance, "_previous_place", None)
        if previous is not None:
            # A new reference code, a move or a change of status reaches every unit below.
            arrangement.refresh_below(instance, previous, progress=getattr(instance, "_arrangement_progress", None))
        old_parent = previous["parent_id"] if previous else None
        if old_parent != instance.parent_id:
            arrangement.moves.touch_lone_tops([old_parent, instance.parent_id], instance.pk)
        if previous is not None and _was_public(previous) != instance.is_public:
            # Records that name it in a relation now carry its address, or no longer do.
            Item.objects.filter(pk__in=Statement.objects.filter(target=instance).values("item_id")).touch()


@receiver(pre_delete, sender=Item)
def item_deleting(sender, instance, **kwargs):
    tombstone_sync(instance, deleting=True)
    if instance.is_public:  # its relations keep their text, without its address (Statement.target)
        Item.objects.filter(pk__in=Statement.objects.filter(target=instance).values("item_id")).touch()


def _was_public(place):
    return place["status"] == Item.PUBLISHED and place["ancestors_public"]


@receiver(post_delete, sender=Item)
def item_deleted(sender, instance, **kwargs):
    arrangement.moves.touch_lone_tops([instance.parent_id], instance.pk)


@receiver(post_save, sender=Statement)
@receiver(post_delete, sender=Statement)
def statement_changed(sender, instance, raw=False, **kwargs):
    if raw or item_goes_too(**kwargs):
        return
    item = Item.objects.filter(pk=instance.item_id).first()
    if item is not None:  # None while its item is being deleted
        item.refresh_derived()


@receiver(m2m_changed, sender=Item.collections.through)
def collections_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        if not getattr(instance, "_raw_load", False):
            Item.objects.filter(pk=instance.pk).touch()
    elif action == "pre_clear":  # collection.items.clear(): touch the members before they go
        instance.items.all().touch()
    else:
        Item.objects.filter(pk__in=pk_set).touch()


@receiver(pre_save, sender=Authority)
@receiver(pre_save, sender=Collection)
def remember_previous(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    instance._previous = sender.objects.filter(pk=instance.pk).values().first()


@receiver(post_save, sender=Authority)
def authority_saved(sender, instance, raw=False, created=False, **kwargs):
    previous = getattr(instance, "_previous", None)
    if raw or created or not previous:
        return
    if any(previous[field] != getattr(instance, field) for field in HARVESTED_AUTHORITY_FIELDS):
        # A record linked to many items has them touched by a task (search/linked.py): two
        # 100,000-row UPDATEs (the rename, the old label kept as a variant) took 4.9 s of the request.
        touch_soon(instance.pk)


# What records say of a linked authority record: its label (every format), its kind, address,
# coordinates and dates (EDM's contextual entities), and, below, its variants (EDM's labels) and
# external links (qdc's URIs, EDM's owl:sameAs).
HARVESTED_AUTHORITY_FIELDS = ("preferred_label", "kind", "slug", "latitude", "longitude", "dates")


@receiver(post_save, sender=AuthorityVariant)
@receiver(post_delete, sender=AuthorityVariant)
@receiver(post_save, sender=AuthorityLink)
@receiver(post_delete, sender=AuthorityLink)
def authority_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_soon(instance.authority_id)


# Saving through a proxy (the Agent, Place and Concept admins do) sends the proxy as the sender,
# which receivers connected for Authority alone never hear.
for proxy in (Agent, Place, Concept):
    pre_save.connect(remember_previous, sender=proxy)
    post_save.connect(authority_saved, sender=proxy)


@receiver(post_save, sender=Collection)
def collection_saved(sender, instance, raw=False, created=False, **kwargs):
    previous = getattr(instance, "_previous", None)
    if raw or created or not previous:
        return
    if previous["set_spec"] != instance.set_spec:
        for child in instance.children.all():
            child.save()  # recomputes its set_spec, and so on down the tree
    Item.objects.filter(collections=instance).touch()


@receiver(pre_delete, sender=Collection)
def collection_deleting(sender, instance, **kwargs):
    # Its items leave its set: a change to their headers. The memberships go with the collection
    # by cascade, which sends no m2m_changed.
    instance.items.all().touch()


@receiver(post_save, sender=DigitalFile)
def file_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        Item.objects.filter(pk=instance.item_id).touch()


@receiver(post_delete, sender=DigitalFile)
def file_deleted(sender, instance, **kwargs):
    for field in (instance.file, instance.thumbnail, instance.display):
        if field and field.name:
            field.storage.delete(field.name)
    pyramids.remove_pyramid(instance)
    Item.objects.filter(pk=instance.item_id).touch()


@receiver(user_logged_in)
def remember_language_preference(sender, request, user, **kwargs):
    # Kept in the session so that no request has to read it again (archive/language.py).
    language = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    if language and request is not None and hasattr(request, "session"):
        request.session[Preference.SESSION_KEY] = language
