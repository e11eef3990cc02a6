"""Mark the items and authority records a change set touches (recording.py adds them as they
stand when it closes). Only inside a change set; fixture loads (`raw`) are skipped."""
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from ..models import Agent, Authority, AuthorityLink, Collection, Concept, Place, AuthorityVariant, DigitalFile, Item, Statement
from .recording import before_change, mark_authority, mark_collection, mark_items


@receiver(pre_save, sender=Item)
def item_saving(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        before_change(instance.pk)


@receiver(pre_save, sender=Statement)
@receiver(pre_delete, sender=Statement)
@receiver(pre_save, sender=DigitalFile)
@receiver(pre_delete, sender=DigitalFile)
def part_changing(sender, instance, raw=False, **kwargs):
    if not raw:
        before_change(instance.item_id)


@receiver(post_save, sender=Item)
def item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_items([instance.pk])


@receiver(post_save, sender=Statement)
@receiver(post_delete, sender=Statement)
@receiver(post_save, sender=DigitalFile)
@receiver(post_delete, sender=DigitalFile)
def part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_items([instance.item_id])


@receiver(m2m_changed, sender=Item.collections.through)
def collections_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("pre_"):
        for pk in ([instance.pk] if not reverse else (pk_set or ())):
            before_change(pk)
        return
    if not action.startswith("post_"):
        return
    if not reverse:
        mark_items([instance.pk])
    elif pk_set:
        mark_items(pk_set)


@receiver(post_save, sender=AuthorityVariant)
@receiver(post_delete, sender=AuthorityVariant)
@receiver(post_save, sender=AuthorityLink)
@receiver(post_delete, sender=AuthorityLink)
def record_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_authority(instance.authority_id)


@receiver(post_save, sender=Authority)
@receiver(post_save, sender=Agent)
@receiver(post_save, sender=Place)
@receiver(post_save, sender=Concept)
def authority_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_authority(instance.pk)


@receiver(post_save, sender=Collection)
def collection_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_collection(instance.pk)
