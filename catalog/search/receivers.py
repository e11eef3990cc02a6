"""Keep the search index in step with what it is made of (see documents.py).

Statements and an item's full text change one item; a renamed record or an added or removed
variant changes every item linked to the record (in the request when they are few, by a task
when they are many: linked.py); a deleted item loses its row. Fixture loads (`raw`) are skipped:
`manage.py refresh_catalog` rebuilds the index after them.
"""
from django.db import connection
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save
from django.dispatch import receiver

from ..cascade import item_goes_too
from ..models import Authority, AuthorityVariant, Item, Statement
from .index import reindex_items
from .linked import linked_items as _linked_items, reindex_items_soon, reindex_soon
from .models import SearchEntry


@receiver(post_save, sender=Item)
def item_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "full_text" not in update_fields):
        return
    reindex_items([instance.pk])


@receiver(post_delete, sender=Item)
def item_deleted(sender, instance, **kwargs):
    # The row goes with the item: PostgreSQL's foreign key would see to that, FTS5 has none.
    # (Its statements' post_delete, sent before, leave it alone: catalog/cascade.py.)
    SearchEntry.objects.filter(item_id=instance.pk).delete()


@receiver(post_save, sender=Statement)
@receiver(post_delete, sender=Statement)
def statement_changed(sender, instance, raw=False, **kwargs):
    if not raw and not item_goes_too(**kwargs):
        reindex_items([instance.item_id])


@receiver(pre_save, sender=Authority)
def authority_saving(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        instance._indexed_label = (
            Authority.objects.filter(pk=instance.pk).values_list("preferred_label", flat=True).first()
        )


@receiver(post_save, sender=Authority)
def authority_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    if getattr(instance, "_indexed_label", instance.preferred_label) != instance.preferred_label:
        reindex_soon(instance.pk)


@receiver(pre_delete, sender=Authority)
def authority_deleting(sender, instance, **kwargs):
    # Its statements are unlinked before post_delete runs, so note the items now.
    instance._indexed_items = list(_linked_items(instance.pk))


@receiver(post_delete, sender=Authority)
def authority_deleted(sender, instance, **kwargs):
    reindex_items_soon(getattr(instance, "_indexed_items", []))


@receiver(post_save, sender=AuthorityVariant)
@receiver(post_delete, sender=AuthorityVariant)
def variant_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_soon(instance.authority_id)


@receiver(post_migrate)
def index_unindexed_catalogue(sender, app_config=None, using="default", **kwargs):
    """A catalogue that existed before the search index gets its index on its next migrate."""
    if app_config is None or app_config.label != "catalog" or using != "default":
        return
    if SearchEntry._meta.db_table not in connection.introspection.table_names():
        return  # migrated back to before the index
    if Item.objects.exists() and not SearchEntry.objects.exists():
        reindex_items()
