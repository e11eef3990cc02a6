"""Write planned rows to the catalogue, in bulk, in two steps: prepare, then write.

    batch = writer.prepare(plans)   # outside the transaction: reads, never writes
    writer.write(batch)             # inside it: checks, then sends rows

An import is one transaction (csv.py), and on SQLite a transaction that writes holds the
database's only write lock until it ends, so every admin login and save waits for it. Hence the
two steps. prepare() does all the work that needs no lock: the new items' columns and derived
caches, the statements to insert, change and delete, memberships, tombstones, and the search
documents of new items, as plain rows. write() runs in the transaction and only sends them. It
first checks that every item of the batch is still as it was planned against, and raises
CatalogueChanged otherwise: someone edited or created it meanwhile, and the plan must be made
again (csv.py does). Then it creates the new authority records and writes. A batch names items by
identifier, since new items get their ids only as they are written, and names a new authority
record by its PendingAuthority, whose id is known once write() has created it.

Bulk writes send no model signals, so this module does by itself what the receivers do for a
single save: it recomputes the derived caches (Item.derived_fields), bumps the OAI datestamp of
exactly the items a harvester would see changed, keeps tombstones to the rule of
services.tombstone_sync, and keeps the search index in step: new items are indexed from their
plans, updated ones from their planned statements and the plan's changes (nothing to read back).
Items and statements go in as plain multi-row INSERTs and UPDATEs (catalog.bulk). A failure
anywhere undoes every chunk, since all of them are written in the one transaction.

A new unit goes in with its level and local code, and in its place where its parent is written
before it (a unit of the catalogue, or a row further up the file: Arrangement._mark_eager); the
other new units go in at the top without a reference code, and are put in their places last,
once every batch is written (place(), placing.py). A unit of the catalogue that
moves, is recoded, or changes status with units below it, changes place through Item.save(), as
the arrangement service moves units, so that its subtree follows; its status waits for that step
(RowPlan.deferred_status). Rows the arrangement failed once the whole file was planned are left
out of every batch (Batch.without), when bad rows are skipped.
"""
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection, models

from .. import imaging, sqlite
from ..bulk import insert_rows, update_rows
from ..models import Authority, DigitalFile, Item, Statement, Tombstone
from ..models.items import TYPE_SET, fonds_set
from ..search.documents import Document, authority_labels
from ..facets import index as facet_index
from ..search.index import index_documents
from ..services import tombstone_sync
from .lookup import PendingAuthority
from .placing import PlaceChanged, place, start_positions
from .plan import CREATE, UPDATE, load_items

STATEMENT_BATCH = 1000


class CatalogueChanged(Exception):
    """An item of a batch is no longer as the batch was planned against: plan again."""


