"""Put an item back as a version recorded it, as a new change (recorded in its turn).

Restored exactly: the item's fields (type, status, rights, level, place in the arrangement,
local code, arrangement note, full text), its statements (terms, values, languages, order,
authority records and related items), its collections, and its files' captions, order and
rights. Its datestamp moves, and the item is saved as any edit is (Item.save, the receivers):
the tombstone and arrangement rules apply. What cannot come back is said, not guessed: a record
or item a statement linked to that has since been deleted leaves the value as plain text, and a
file removed since stays removed (a file added since stays: restoring never deletes a stored
file).

Changing whether an item is public takes the publish permission, as any edit does.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Authority, Collection, DigitalFile, Item, Level, Statement
from ..facets import index as facet_index
from ..search.index import reindex_items
from ..services import PUBLISH_DENIED, PUBLISH_NO_TITLE, PUBLISH_PERMISSION
from . import recording
from .models import ChangeSet
from .states import document_at

RESTORED_FIELDS = ("dcmi_type", "status", "full_text", "rights_uri", "level", "parent", "local_code", "arrangement")
ITEM_GONE = _("%(identifier)s has been deleted: its history is kept, but it cannot be restored from here.")
PARENT_GONE = _(
    "The unit %(identifier)s was under (id %(parent)s) no longer exists: move the item into place "
    "after restoring, or restore that unit first."
)
NOT_THIS_ITEM = _("This version belongs to another item.")
RESTORED = _("%(identifier)s restored to its version of %(date)s (change set #%(revision)s).")
_NEEDS_EDITOR = {Item.PUBLISHED, Item.WITHDRAWN}


def restore_version(*, item, version, user=None):
    """Restore `item` to `version` (a reversion Version of it), as one change set. Returns the
    notes on what could not come back."""
    if version.object_id != str(item.pk):
        raise ValidationError(NOT_THIS_ITEM, code="not_this_item")
    detail = RESTORED % {"identifier": item.identifier, "date": f"{version.revision.date_created:%Y-%m-%d %H:%M}",
                         "revision": version.revision_id}
    with recording.changes(source=ChangeSet.RESTORE, user=user, detail=detail):
        recording.note(source=ChangeSet.RESTORE, detail=detail)
        with transaction.atomic():
            return put_back(item, document_at(version), user=user)


def check_may_change_status(old, new, user):
    if old != new and ({old, new} & _NEEDS_EDITOR) and user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(PUBLISH_DENIED)


def put_back(item, document, *, user=None):
    """Write `document` (serializer.py) over `item`; returns notes on what could not come back."""
    fields, notes = document["fields"], []
    check_may_change_status(item.status, fields["status"], user)
    for name in RESTORED_FIELDS:
        field = Item._meta.get_field(name)
        value = fields.get(name)
        if field.is_relation:
            setattr(item, field.attname, value)
        else:
            setattr(item, name, field.to_python(value) if value is not None else field.get_default())
    if item.parent_id is not None and not Item.objects.filter(pk=item.parent_id).exists():
        raise ValidationError(PARENT_GONE, code="parent_gone", params={"identifier": item.identifier, "parent": item.parent_id})
    if item.level_id is not None and not Level.objects.filter(pk=item.level_id).exists():
        item.level_id = None  # Item.save() gives it the default level
    statements = document["statements"]
    if item.status == Item.PUBLISHED and not any(s["term"] == "title" and (s["value"].strip() or s["authority"]) for s in statements):
        raise ValidationError(PUBLISH_NO_TITLE.format(identifier=item.identifier), code="no_title")
    item.check_place()

    authorities = set(Authority.objects.filter(pk__in={s["authority"] for s in statements if s["authority"]}).values_list("pk", flat=True))
    targets = set(Item.objects.filter(pk__in={s["target"] for s in statements if s["target"]}).values_list("pk", flat=True))
    Statement.objects.filter(item_id=item.pk)._raw_delete(Statement.objects.db)
    Statement.objects.bulk_create([
        Statement(
            item_id=item.pk, term=s["term"], value=s["value"], lang=s["lang"], position=s["position"],
            authority_id=s["authority"] if s["authority"] in authorities else None,
            target_id=s["target"] if s["target"] in targets else None,
        )
        for s in statements
    ])
    lost = sum(1 for s in statements if (s["authority"] and s["authority"] not in authorities) or (s["target"] and s["target"] not in targets))
    if lost:
        notes.append(LINKS_LOST % {"count": lost})
    item.save()
    item.collections.set(Collection.objects.filter(pk__in=fields.get("collections") or []))
    notes += _put_back_files(item, document.get("files", []))
    item.refresh_derived()
    reindex_items([item.pk])
    facet_index.refresh([item.pk])  # its date range was written after its save, by an update
    return notes


LINKS_LOST = _("%(count)s value(s) linked to a record or item deleted since: kept as plain text.")
FILES_GONE = _("%(count)s file(s) of that version were removed since and cannot be restored.")
FILES_KEPT = _("%(count)s file(s) added since are kept.")


def _put_back_files(item, files):
    notes, recorded = [], {f["id"]: f for f in files}
    present = {f.pk: f for f in DigitalFile.objects.filter(item_id=item.pk)}
    for pk, digital_file in present.items():
        old = recorded.get(pk)
        if old is None:
            continue
        changed = False
        for name in ("label", "position", "rights_uri", "original_public"):
            if getattr(digital_file, name) != old[name]:
                setattr(digital_file, name, old[name])
                changed = True
        if changed:
            digital_file.save(update_fields=["label", "position", "rights_uri", "original_public"])
    if gone := len(recorded.keys() - present.keys()):
        notes.append(FILES_GONE % {"count": gone})
    if added := len(present.keys() - recorded.keys()):
        notes.append(FILES_KEPT % {"count": added})
    return notes
