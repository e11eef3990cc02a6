"""An item's versions read back: which change sets hold it, and its document in each.

A document (serializer.py) compared with another ignores the datestamp (`modified`), which
moves with things that are no part of the description (a renamed authority record, a
collection's new code): two versions are the same when the description is.
"""
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Max
from reversion.models import Version

from ..models import Item
from .serializer import dumps, item_documents, loads

IGNORED_FIELDS = frozenset({"modified"})


def item_type():
    return ContentType.objects.get_for_model(Item)


def versions_of(pk):
    """The versions of item `pk`, newest first (its purge leaves them)."""
    return Version.objects.filter(
        content_type=item_type(), object_id=str(pk), db=router.db_for_write(Item),
    ).select_related("revision__change_set", "revision__user").order_by("-revision_id")


def normal(document):
    """A document as stored (JSON types), without what two versions may differ in unnoticed."""
    document = loads(dumps(document)) if not isinstance(document, str) else loads(document)
    for name in IGNORED_FIELDS:
        document["fields"].pop(name, None)
    return document


def latest_versions(pks):
    """{pk: Version} of the newest version of each of these items that has one."""
    keys = [str(pk) for pk in pks]
    newest = []
    for start in range(0, len(keys), 500):
        newest += Version.objects.filter(
            content_type=item_type(), object_id__in=keys[start:start + 500], db=router.db_for_write(Item),
        ).values("object_id").annotate(newest=Max("pk")).values_list("newest", flat=True)
    return {int(v.object_id): v for v in Version.objects.filter(pk__in=newest).select_related("revision__change_set")}


def changed_items(pks):
    """Of these items, those that exist and differ from their newest version (or have none)."""
    pks = set(pks)
    if not pks:
        return []
    current = item_documents(pks)
    latest = latest_versions(current)
    return [pk for pk, document in current.items() if pk not in latest or normal(document) != normal(latest[pk].serialized_data)]


def document_at(version):
    return normal(version.serialized_data)


def record_versions(model, pk):
    """The versions of an authority record or collection, newest first."""
    from django.contrib.contenttypes.models import ContentType

    return Version.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True), object_id=str(pk),
        db=router.db_for_write(model),
    ).select_related("revision__change_set", "revision__user").order_by("-revision_id")
