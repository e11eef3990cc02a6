"""History: every write path records a change set; restore puts an item back exactly; a whole
import is undone as one, or refused while something it touched has changed since."""
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from catalog.history import recording, states
from catalog.history.models import ChangeSet
from catalog.history.restore import restore_version
from catalog.history.undo import Blocked, undo
from catalog.imports.csv import Options, PlanStore, import_csv
from catalog.models import Item, Statement, Tombstone
from catalog.services import authority_merge
from tests.admin.conftest import _fast_password_hashing, cataloguer, editor, editor_client, form_data  # noqa: F401  (fixtures)
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db


def run_import(tmp_path, text, **options):
    store = PlanStore(tmp_path / "plan.sqlite3")
    try:
        return import_csv(io.BytesIO(text.encode()), store=store, options=Options(**options), apply=True)
    finally:
        store.close()


def sources(item):
    return [version.revision.change_set.source for version in states.versions_of(item.pk)]


def statements(item):
    return list(Statement.objects.filter(item=item).order_by("position", "id").values_list(
        "term", "value", "lang", "authority_id", "target_id", "position"))


def test_an_admin_edit_is_one_change_set_with_the_item_as_it_stood_after_it(editor_client, editor):
    item = ItemFactory(identifier="kirkenes-001", title="Soviet soldiers")
    change = reverse("admin:catalog_item_change", args=[item.pk])
    data = form_data(editor_client.get(change))
    data["statements-0-value"] = "Soviet soldiers in Kirkenes"

    response = editor_client.post(change, data)

    assert response.status_code == 302
    # the item had no history: its state before the edit is recorded first, as a baseline
    assert sources(item) == [ChangeSet.ADMIN, ChangeSet.BASELINE]
    version = states.versions_of(item.pk).first()
    assert version.revision.user == editor
    assert version.revision.change_set.source == ChangeSet.ADMIN
    recorded = states.document_at(version)
    assert [s["value"] for s in recorded["statements"]] == ["Soviet soldiers in Kirkenes"]


def test_a_csv_import_is_one_change_set_and_records_what_it_changed_before_it(tmp_path):
    old = ItemFactory(identifier="kirkenes-001", title="Old title")

    result = run_import(tmp_path, "identifier,type,dc:title@en\nkirkenes-001,StillImage,New title\nkirkenes-002,Text,A letter\n")

    assert result.applied
    new = Item.objects.get(identifier="kirkenes-002")
    assert sources(new) == [ChangeSet.CSV_IMPORT]
    # the item changed had no history: its state before the import is recorded first
    assert sources(old) == [ChangeSet.CSV_IMPORT, ChangeSet.BASELINE]
    before, after = [states.document_at(v) for v in reversed(states.versions_of(old.pk))]
    assert [s["value"] for s in before["statements"]] == ["Old title"]
    assert [s["value"] for s in after["statements"]] == ["New title"]
    change_set = ChangeSet.objects.get(source=ChangeSet.CSV_IMPORT)
    assert change_set.items == 2


