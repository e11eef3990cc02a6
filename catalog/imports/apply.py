"""Write a chunk of planned rows to the catalogue, in bulk.

Bulk writes send no model signals, so this module does by itself what the receivers do for a
single save: it recomputes the derived caches (Item.derived_fields), bumps the OAI datestamp of
exactly the items a harvester would see changed, keeps tombstones to the rule of
services.tombstone_sync, and keeps the search index in step: new items are indexed from their
plans (nothing to read back), updated ones reindexed from the database. Items and statements go
in as plain multi-row INSERTs (catalog.bulk). It runs inside the transaction of the whole import
(see csv.py), so a failure anywhere undoes every chunk.
"""
from typing import NamedTuple

from django.db import connection

from .. import imaging, search
from ..bulk import insert_rows
from ..models import Authority, Item, Statement, Tombstone
from ..models.items import TYPE_SET
from ..search.documents import Document, authority_labels
from ..search.index import index_documents
from .plan import CREATE, UPDATE, ItemState

STATEMENT_BATCH = 1000
DERIVED_FIELDS = ("sort_title", "date_text", "date_earliest", "date_latest", "date_unparsed")


class Writer:
    def __init__(self, *, collections, now):
        self.collections = collections
        self.now = now
        self.stored_files = []  # storage names written, to remove if the import is undone
        self.changed_items = 0
        self.labels = {}  # authority_labels() of the records new items link to, read once each

    def write(self, plans):
        plans = [plan for plan in plans if plan.action in (CREATE, UPDATE)]
        if not plans:
            return
        self._create_authorities(plans)
        self._create_items([plan for plan in plans if plan.existing is None])
        for plan in plans:
            if plan.existing is not None:
                plan.item = Item(pk=plan.existing.pk, identifier=plan.identifier)
        finals = self._write_statements(plans)
        self._write_collections(plans)
        self._ingest_files(plans)
        self._update_items(plans, finals)
        self._sync_tombstones(plans)
        self._index_new([plan for plan in plans if plan.existing is None])
        updated = [plan.item.pk for plan in plans if plan.existing is not None]
        if updated:
            search.reindex_items(updated)
        self.changed_items += len(plans)

    def _create_authorities(self, plans):
        for plan in plans:
            for values in plan.groups.values():
                for value in values:
                    if value.pending is not None and value.pending.pk is None:
                        record = Authority(kind=value.pending.kind, preferred_label=value.pending.label)
                        record.save()  # save(), not bulk_create: it gives the record a unique slug
                        value.pending.pk = record.pk

    def _create_items(self, plans):
        items = []
        for plan in plans:
            item = Item(
                identifier=plan.identifier, dcmi_type=plan.fields["dcmi_type"], status=plan.fields["status"],
                full_text=plan.fields.get("full_text", ""), created=self.now, modified=self.now,
                ever_published=plan.fields["status"] == Item.PUBLISHED,
            )
            # The statements get positions 0, 1, 2… in this order in _write_statements.
            statements = [
                _Value(term, value.value, position)
                for position, (term, value) in enumerate(
                    (term, value) for (term, _), values in plan.groups.items() for value in values
                )
            ]
            _assign(item, item.derived_fields(statements))
            items.append(item)
        # Every column as bulk_create would write it, defaults included, but without its cost.
        columns = [field.attname for field in Item._meta.concrete_fields if not field.primary_key]
        insert_rows(Item, columns, [tuple(getattr(item, name) for name in columns) for item in items])
        pks = dict(Item.objects.filter(identifier__in=[item.identifier for item in items]).values_list("identifier", "pk"))
        alias = connection.alias
        for plan, item in zip(plans, items):
            item.pk = pks[item.identifier]
            item._state.adding, item._state.db = False, alias
            plan.item = item

    def _write_statements(self, plans):
        """Rewrite the changed columns of each item, reusing its rows where it can; return
        each item's statements as they now stand, for the derived caches."""
        created, updated, deleted, finals = [], [], [], {}
        for plan in plans:
            if plan.existing is None:  # a new item: every value is a new row, in order
                values = [(term, lang, value) for (term, lang), values in plan.groups.items() for value in values]
                created += [
                    (plan.item.pk, term, value.value, lang, _authority_id(value), position)
                    for position, (term, lang, value) in enumerate(values)
                ]
                continue
            state = plan.existing
            final = [_Value(s.term, s.value, s.position) for s in state.statements if (s.term, s.lang) not in plan.groups]
            next_position = max((s.position for s in state.statements), default=-1) + 1
            for (term, lang), values in plan.groups.items():
                reusable = state.group(term, lang)
                reused = {s.pk for s in reusable[:len(values)]}
                deleted += [s.pk for s in state.statements if s.term == term and s.lang == lang and s.pk not in reused]
                for index, value in enumerate(values):
                    authority_id = _authority_id(value)
                    if index < len(reusable):
                        previous = reusable[index]
                        position = previous.position
                        if (previous.value, previous.authority_id) != (value.value, authority_id):
                            updated.append(Statement(pk=previous.pk, value=value.value, authority_id=authority_id))
                    else:
                        position, next_position = next_position, next_position + 1
                        created.append((plan.item.pk, term, value.value, lang, authority_id, position))
                    final.append(_Value(term, value.value, position))
            finals[plan.item.pk] = final
        if deleted:
            _delete_statements(deleted)
        Statement.objects.bulk_update(updated, ["value", "authority"], batch_size=STATEMENT_BATCH)
        insert_rows(Statement, ("item_id", "term", "value", "lang", "authority_id", "position"), created)
        return finals

    def _write_collections(self, plans):
        through = Item.collections.through
        added, removed = [], []
        for plan in plans:
            if plan.collections is None:
                continue
            old = plan.existing.collections if plan.existing else set()
            added += [(plan.item.pk, pk) for pk in plan.collections - old]
            removed += [(plan.item.pk, pk) for pk in old - plan.collections]
        insert_rows(through, ("item_id", "collection_id"), added)
        for item_id, collection_id in removed:
            through.objects.filter(item_id=item_id, collection_id=collection_id).delete()

    def _ingest_files(self, plans):
        for plan in plans:
            for name, path in plan.new_files:
                with path.open("rb") as source:
                    digital_file = imaging.ingest(item=plan.item, file=source, name=name)
                self.stored_files += [f.name for f in (digital_file.file, digital_file.thumbnail, digital_file.display) if f]

    def _update_items(self, plans, finals):
        groups = {}
        for plan in plans:
            item = plan.item
            if plan.existing is None:
                continue  # created complete
            names = set(plan.fields)
            _assign(item, plan.fields)
            if plan.groups:
                _assign(item, item.derived_fields(finals[item.pk]))
                names.update(DERIVED_FIELDS)
            if plan.fields.get("status") == Item.PUBLISHED:
                item.ever_published = True
                names.add("ever_published")
            if plan.seen_by_harvesters:
                item.modified = self.now
                names.add("modified")
            if names:
                groups.setdefault(frozenset(names), []).append(item)
        for names, items in groups.items():
            Item.objects.bulk_update(items, sorted(names), batch_size=STATEMENT_BATCH)

    def _index_new(self, plans):
        """Index new items from their plans: what documents() would read back from the rows
        just written."""
        found, linked = {}, {}
        for plan in plans:
            document, authority_ids = Document(full_text=plan.item.full_text), []
            for (term, _), values in plan.groups.items():
                for value in values:
                    document.add(term, value.value)
                    if authority_id := _authority_id(value):
                        authority_ids.append(authority_id)
            found[plan.item.pk], linked[plan.item.pk] = document, authority_ids
        missing = {pk for authority_ids in linked.values() for pk in authority_ids} - self.labels.keys()
        if missing:
            self.labels.update(authority_labels(missing))
        for pk, authority_ids in linked.items():
            found[pk].link(authority_ids, self.labels)
        index_documents(found)

    def _sync_tombstones(self, plans):
        """The rule of services.tombstone_sync, for many items at once: a tombstone exists while
        an item once published is not published."""
        published = [plan.identifier for plan in plans if plan.fields.get("status") == Item.PUBLISHED]
        Tombstone.objects.filter(identifier__in=published).delete()
        hidden = [
            plan for plan in plans
            if plan.existing is not None and plan.existing.ever_published
            and plan.existing.status == Item.PUBLISHED and plan.fields.get("status", Item.PUBLISHED) != Item.PUBLISHED
        ]
        if not hidden:
            return
        Tombstone.objects.filter(identifier__in=[plan.identifier for plan in hidden]).delete()
        Tombstone.objects.bulk_create([
            Tombstone(identifier=plan.identifier, datestamp=self.now, item_id=plan.item.pk,
                      set_specs=Tombstone.pack_set_specs(self._set_specs(plan)))
            for plan in hidden
        ])

    def _set_specs(self, plan):
        collections = plan.collections if plan.collections is not None else plan.existing.collections
        dcmi_type = plan.fields.get("dcmi_type", plan.existing.dcmi_type)
        return sorted({self.collections.set_specs[pk] for pk in collections} | {f"{TYPE_SET}:{dcmi_type}"})


def _authority_id(value):
    return value.pending.pk if value.pending is not None else value.authority_id


class _Value(NamedTuple):
    """What Item.derived_fields reads of a statement."""

    term: str
    value: str
    position: int


def _assign(instance, fields):
    for name, value in fields.items():
        setattr(instance, name, value)


def _delete_statements(pks):
    # A raw DELETE rather than QuerySet.delete(): the latter would send post_delete for each
    # statement, and its receivers recompute the item's caches once per statement, which this
    # writer does once per item. Nothing refers to a statement, so no cascade is skipped.
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), STATEMENT_BATCH):
            part = pks[start:start + STATEMENT_BATCH]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})", part)
