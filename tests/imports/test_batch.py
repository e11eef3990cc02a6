"""Batch edits through the import engine: the preview's plan is what is applied, a failing row
changes nothing, each edit is one change set that is undone as one."""
import pytest

from catalog.history import states
from catalog.history.models import ChangeSet
from catalog.history.undo import undo
from catalog.imports import batch
from catalog.imports.batch import BatchEdit, BatchEditError, run_batch
from catalog.imports.csv import PlanStore
from catalog.models import Authority, Item, Statement
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, StatementFactory
from tests.imports.conftest import catalogue_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(tmp_path):
    stores = []

    def make():
        stores.append(PlanStore(tmp_path / f"plan-{len(stores)}.sqlite3"))
        return stores[-1]
    yield make
    for opened in stores:
        opened.close()


def items(n, **fields):
    return [ItemFactory(identifier=f"photo-{i:04d}", **fields) for i in range(n)]


def values(item, term):
    return list(Statement.objects.filter(item=item, term=term).order_by("position", "id")
                .values_list("value", "lang", "authority_id"))


def test_adding_a_subject_to_300_items_applies_exactly_the_preview_and_is_one_change_set(store):
    war = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War")
    fishing = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Fishing")
    selected = items(300)
    StatementFactory(item=selected[0], term="subject", value="Fishing", authority=fishing, lang="")
    StatementFactory(item=selected[1], term="subject", value="War", authority=war, lang="")  # has it already
    edit = BatchEdit(operation=batch.ADD_LINK, term="subject", authority=war)
    pks = [item.pk for item in selected]

    preview = run_batch(edit, pks, store=(plan := store()))
    changes = plan.entries(["update"], limit=5)
    applied = run_batch(edit, pks, store=store(), apply=True, expected_digest=preview.digest)

    assert preview.counts == {"create": 0, "update": 299, "unchanged": 1, "error": 0}
    assert changes[0]["identifier"] == "photo-0000"
    assert changes[0]["changes"][0]["column"] == "dc:subject"
    assert changes[0]["changes"][0]["old"] == ["Fishing"] and changes[0]["changes"][0]["new"][-1] == "War <war>"
    assert applied.applied and applied.changed_items == 299
    assert values(selected[0], "subject") == [("Fishing", "", fishing.pk), ("War", "", war.pk)]
    assert values(selected[1], "subject") == [("War", "", war.pk)]
    assert all(values(item, "subject") == [("War", "", war.pk)] for item in selected[2:])
    change_set = ChangeSet.objects.get(source=ChangeSet.BATCH_EDIT)
    assert change_set.items == 299 and "subject" in change_set.detail


def test_preview_equals_what_is_applied(store):
    selected = items(5)
    StatementFactory(item=selected[0], term="description", value="Kirkenes 1944", lang="en")
    edit = BatchEdit(operation=batch.REPLACE, term="description", find="1944", replace="1945")
    preview = run_batch(edit, [i.pk for i in selected], store=(plan := store()))
    planned = plan.entries(["update"])

    run_batch(edit, [i.pk for i in selected], store=store(), apply=True, expected_digest=preview.digest)

    assert [entry["identifier"] for entry in planned] == ["photo-0000"]
    assert planned[0]["changes"][0]["new"] == ["Kirkenes 1945"]
    assert values(selected[0], "description") == [("Kirkenes 1945", "en", None)]


def test_a_plan_that_changed_since_the_preview_is_not_applied(store):
    selected = items(2)
    edit = BatchEdit(operation=batch.REPLACE, term="title", find="photo", replace="Photo")
    preview = run_batch(edit, [i.pk for i in selected], store=store())
    Statement.objects.filter(item=selected[0], term="title").update(value="Edited meanwhile")

    result = run_batch(edit, [i.pk for i in selected], store=store(), apply=True, expected_digest=preview.digest)

    assert not result.applied
    assert values(selected[0], "title") == [("Edited meanwhile", "en", None)]