def test_the_import_command_records_its_change_set(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("identifier,type,dc:title\nnote-1,Text,A note\n")

    call_command("import_csv", str(path), verbosity=0)

    assert sources(Item.objects.get(identifier="note-1")) == [ChangeSet.CSV_IMPORT]
    assert ChangeSet.objects.get(source=ChangeSet.CSV_IMPORT).detail == "manage.py import_csv items.csv"


def test_a_merge_records_the_items_whose_statements_it_relinked():
    kept, merged = AuthorityFactory(preferred_label="Igor Diakonoff"), AuthorityFactory(preferred_label="I. Diakonov")
    item, merged_pk = ItemFactory(), merged.pk
    StatementFactory(item=item, term="creator", value="I. Diakonov", authority=merged)

    with recording.changes(source=ChangeSet.ADMIN):
        authority_merge(source=merged, target=kept)

    version, before = states.versions_of(item.pk)
    assert version.revision.change_set.source == ChangeSet.MERGE
    assert [s["authority"] for s in states.document_at(version)["statements"] if s["term"] == "creator"] == [kept.pk]
    assert [s["authority"] for s in states.document_at(before)["statements"] if s["term"] == "creator"] == [merged_pk]


def test_a_change_set_that_changed_nothing_is_not_recorded():
    item = ItemFactory()
    with recording.changes(source=ChangeSet.ADMIN):
        item.save()
    first = states.versions_of(item.pk).count()
    with recording.changes(source=ChangeSet.ADMIN):
        item.save()
    assert states.versions_of(item.pk).count() == first == 1


def described(item, agent, collection):
    StatementFactory(item=item, term="creator", value="Diakonoff", authority=agent, lang="", position=1)
    StatementFactory(item=item, term="description", value="Første", lang="nb", position=2)
    StatementFactory(item=item, term="description", value="First", lang="en", position=3)
    item.collections.add(collection)


def test_restore_puts_statements_order_languages_links_and_memberships_back_exactly(editor):
    agent, collection = AuthorityFactory(preferred_label="Igor Diakonoff"), CollectionFactory()
    item = ItemFactory(title="Soviet soldiers")
    with recording.changes(source=ChangeSet.ADMIN):
        described(item, agent, collection)
    wanted = statements(item)
    version = states.versions_of(item.pk).first()
    stamp = Item.objects.get(pk=item.pk).modified
    with recording.changes(source=ChangeSet.ADMIN):
        Statement.objects.filter(item=item, term="description").delete()
        Statement.objects.filter(item=item, term="creator").update(authority=None, lang="ru")
        StatementFactory(item=item, term="subject", value="War")
        item.collections.clear()

    restore_version(item=Item.objects.get(pk=item.pk), version=version, user=editor)

    item = Item.objects.get(pk=item.pk)
    assert statements(item) == wanted
    assert list(item.collections.all()) == [collection]
    assert item.modified > stamp  # the OAI datestamp moves
    assert sources(item)[0] == ChangeSet.RESTORE
    assert item.title == "Soviet soldiers"


def test_restoring_a_published_version_of_a_withdrawn_item_takes_the_publish_permission(cataloguer, editor):
    item = ItemFactory(status=Item.PUBLISHED)
    with recording.changes(source=ChangeSet.ADMIN):
        item.save()
    version = states.versions_of(item.pk).first()
    with recording.changes(source=ChangeSet.ADMIN):
        item.status = Item.WITHDRAWN
        item.save()
    assert Tombstone.objects.filter(identifier=item.identifier).exists()

    with pytest.raises(PermissionDenied):
        restore_version(item=Item.objects.get(pk=item.pk), version=version, user=cataloguer)
    restore_version(item=Item.objects.get(pk=item.pk), version=version, user=editor)

    assert Item.objects.get(pk=item.pk).status == Item.PUBLISHED
    assert not Tombstone.objects.filter(identifier=item.identifier).exists()  # the tombstone rule


def test_undo_of_an_import_deletes_what_it_created_and_puts_back_what_it_changed(tmp_path):
    old = ItemFactory(identifier="kirkenes-001", title="Old title")
    wanted = statements(old)
    run_import(tmp_path, "identifier,type,dc:title@en,dc:subject\nkirkenes-001,StillImage,New title,War\nkirkenes-002,Text,A letter,\n", create_authorities=True)
    revision = ChangeSet.objects.get(source=ChangeSet.CSV_IMPORT).revision

    undoing = undo(revision=revision)

    assert not Item.objects.filter(identifier="kirkenes-002").exists()
    assert statements(old) == [s[:5] + (s[5],) for s in wanted]
    assert Item.objects.get(pk=old.pk).title == "Old title"
    assert ChangeSet.objects.get(pk=revision.pk).undone_by == undoing
    assert undoing.change_set.source == ChangeSet.UNDO


def test_undo_is_refused_after_a_later_edit_and_says_which_item_blocks_it(tmp_path, editor):
    run_import(tmp_path, "identifier,type,dc:title\nkirkenes-001,StillImage,A title\nkirkenes-002,Text,A letter\n")
    revision = ChangeSet.objects.get(source=ChangeSet.CSV_IMPORT).revision
    item = Item.objects.get(identifier="kirkenes-002")
    with recording.changes(source=ChangeSet.ADMIN, user=editor):
        StatementFactory(item=item, term="subject", value="War")

    with pytest.raises(Blocked) as refused:
        undo(revision=revision)

    assert refused.value.count == 1
    assert "kirkenes-002" in refused.value.message()
    assert Item.objects.count() == 2  # nothing undone


def test_undo_is_refused_after_a_change_outside_recorded_history(tmp_path):
    run_import(tmp_path, "identifier,type,dc:title\nkirkenes-001,StillImage,A title\n")
    revision = ChangeSet.objects.get(source=ChangeSet.CSV_IMPORT).revision
    Statement.objects.filter(item__identifier="kirkenes-001").update(value="Edited in the shell")

    with pytest.raises(Blocked):
        undo(revision=revision)


def test_an_admin_edit_cannot_be_undone_as_a_change_set(editor):
    item = ItemFactory()
    with recording.changes(source=ChangeSet.ADMIN):
        item.save()
    with pytest.raises(ValidationError):
        undo(revision=states.versions_of(item.pk).first().revision)


def test_history_survives_the_purge_of_the_item():
    item = ItemFactory()
    with recording.changes(source=ChangeSet.ADMIN):
        item.save()
    pk = item.pk
    item.delete()
    assert states.versions_of(pk).count() == 1


def test_an_ead_import_is_recorded_as_one_ead_change_set(tmp_path):
    from catalog.imports.ead import import_ead
    from tests.imports.ead.conftest import ATOM

    store = PlanStore(tmp_path / "plan.sqlite3")
    try:
        with ATOM.open("rb") as stream:
            outcome = import_ead(stream, store=store, fonds_identifier="WLU", options=Options(), apply=True)
    finally:
        store.close()

    assert outcome.result.applied
    change_set = ChangeSet.objects.get()
    assert change_set.source == ChangeSet.EAD_IMPORT and change_set.items == 2
    assert sources(Item.objects.get(identifier="WLU")) == [ChangeSet.EAD_IMPORT]


def test_a_document_reads_back_as_the_standard_encoder_with_djangos_forms_wrote_it():
    """Versions written before orjson (DjangoJSONEncoder) and after it read back alike: dates,
    times with and without fractions, letters beyond ASCII."""
    import datetime
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from catalog.history.serializer import dumps, item_documents, loads

    item = ItemFactory(title="Kirkenes frigjort – Освобождение Киркенеса")
    document = item_documents([item.pk])[item.pk]
    document["fields"]["created"] = datetime.datetime(1944, 10, 25, 11, 30, 5, 123456, tzinfo=datetime.timezone.utc)
    document["fields"]["date_earliest"] = datetime.date(1944, 10, 25)
    before = DjangoJSONEncoder(ensure_ascii=False).encode([document])
    assert loads(dumps(document)) == json.loads(before)[0]
    assert loads(dumps(document))["fields"]["created"] == "1944-10-25T11:30:05.123Z"


def test_the_document_the_database_writes_is_the_items_rows_as_json(settings, tmp_path):
    """serialized_items lets the database write each whole document: it reads back as the rows
    themselves, encoded by Python, would (quotes, backslashes, line breaks, markup, letters
    beyond ASCII, links and their absence, both booleans, times with and without fractions, a
    fraction below a millisecond, one Python would round up if it rounded, dates and no date)."""
    import datetime
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from catalog.history.serializer import (
        FILE_FIELDS, STATEMENT_FIELDS, item_documents, item_field_names, serialized_items,
    )
    from catalog.models import DigitalFile
    from tests.factories import DigitalFileFactory

    settings.MEDIA_ROOT = tmp_path
    item = ItemFactory(title='«Kirkenes» "frigjort" \\ 1944\n<script>alert(1)</script>\tОсвобождение 🎖')
    other, bare = ItemFactory(), ItemFactory()
    record = AuthorityFactory()
    StatementFactory(item=item, term="subject", value="", authority=record, lang="")
    StatementFactory(item=item, term="isReferencedBy", value="", target=other)
    DigitalFileFactory(item=item, label='recto "1"', original_public=True)
    DigitalFileFactory(item=item, label="verso", original_public=False)
    item.collections.add(CollectionFactory(), CollectionFactory())
    utc = datetime.timezone.utc
    Item.objects.filter(pk=item.pk).update(
        created=datetime.datetime(1944, 10, 25, 11, 30, 5, tzinfo=utc),
        modified=datetime.datetime(1945, 9, 24, 23, 59, 59, 999999, tzinfo=utc),
        date_earliest=datetime.date(1944, 10, 25), date_latest=None,
    )
    Item.objects.filter(pk=other.pk).update(created=datetime.datetime(1945, 9, 25, 8, 0, 0, 500, tzinfo=utc))
    Item.objects.filter(pk=bare.pk).update(sort_title="")  # a version then goes by its identifier alone

    def rows(model, names, **where):
        fields = [model._meta.get_field(name).attname for name in names]
        return [dict(zip(names, values)) for values in model.objects.filter(**where).order_by("position", "id").values_list(*fields)]

    def expected(one):
        fields = Item.objects.filter(pk=one.pk).values(*item_field_names()).get()
        fields["collections"] = sorted(one.collections.values_list("pk", flat=True))
        document = {
            "model": "catalog.item", "pk": one.pk, "fields": fields,
            "statements": rows(Statement, STATEMENT_FIELDS, item=one), "files": rows(DigitalFile, FILE_FIELDS, item=one),
        }
        return json.loads(DjangoJSONEncoder(ensure_ascii=False).encode(document))

    serialized = serialized_items([item.pk, other.pk, bare.pk, 10**9])
    assert set(serialized) == {item.pk, other.pk, bare.pk}
    for one in (item, other, bare):
        assert json.loads(serialized[one.pk]) == expected(one)
    text = serialized[item.pk]
    assert json.loads(text)["fields"]["created"] == "1944-10-25T11:30:05Z"
    assert json.loads(text)["fields"]["modified"] == "1945-09-24T23:59:59.999Z"
    assert json.loads(serialized[other.pk])["fields"]["created"] == "1945-09-25T08:00:00.000Z"
    # == takes 1 for True: the booleans must be JSON's own.
    assert [f["original_public"] for f in json.loads(text)["files"]] == [True, False]
    assert all(type(f["original_public"]) is bool for f in json.loads(text)["files"])
    assert item_documents([item.pk, 10**9]) == {item.pk: expected(item)}
    # The import engine's versions: the same documents and labels, written by the database.
    from reversion.models import Version

    from catalog.history.bulk import new_revision, write_versions

    revision = new_revision(source=ChangeSet.BATCH_EDIT)
    assert write_versions(revision, [item.pk, bare.pk, 10**9]) == 2
    written = {int(v.object_id): v for v in Version.objects.filter(revision=revision)}
    assert set(written) == {item.pk, bare.pk}
    for one in (item, bare):
        assert json.loads(written[one.pk].serialized_data) == [expected(one)]
        assert written[one.pk].field_dict["identifier"] == one.identifier
    assert written[item.pk].object_repr == f"{item.identifier}: {Item.objects.get(pk=item.pk).sort_title}"
    assert written[bare.pk].object_repr == bare.identifier
