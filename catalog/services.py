"""State changes of the catalogue: validated, atomic, keyword-only.

The admin, the CSV importer and the management commands call these rather than saving models
with rules of their own.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .history import recording as history
from .facets import index as facet_index
from .materials import rules as materials
from .models import Authority, Item, Statement, Tombstone

PUBLISH_PERMISSION = "catalog.publish_item"
PUBLISH_DENIED = _("Only Editors may publish or withdraw items: ask an Editor to review this item.")
PUBLISH_NO_TITLE = _("{identifier} has no title: give it a dc:title before publishing.")
MERGE_SAME = _("Choose two different records to merge.")
MERGE_KINDS = _(
    "“%(source)s” is %(source_kind)s and “%(target)s” %(target_kind)s: only records of the same "
    "kind can be merged."
)
MERGED_NOTE = _("From “%(record)s”: %(note)s")
MERGED_DETAIL = _("“%(source)s” merged into “%(target)s”")


def _check_may_publish(user):
    if user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(PUBLISH_DENIED)


@transaction.atomic
def item_publish(*, item: Item, user=None) -> Item:
    """Make an item public (site, OAI, exports). Removes its tombstone if it had one."""
    _check_may_publish(user)
    if not item.statements.filter(term="title").exclude(value="", authority__isnull=True).exists():
        raise ValidationError(PUBLISH_NO_TITLE.format(identifier=item.identifier), code="no_title")
    materials.check_publishable(item)  # what the item's template requires, if it has one
    item.status = Item.PUBLISHED
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_withdraw(*, item: Item, user=None) -> Item:
    """Take an item off the public site; OAI reports it as deleted from now on."""
    _check_may_publish(user)
    item.status = Item.WITHDRAWN
    item.save()
    return item


def tombstone_sync(item: Item, *, deleting=False):
    """Keep the one rule: a tombstone exists while an item once published is not public now
    (not published, or under a unit that is not)."""
    if item.is_public and not deleting:
        Tombstone.objects.filter(identifier=item.identifier).delete()
        return
    if not item.ever_published:
        return
    existing = Tombstone.objects.filter(identifier=item.identifier).first()
    if existing and not deleting and existing.item_id == item.pk:
        return  # already reported deleted; a later edit of the hidden item changes nothing
    Tombstone.objects.update_or_create(
        identifier=item.identifier,
        defaults={
            "datestamp": existing.datestamp if existing else timezone.now(),
            "set_specs": Tombstone.pack_set_specs(item.set_specs()),
            "item": None if deleting else item,
        },
    )


@transaction.atomic
def authority_merge(*, source: Authority, target: Authority) -> Authority:
    """Fold `source` into `target`: its statements, variants and links move; it is deleted.

    The source's preferred label becomes a variant of the target, so searches for it still
    find the items.
    """
    if source.pk == target.pk:
        raise ValidationError(MERGE_SAME, code="merge_same")
    if source.kind != target.kind:
        raise ValidationError(MERGE_KINDS, code="merge_kinds", params={
            "source": source, "source_kind": source.a_kind, "target": target, "target_kind": target.a_kind,
        })
    item_ids = list(Statement.objects.filter(authority=source).values_list("item_id", flat=True))
    history.before_changes(item_ids)  # their state before, if history has none yet
    Statement.objects.filter(authority=source).update(authority=target)
    facet_index.refresh(item_ids)  # the update sends no signal
    # A queryset update sends no signal: the change set open now records these items, as a merge.
    history.note(source=history.MERGE, detail=MERGED_DETAIL % {"source": source, "target": target})
    history.mark_items(item_ids)
    known = {label.lower() for label in target.labels}
    for label in [source.preferred_label, *(v.label for v in source.variants.all())]:
        if label.lower() not in known:
            target.variants.create(label=label)
            known.add(label.lower())
    for link in source.links.all():
        target.links.get_or_create(uri=link.uri, defaults={"source": link.source})
    _carry_over_description(source, target)
    source.delete()
    Item.objects.filter(pk__in=item_ids).touch()
    return target


def _carry_over_description(source, target):
    """Fill what the kept record lacks from the merged one; its note is kept beside the target's."""
    for field in ("agent_type", "dates", "latitude", "longitude"):
        if getattr(target, field) in ("", None) and getattr(source, field) not in ("", None):
            setattr(target, field, getattr(source, field))
    if source.note and source.note not in target.note:
        # Written into the record in the language of the archivist who merges, as a note of theirs.
        carried = MERGED_NOTE % {"record": source, "note": source.note}
        target.note = "\n\n".join(part for part in (target.note, carried) if part)
    target.full_clean()
    target.save()


def items_linked_to(authority: Authority):
    return Item.objects.filter(statements__authority=authority).distinct()