@dataclass
class Batch:
    """One chunk's writes, prepared. Items are named by identifier; an authority is an id, None
    or the PendingAuthority of a record to create."""

    states: dict = field(default_factory=dict)  # identifier -> ItemState planned against, None if new
    authorities: list = field(default_factory=list)  # PendingAuthority records to create, in order
    items: list = field(default_factory=list)  # rows of Writer.item_columns, of new items
    # target: the identifier of the item a relation names, or None (catalog/imports/targets.py)
    statements: list = field(default_factory=list)  # (identifier, term, value, lang, authority, position, target)
    changed_statements: list = field(default_factory=list)  # (identifier, pk, value, authority, target)
    deleted_statements: list = field(default_factory=list)  # (identifier, pk)
    memberships: list = field(default_factory=list)  # (identifier, collection pk) to add
    left_memberships: list = field(default_factory=list)  # (identifier, collection pk) to remove
    files: list = field(default_factory=list)  # (identifier, name, path)
    updates: dict = field(default_factory=dict)  # field names -> [(identifier, values)]
    published: list = field(default_factory=list)  # identifiers whose tombstone goes
    hidden: list = field(default_factory=list)  # (identifier, packed set specs): new tombstones
    documents: dict = field(default_factory=dict)  # identifier -> (Document, [authority]): new and retexted items

    def __len__(self):
        return len(self.states)

    def without(self, identifiers, identifier_column):
        """This batch without the writes of the items `identifiers` (rows that failed once the
        whole file was planned, to be skipped); `identifier_column` is where the rows of new
        items hold the identifier."""
        if not identifiers or not identifiers & self.states.keys():
            return self
        def keep(rows, at=0):
            return [row for row in rows if row[at] not in identifiers]
        kept = Batch(
            states={key: state for key, state in self.states.items() if key not in identifiers},
            items=keep(self.items, identifier_column), statements=keep(self.statements),
            changed_statements=keep(self.changed_statements), deleted_statements=keep(self.deleted_statements),
            memberships=keep(self.memberships), left_memberships=keep(self.left_memberships), files=keep(self.files),
            updates={names: kept for names, rows in self.updates.items() if (kept := keep(rows))},
            published=[key for key in self.published if key not in identifiers], hidden=keep(self.hidden),
            documents={key: value for key, value in self.documents.items() if key not in identifiers},
        )
        # A record to create that only skipped rows named is not created.
        named = {id(row[4]) for row in kept.statements} | {id(row[3]) for row in kept.changed_statements}
        kept.authorities = [record for record in self.authorities if id(record) in named]
        return kept