def test_a_row_failing_halfway_changes_nothing(store):
    selected = items(1200)
    StatementFactory(item=selected[1100], term="created", value="1944-10-25")
    for item in selected[:1100]:
        StatementFactory(item=item, term="created", value="1944-10-25")
    before = catalogue_state()
    # 1944 → 19x4 is no date: the 1,101st item's row fails, and so nothing is written
    edit = BatchEdit(operation=batch.REPLACE, term="created", find="1944-10-25", replace="19x4", use_regex=False)
    edit_ok = [i.pk for i in selected]

    result = run_batch(edit, edit_ok, store=store(), apply=True)

    assert not result.applied and result.counts["error"] == 1101
    assert catalogue_state() == before
    assert not ChangeSet.objects.filter(source=ChangeSet.BATCH_EDIT).exists()


def test_regular_expressions_replace_with_groups_and_a_literal_replacement_stays_literal(store):
    item = ItemFactory(title="Kirkenes, 1944")
    run_batch(BatchEdit(operation=batch.REPLACE, term="title", find=r"(\w+), (\d+)", replace=r"\2: \1", use_regex=True),
              [item.pk], store=store(), apply=True)
    assert values(item, "title") == [("1944: Kirkenes", "en", None)]
    run_batch(BatchEdit(operation=batch.REPLACE, term="title", find="1944", replace=r"\1"), [item.pk], store=store(), apply=True)
    assert values(item, "title") == [(r"\1: Kirkenes", "en", None)]


def test_a_bad_or_runaway_pattern_is_refused_and_changes_nothing(store):
    item = ItemFactory(title="a" * 40 + "!")
    with pytest.raises(BatchEditError):
        BatchEdit(operation=batch.REPLACE, term="title", find="(unclosed", use_regex=True)

    result = run_batch(BatchEdit(operation=batch.REPLACE, term="title", find=r"(a|aa)+$", replace="b", use_regex=True),
                       [item.pk], store=(plan := store()), apply=True)

    assert not result.applied and not result.readable
    assert "took too long" in plan.errors()[0]["message"]
    assert values(item, "title") == [("a" * 40 + "!", "en", None)]


def test_removing_a_record_keeps_the_other_values_in_their_order(store):
    war, fishing = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War"), AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Fishing")
    item = ItemFactory()
    StatementFactory(item=item, term="subject", value="Fishing", authority=fishing, lang="nb", position=1)
    StatementFactory(item=item, term="subject", value="Krig", authority=war, lang="nb", position=2)
    StatementFactory(item=item, term="subject", value="Boats", lang="", position=3)

    run_batch(BatchEdit(operation=batch.REMOVE_LINK, term="subject", authority=war), [item.pk], store=store(), apply=True)

    assert values(item, "subject") == [("Fishing", "nb", fishing.pk), ("Boats", "", None)]


def test_collections_and_rights_are_added_and_removed(store):
    kept, added = CollectionFactory(identifier="finnmark"), CollectionFactory(identifier="press")
    item = ItemFactory()
    item.collections.add(kept)
    cc0 = "http://creativecommons.org/publicdomain/zero/1.0/"

    run_batch(BatchEdit(operation=batch.ADD_COLLECTION, collection=added), [item.pk], store=store(), apply=True)
    run_batch(BatchEdit(operation=batch.SET_RIGHTS, rights_uri=cc0), [item.pk], store=store(), apply=True)
    assert set(item.collections.values_list("identifier", flat=True)) == {"finnmark", "press"}
    assert Item.objects.get(pk=item.pk).rights_uri == cc0

    run_batch(BatchEdit(operation=batch.REMOVE_COLLECTION, collection=kept), [item.pk], store=store(), apply=True)
    run_batch(BatchEdit(operation=batch.REMOVE_RIGHTS, rights_uri=cc0), [item.pk], store=store(), apply=True)
    assert list(item.collections.values_list("identifier", flat=True)) == ["press"]
    assert Item.objects.get(pk=item.pk).rights_uri == ""


def test_setting_a_language_changes_only_the_values_without_one(store):
    item = ItemFactory()
    StatementFactory(item=item, term="description", value="Bridge", lang="en", position=1)
    StatementFactory(item=item, term="description", value="Brua", lang="", position=2)
    StatementFactory(item=item, term="description", value="Kaia", lang="", position=3)

    run_batch(BatchEdit(operation=batch.SET_LANGUAGE, term="description", lang="nb"), [item.pk], store=store(), apply=True)

    assert sorted(values(item, "description")) == [("Bridge", "en", None), ("Brua", "nb", None), ("Kaia", "nb", None)]
    assert [v for v, lang, _ in values(item, "description") if lang == "nb"] == ["Brua", "Kaia"]


def test_a_batch_edit_is_undone_as_one(store):
    war = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War")
    selected = items(20)
    before = {item.pk: values(item, "subject") for item in selected}
    run_batch(BatchEdit(operation=batch.ADD_LINK, term="subject", authority=war), [i.pk for i in selected], store=store(), apply=True)
    change_set = ChangeSet.objects.get(source=ChangeSet.BATCH_EDIT)

    undo(revision=change_set.revision)

    assert {item.pk: values(item, "subject") for item in selected} == before
    assert all(states.versions_of(item.pk).first().revision.change_set.source == ChangeSet.UNDO for item in selected)


def test_a_cataloguers_batch_edit_of_published_items_publishes_nothing(store, django_user_model):
    from django.contrib.auth.models import Group

    cataloguer = django_user_model.objects.create_user("c", is_staff=True)
    cataloguer.groups.add(Group.objects.get(name="Cataloguer"))
    selected = items(3, status=Item.DRAFT)
    war = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War")

    result = run_batch(BatchEdit(operation=batch.ADD_LINK, term="subject", authority=war), [i.pk for i in selected],
                       store=store(), user=cataloguer, apply=True)

    assert result.applied
    assert set(Item.objects.values_list("status", flat=True)) == {Item.DRAFT}
    assert batch.OPERATIONS == tuple(op for op in batch.OPERATIONS if "publish" not in op and "status" not in op)


def test_a_preview_reads_each_items_statements_once(store):
    """The rows are written from each item's state, and planned against that same state
    (Planner.known_states): the statements of a chunk of items are read once, not twice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    war = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War")
    pks = [item.pk for item in items(30)]
    with CaptureQueriesContext(connection) as queries:
        preview = run_batch(BatchEdit(operation=batch.ADD_LINK, term="subject", authority=war), pks, store=store())
    assert preview.counts["update"] == 30
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "catalog_statement"' in q["sql"] and "SELECT" in q["sql"]]
    assert len(reads) == 1, reads


def test_the_items_caches_are_written_only_when_an_edit_touches_what_they_are_made_from(store):
    """Sort title and dates come from titles and dates: a subject added leaves their columns out
    of the UPDATE (whose index upkeep cost more than the edit), a title replaced rewrites them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    war = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="War")
    selected = items(3, title="Kirkenes 1944", status=Item.PUBLISHED)
    Statement.objects.create(item=selected[0], term="created", value="1944-10-25", position=5)
    selected[0].refresh_derived()
    pks = [item.pk for item in selected]
    with CaptureQueriesContext(connection) as queries:
        run_batch(BatchEdit(operation=batch.ADD_LINK, term="subject", authority=war), pks, store=store(), apply=True)
    # (Django logs an executemany as "3 times: UPDATE …")
    updates = [q["sql"] for q in queries.captured_queries if 'UPDATE "catalog_item"' in q["sql"]]
    assert updates and not any("sort_title" in sql or "date_earliest" in sql for sql in updates), updates

    run_batch(BatchEdit(operation=batch.REPLACE, term="title", find="Kirkenes", replace="Vardø"), pks, store=store(), apply=True)
    for item in Item.objects.filter(pk__in=pks):
        derived = item.derived_fields(item.statements.all())
        assert item.sort_title == "Vardø 1944" == derived["sort_title"]
        assert (item.date_earliest, item.date_latest, item.date_text) == (
            derived["date_earliest"], derived["date_latest"], derived["date_text"])
    assert str(Item.objects.get(pk=pks[0]).date_earliest) == "1944-10-25"