class Writer:
    def __init__(self, *, collections, now, unchanged_mark=None):
        self.collections = collections
        self.now = now
        # sqlite.unchanged_mark() as the rows were first read: if it still holds inside the
        # transaction, no item of any batch changed since it was read, and none can until the
        # transaction ends (`checked`): _check need not read them again.
        self.unchanged_mark = unchanged_mark
        self.checked = False
        self.stored_files = []  # storage names written, to remove if the import is undone
        self.changed_items = 0
        self.skipped = set()  # identifiers of rows that failed once the whole file was planned
        self.arrangement = None  # the file's Arrangement, once finished: where new units go
        self.following = {}  # parent pk (None: the top) -> next free position under it
        self.placed = {}  # identifier -> _Parent, of new units that new units are written under
        self.shown_new = []  # identifiers of new published units written below public units
        self.hidden_new = []  # identifiers of new published units written below a unit not public
        self.labels = {}  # authority_labels() of the records new items link to, read once each
        self.unlinked = []  # (statement pk or (item pk, term, lang, position), target identifier)
        # Every column as bulk_create would write it, defaults included, but without its cost.
        self.item_columns = [f.attname for f in Item._meta.concrete_fields if not f.primary_key]
        self.new_item = {f.attname: f.get_default() for f in Item._meta.concrete_fields if not f.primary_key}
        self.facet_items = set()  # the items written: their facet rows are made once they stand in place
        self.history = None  # a history.bulk.BulkRecorder: the import's change set
        # derived_fields() reads only the statements it is given: one Item for every update,
        # since building one per row cost a sixth of a batch edit's preparing.
        self.deriver = Item()

    # --- prepare: outside the transaction --------------------------------------------------

    def prepare(self, plans):
        """The writes of these plans (those that create or update an item), as a Batch."""
        batch = Batch()
        pending, tops = {}, {}
        for plan in plans:
            if plan.action not in (CREATE, UPDATE):
                continue
            batch.states[plan.identifier] = plan.existing
            for values in plan.groups.values():
                for value in values:
                    if value.pending is not None:
                        pending.setdefault(id(value.pending), value.pending)
            if plan.existing is None:
                self._prepare_new(plan, batch)
            else:
                self._prepare_update(plan, batch)
            self._prepare_memberships(plan, batch)
            batch.files += [(plan.identifier, name, path) for name, path in plan.new_files]
            self._prepare_tombstones(plan, batch, tops)
        batch.authorities = list(pending.values())
        if batch.hidden:
            # The set of the fonds each hidden unit is in, named by the identifier of its top.
            found = dict(Item.objects.filter(pk__in=set(tops.values())).values_list("pk", "identifier")) if tops else {}
            batch.hidden = [
                (identifier, Tombstone.pack_set_specs(sorted(
                    specs | ({fonds_set(found[tops[identifier]])} if tops.get(identifier) in found else set())
                )))
                for identifier, specs in batch.hidden
            ]
        return batch

    def _prepare_new(self, plan, batch):
        # The row as Item(...) would make it, without building a model instance a row (a
        # sixth of preparing an import of new items): the fields' defaults, then the plan's.
        fields = plan.fields
        item = dict(self.new_item, identifier=plan.identifier, dcmi_type=fields["dcmi_type"], status=fields["status"],
                    full_text=fields.get("full_text", ""), created=self.now, modified=self.now,
                    ever_published=fields["status"] == Item.PUBLISHED, level_id=fields["level_id"],
                    local_code=fields.get("local_code", ""), rights_uri=fields.get("rights_uri", ""),
                    arrangement=fields.get("arrangement", ""))
        # Its place as Item.place() derives it: at the top now; under a parent once the parent
        # is written (place(), after every batch), until when it has no reference code, which
        # is what lets two units trade places in one import without a clash on the way.
        # The code is Item.composed_reference(None).
        item["ancestry"], item["ancestors_public"] = "/", True
        item["reference"] = (item["local_code"] or plan.identifier)[:255] if not plan.place.parent else None
        # The statements get positions 0, 1, 2… in this order.
        values = [(term, lang, value) for (term, lang), values in plan.groups.items() for value in values]
        item.update(self.deriver.derived_fields([
            _Value(term, value.value, position) for position, (term, _, value) in enumerate(values)
        ]))
        batch.items.append(tuple(item[name] for name in self.item_columns))
        batch.statements += [
            (plan.identifier, term, value.value, lang, _authority(value), position, value.target)
            for position, (term, lang, value) in enumerate(values)
        ]
        # Its search document, as documents() would read it back once written.
        document, authorities = Document(full_text=item["full_text"]), []
        for term, _, value in values:
            document.add(term, value.value)
            if authority := _authority(value):
                authorities.append(authority)
        batch.documents[plan.identifier] = (document, authorities)

    def _prepare_update(self, plan, batch):
        """Rewrite the changed columns of an item, reusing its rows where it can; then its
        fields, with the derived caches of its statements as they will stand."""
        state = plan.existing
        # The item's statements as they will stand: (position, id or 0 for a new one, term, value, authority).
        final = [
            (s.position, s.pk, s.term, s.value, s.authority_id)
            for s in state.statements if (s.term, s.lang) not in plan.groups
        ]
        next_position = max((s.position for s in state.statements), default=-1) + 1
        for (term, lang), values in plan.groups.items():
            reusable = state.group(term, lang)
            reused = {s.pk for s in reusable[:len(values)]}
            batch.deleted_statements += [
                (plan.identifier, s.pk) for s in state.statements if s.term == term and s.lang == lang and s.pk not in reused
            ]
            for index, value in enumerate(values):
                authority = _authority(value)
                if index < len(reusable):
                    previous = reusable[index]
                    position, pk = previous.position, previous.pk
                    # A record still to create is never the one a statement links to already.
                    if previous.value != value.value or previous.authority_id != authority or previous.target != value.target:
                        batch.changed_statements.append((plan.identifier, previous.pk, value.value, authority, value.target))
                else:
                    position, pk, next_position = next_position, 0, next_position + 1
                    batch.statements.append((plan.identifier, term, value.value, lang, authority, position, value.target))
                final.append((position, pk, term, value.value, authority))
        if plan.groups or "full_text" in plan.fields:
            self._prepare_document(plan, final, batch)

        values = dict(plan.fields)
        # Only from the terms they read: otherwise the caches stand, and an UPDATE that names
        # them (unchanged) costs the upkeep of their indexes (10,000 items: 0.37 s, 0.08 s without).
        if any(term in Item.DERIVING_TERMS for term, _ in plan.groups):
            values.update(self.deriver.derived_fields([_Value(term, value, position) for position, _, term, value, _ in final]))
        if plan.deferred_status:
            del values["status"]  # written by place(), which carries it down
        elif plan.fields.get("status") == Item.PUBLISHED:
            values["ever_published"] = True
        if plan.seen_by_harvesters:
            values["modified"] = self.now
        if values:
            names = tuple(sorted(values))
            batch.updates.setdefault(names, []).append((plan.identifier, tuple(values[name] for name in names)))

    def _prepare_document(self, plan, final, batch):
        """The search document of an updated item, as documents() will read it back: statements
        in the order of (position, id), where a new one comes last, since it gets the highest
        position and id. Its full text, if the file has no column for it, is read when written."""
        text = plan.fields["full_text"] if "full_text" in plan.fields else plan.existing.full_text
        document, authorities = Document(full_text=text), []
        for _, _, term, value, authority in sorted(final, key=lambda statement: statement[:2]):
            document.add(term, value)
            if authority:
                authorities.append(authority)
        batch.documents[plan.identifier] = (document, authorities)

    def _prepare_memberships(self, plan, batch):
        if plan.collections is None:
            return
        old = plan.existing.collections if plan.existing else set()
        batch.memberships += [(plan.identifier, pk) for pk in sorted(plan.collections - old)]
        batch.left_memberships += [(plan.identifier, pk) for pk in sorted(old - plan.collections)]

    def _prepare_tombstones(self, plan, batch, tops):
        """The rule of services.tombstone_sync: a tombstone exists while an item once published
        is not public (not published, or below a unit that is not). A unit whose status is
        written by place() gets its tombstone there, from Item.save(); so does a new unit under
        a parent, whose visibility is known only once it is placed."""
        state = plan.existing
        if plan.deferred_status:
            return
        if state is None:
            if plan.fields["status"] == Item.PUBLISHED and not plan.place.parent:
                batch.published.append(plan.identifier)
            return
        status = plan.fields.get("status", state.status)
        public = status == Item.PUBLISHED and state.ancestors_public
        if public and not state.is_public:
            batch.published.append(plan.identifier)
        elif state.is_public and not public:
            batch.hidden.append((plan.identifier, self._set_specs(plan)))
            top = state.ancestry.strip("/").split("/")[0]
            if top:
                tops[plan.identifier] = int(top)

    def _set_specs(self, plan):
        """The item's sets but the fonds it is in (prepare() adds that one)."""
        collections = plan.collections if plan.collections is not None else plan.existing.collections
        dcmi_type = plan.fields.get("dcmi_type", plan.existing.dcmi_type)
        return {self.collections.set_specs[pk] for pk in collections} | {f"{TYPE_SET}:{dcmi_type}"}

    # --- write: inside the transaction -----------------------------------------------------

    def write(self, batch):
        """Write a prepared batch. Raises CatalogueChanged, writing nothing, if one of its items
        is not as it was planned against."""
        batch = batch.without(self.skipped, self.item_columns.index("identifier"))
        if not batch:
            return
        self._check(batch.states)
        if self.history is not None:
            self.history.before([state.pk for state in batch.states.values() if state is not None])
        self._create_authorities(batch.authorities)
        pks = {identifier: state.pk for identifier, state in batch.states.items() if state is not None}
        pks.update(self._create_items(batch.items))
        self.facet_items.update(pks.values())
        if self.history is not None:
            self.history.written(pks.values())
        self._write_statements(batch, pks)
        self._write_memberships(batch, pks)
        self._ingest_files(batch.files, pks)
        self._update_items(batch.updates, pks)
        self._write_tombstones(batch, pks)
        self._index(batch.documents, pks)
        self._settle_tombstones()
        self.changed_items += len(batch)

    def place(self, arrangement):
        """Once every batch is written: put the units not placed yet in their places
        (placing.py). Raises CatalogueChanged if the catalogue changed so that a planned place
        is not valid now."""
        try:
            place(arrangement, self.skipped, self.following)
        except PlaceChanged as error:
            raise CatalogueChanged(str(error)) from error
        # After the places: placing writes the visibility of new units below a parent in bulk.
        facet_index.refresh(self.facet_items)

    def _check(self, states):
        """Raise CatalogueChanged unless every item is as planned (and a new one still absent).

        On PostgreSQL the items' rows are locked first, so that no edit slips in between this
        check and the writes; on SQLite the import's transaction already keeps out every writer,
        and where the database says no row changed since the rows were read (unchanged_mark),
        no batch's items are read again (10,000 items of a batch edit at a million: 0.4 s).
        """
        if self.checked:
            return
        if self.unchanged_mark is not None and sqlite.unchanged_mark() == self.unchanged_mark:
            self.checked = True
            return
        existing = [state.pk for state in states.values() if state is not None]
        if existing and connection.features.has_select_for_update:
            list(Item.objects.select_for_update().filter(pk__in=existing).values_list("pk"))
        with_full_text = any(state is not None and state.full_text is not None for state in states.values())
        found = load_items(list(states), with_full_text=with_full_text)
        for identifier, state in states.items():
            if found.get(identifier) != state:
                raise CatalogueChanged(identifier)

    def _create_authorities(self, records):
        for record in records:
            if record.pk is None:  # an earlier batch may have created it
                authority = Authority(kind=record.kind, preferred_label=record.label)
                authority.save()  # save(), not bulk_create: it gives the record a unique slug
                record.pk = authority.pk

    def _create_items(self, rows):
        """Insert the new items; their ids by identifier. Once the arrangement is finished (see
        csv.py), a new unit whose parent is written already goes in in its place
        (Arrangement._mark_eager); one whose parent is in the same batch goes in once its parent
        has, so the rows go in in waves, one per level the batch spans."""
        if not rows:
            return {}
        at = self.item_columns.index("identifier")
        arrangement = self.arrangement
        if arrangement is None:
            return self._insert(rows, at)
        parents = self._parents_in_catalogue(rows, at)
        pks, pending = {}, rows
        while pending:
            ready, later = [], []
            for row in pending:
                node = arrangement.nodes.get(row[at])
                if node is None or not node.eager:
                    ready.append(row)
                elif (parent := self.placed.get(node.parent) or parents.get(node.parent)) is not None:
                    ready.append(self._in_place(row, node, parent))
                else:
                    later.append(row)  # its parent is further on in this batch
            if not ready:
                raise AssertionError(f"no parent for {[row[at] for row in later][:5]}")
            written = self._insert(ready, at)
            pks.update(written)
            for row in ready:
                if row[at] in arrangement.eager_parents:
                    self.placed[row[at]] = self._written_parent(row, written[row[at]])
            pending = later
        return pks

    def _insert(self, rows, at):
        insert_rows(Item, self.item_columns, rows)
        return dict(Item.objects.filter(identifier__in=[row[at] for row in rows]).values_list("identifier", "pk"))

    def _parents_in_catalogue(self, rows, at):
        """The units of the catalogue that new units of `rows` go under, as _Parents, checked to
        stand where they stood when the file was planned (else CatalogueChanged); and the next
        free position under each of them counted."""
        arrangement, wanted = self.arrangement, {}
        for row in rows:
            node = arrangement.nodes.get(row[at])
            if node is None or not node.eager:
                continue
            above = arrangement.nodes.get(node.parent)
            if above is None:
                planned = arrangement.catalogue[node.parent]
                wanted[node.parent] = (planned.ancestry, planned.reference)
            elif above.pk:  # a unit the file moves: it goes under it where it is now
                wanted[node.parent] = (above.old_ancestry, above.old_reference)
        if not wanted:
            return {}
        found = {}
        units = Item.objects.filter(identifier__in=list(wanted)).values_list(
            "identifier", "pk", "ancestry", "reference", "status", "ancestors_public",
        )
        for identifier, pk, ancestry, reference, status, ancestors_public in units:
            if (ancestry, reference or identifier) != wanted[identifier]:
                raise CatalogueChanged(identifier)
            found[identifier] = _Parent(pk, f"{ancestry}{pk}/", reference or identifier, status == Item.PUBLISHED and ancestors_public)
        if len(found) < len(wanted):
            raise CatalogueChanged(", ".join(sorted(wanted.keys() - found.keys())))
        start_positions({parent.pk for parent in found.values()}, self.following)
        return found

    def _in_place(self, row, node, parent):
        """The row of a new unit with its place under `parent`, as Item.place() derives it."""
        values = dict(zip(self.item_columns, row))
        position = self.following.setdefault(parent.pk, 0)
        self.following[parent.pk] = position + 1
        values.update(
            parent_id=parent.pk, position=position, ancestry=parent.prefix,
            reference=f"{parent.reference}/{node.code}"[:255], ancestors_public=parent.public,
        )
        if values["status"] == Item.PUBLISHED:
            (self.shown_new if parent.public else self.hidden_new).append(node.identifier)
        return tuple(values[name] for name in self.item_columns)

    def _written_parent(self, row, pk):
        values = dict(zip(self.item_columns, row))
        public = values["status"] == Item.PUBLISHED and values["ancestors_public"]
        return _Parent(pk, f"{values['ancestry']}{pk}/", values["reference"], public)

    def _settle_tombstones(self):
        """The tombstones of new published units written in their place: none for a public one
        (an old item of the same identifier may have left one), and one made as Item.save()
        makes it (services.tombstone_sync) below a unit that is not public, once the unit's
        collections are written."""
        Tombstone.objects.filter(identifier__in=self.shown_new).delete()
        for unit in Item.objects.filter(identifier__in=self.hidden_new):
            tombstone_sync(unit)
        self.shown_new, self.hidden_new = [], []

    def _write_statements(self, batch, pks):
        if batch.deleted_statements:
            _delete_statements([pk for _, pk in batch.deleted_statements])
        targets = self._target_pks(batch)
        changed = [
            (pk, value, _id(authority), targets.get(target))
            for _, pk, value, authority, target in batch.changed_statements
        ]
        update_rows(Statement, ("value", "authority_id", "target_id"), changed)
        insert_rows(Statement, ("item_id", "term", "value", "lang", "authority_id", "position", "target_id"), [
            (pks[identifier], term, value, lang, _id(authority), position, targets.get(target))
            for identifier, term, value, lang, authority, position, target in batch.statements
        ])
        # Items named that are rows further on in the file, not written yet: linked at the end.
        self.unlinked += [
            ((pks[identifier], term, lang, position), target)
            for identifier, term, _value, lang, _authority, position, target in batch.statements
            if target is not None and target not in targets
        ]
        self.unlinked += [
            (pk, target) for _, pk, _value, _authority, target in batch.changed_statements
            if target is not None and target not in targets
        ]

    def _target_pks(self, batch):
        """{identifier: pk} of the items this batch's relations name that are written already:
        in the catalogue, or new in this batch or an earlier one. One query."""
        named = {row[6] for row in batch.statements if row[6]} | {row[4] for row in batch.changed_statements if row[4]}
        return dict(Item.objects.filter(identifier__in=named).values_list("identifier", "pk")) if named else {}

    def link_targets(self):
        """Link the relations whose item was a row further on in the file, once every batch is
        written. A row that was skipped (bad rows skipped) left no item: its relation stays text."""
        if not self.unlinked:
            return
        names = {target for _statement, target in self.unlinked}
        found = dict(Item.objects.filter(identifier__in=names).values_list("identifier", "pk"))
        by_pk = [(statement, found[target]) for statement, target in self.unlinked if isinstance(statement, int) and target in found]
        update_rows(Statement, ("target_id",), by_pk)
        for (item_id, term, lang, position), target in (
            (statement, target) for statement, target in self.unlinked if not isinstance(statement, int) and target in found
        ):
            Statement.objects.filter(item_id=item_id, term=term, lang=lang, position=position).update(target_id=found[target])
        self.unlinked = []

    def _write_memberships(self, batch, pks):
        through = Item.collections.through
        added = [(pks[identifier], collection_id) for identifier, collection_id in batch.memberships]
        insert_rows(through, ("item_id", "collection_id"), added)
        for identifier, collection_id in batch.left_memberships:
            through.objects.filter(item_id=pks[identifier], collection_id=collection_id).delete()

    def _ingest_files(self, files, pks):
        file_fields = [f.name for f in DigitalFile._meta.fields if isinstance(f, models.FileField)]
        for identifier, name, path in files:
            item = Item(pk=pks[identifier], identifier=identifier)
            item._state.adding, item._state.db = False, connection.alias
            with path.open("rb") as source:
                digital_file = imaging.ingest(item=item, file=source, name=name)
            self.stored_files += [stored.name for stored in (getattr(digital_file, f) for f in file_fields) if stored]

    def _update_items(self, updates, pks):
        for names, rows in updates.items():
            update_rows(Item, names, [(pks[identifier], *values) for identifier, values in rows])

    def _write_tombstones(self, batch, pks):
        # Records whose relations name the items shown or hidden now carry their addresses, or no
        # longer do (as receivers.item_saved has it for a single save).
        seen_otherwise = [*batch.published, *(identifier for identifier, _ in batch.hidden)]
        if seen_otherwise:
            citing = Statement.objects.filter(target__identifier__in=seen_otherwise).values("item_id")
            Item.objects.filter(pk__in=citing).update(modified=self.now)
        Tombstone.objects.filter(identifier__in=batch.published).delete()
        if not batch.hidden:
            return
        Tombstone.objects.filter(identifier__in=[identifier for identifier, _ in batch.hidden]).delete()
        Tombstone.objects.bulk_create([
            Tombstone(identifier=identifier, datestamp=self.now, item_id=pks[identifier], set_specs=set_specs)
            for identifier, set_specs in batch.hidden
        ])

    def _index(self, documents, pks):
        """Index items from their prepared documents: what documents() would read back from
        the rows just written. The full texts not known yet, and the linked records' labels, are
        read here, in the transaction, so that they are as they now stand."""
        found, linked = {}, {}
        for identifier, (document, authorities) in documents.items():
            pk = pks[identifier]
            found[pk], linked[pk] = document, [_id(authority) for authority in authorities]
        unknown = [pk for pk, document in found.items() if document.full_text is None]
        for pk, text in Item.objects.filter(pk__in=unknown).values_list("pk", "full_text"):
            found[pk].full_text = text
        missing = {pk for authority_ids in linked.values() for pk in authority_ids} - self.labels.keys()
        if missing:
            self.labels.update(authority_labels(missing))
        for pk, authority_ids in linked.items():
            found[pk].link(authority_ids, self.labels)
        index_documents(found)


def _authority(value):
    """A new value's record: an id, None, or the PendingAuthority of a record to create."""
    return value.pending if value.pending is not None else value.authority_id


def _id(authority):
    return authority.pk if isinstance(authority, PendingAuthority) else authority


class _Parent(NamedTuple):
    """What a new unit's place is derived from: its parent's id, the ancestry of the units
    below it, its reference code, and whether it is public."""

    pk: int
    prefix: str
    reference: str
    public: bool


class _Value(NamedTuple):
    """What Item.derived_fields reads of a statement."""

    term: str
    value: str
    position: int


def _delete_statements(pks):
    # A raw DELETE rather than QuerySet.delete(): the latter would send post_delete for each
    # statement, and its receivers recompute the item's caches once per statement, which this
    # writer does once per item. Nothing refers to a statement, so no cascade is skipped.
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), STATEMENT_BATCH):
            part = pks[start:start + STATEMENT_BATCH]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})", part)
