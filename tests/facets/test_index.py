"""The facet index is, after every kind of write, exactly what a rebuild makes of the catalogue."""
import io
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from catalog import rights, services
from catalog.arrangement import moves
from catalog.facets import index
from catalog.facets.models import FacetCount, FacetEntry
from catalog.imports.csv import Options, PlanStore, import_csv
from catalog.models import Authority, Collection, Item, Level, Statement
from catalog.oai import europeana
from tests.factories import (
    AuthorityFactory, CollectionFactory, DigitalFileFactory, ItemFactory, StatementFactory, VariantFactory,
)

pytestmark = pytest.mark.django_db


def rows():
    return sorted(FacetEntry.objects.values_list("item_id", "facet", "key"))


def counts():
    """{(facet, key): items} as FacetCount keeps them (the sum of the stripes), zeros left out."""
    summed = FacetCount.objects.values("facet", "key").annotate(total=Sum("items")).filter(total__gt=0)
    return {(row["facet"], row["key"]): row["total"] for row in summed}


def assert_true():
    """The index as the writes left it equals a fresh rebuild, and so do its counts; returns its rows."""
    kept, kept_counts = rows(), counts()
    assert kept_counts == Counter((facet, key) for _, facet, key in kept)
    index.rebuild()
    assert kept == rows() and kept_counts == counts()
    return kept


def keys(item, facet):
    return sorted(FacetEntry.objects.filter(item=item, facet=facet).values_list("key", flat=True))


def described(status=Item.PUBLISHED, **fields):
    """A published item with a subject, a creator, a place, a language and a date."""
    item = ItemFactory(status=status, **fields)
    StatementFactory(item=item, term="title", value="Bridge at Jakobselv")
    StatementFactory(item=item, term="created", value="1944-10-25")
    StatementFactory(item=item, term="language", value="nb")
    for term, kind in (("subject", Authority.CONCEPT), ("creator", Authority.AGENT), ("spatial", Authority.PLACE)):
        record = AuthorityFactory(kind=kind)
        StatementFactory(item=item, term=term, value=record.preferred_label, authority=record)
    return item


@pytest.fixture
def catalogue():
    top = CollectionFactory(identifier="finnmark")
    child = CollectionFactory(identifier="kirkenes", parent=top)
    item = described(rights_uri="http://creativecommons.org/publicdomain/zero/1.0/")
    item.collections.add(child)
    return item, top, child


def test_an_item_described_in_the_admin_has_a_row_for_each_value_it_is_counted_under(catalogue):
    item, top, child = catalogue
    assert_true()
    assert keys(item, "collection") == sorted([str(top.pk), str(child.pk)])
    assert keys(item, "decade") == ["1940"] and keys(item, "language") == ["nb"]
    assert keys(item, "type") == ["StillImage"] and keys(item, "has_file") == ["false"]
    assert keys(item, "reuse") == ["free"] and keys(item, "level") == ["item"]
    assert len(keys(item, "subject")) == len(keys(item, "agent")) == len(keys(item, "place")) == 1


def test_statements_edited_and_deleted(catalogue):
    item = catalogue[0]
    date = item.statements.get(term="created")
    date.value = "1952"
    date.save()
    item.statements.get(term="subject").delete()
    StatementFactory(item=item, term="language", value="ru")
    assert keys(assert_true() and item, "decade") == ["1950"]
    assert keys(item, "subject") == [] and keys(item, "language") == ["nb", "ru"]


def test_publish_withdraw_and_delete(catalogue):
    item = catalogue[0]
    draft = described(status=Item.DRAFT)
    assert keys(draft, "type") == []
    services.item_publish(item=draft)
    assert keys(draft, "type") == ["StillImage"]
    services.item_withdraw(item=item)
    assert keys(item, "type") == []
    assert_true()
    pk = draft.pk
    draft.delete()
    assert not FacetEntry.objects.filter(item_id=pk).exists()
    assert_true()


def test_fields_of_the_item_itself(catalogue):
    item = catalogue[0]
    item.dcmi_type = "Text"
    item.rights_uri = ""
    item.level = Level.objects.get(code="file")
    item.save()
    assert keys(item, "type") == ["Text"] and keys(item, "reuse") == ["unknown"] and keys(item, "level") == ["file"]
    DigitalFileFactory(item=item)
    assert keys(item, "has_file") == ["true"]
    item.files.get().delete()
    assert keys(item, "has_file") == ["false"]
    assert_true()


def test_collection_memberships_from_either_side_and_the_tree(catalogue):
    item, top, child = catalogue
    other = CollectionFactory(identifier="vardo")
    other.items.add(item)
    assert str(other.pk) in keys(item, "collection")
    other.items.remove(item)
    child.items.clear()
    assert keys(item, "collection") == []
    item.collections.set([child])
    # The branch moved under another collection: its members are counted there instead.
    child.parent = other
    child.save()
    assert keys(item, "collection") == sorted([str(other.pk), str(child.pk)])
    assert_true()
    item.collections.clear()
    assert keys(item, "collection") == []
    item.collections.add(child)
    child.delete()
    assert keys(item, "collection") == []
    assert_true()


def test_authority_records_renamed_merged_and_deleted(catalogue):
    item = catalogue[0]
    subject = item.statements.get(term="subject").authority
    subject.preferred_label = "Liberation of Finnmark"
    subject.save()
    VariantFactory(authority=subject, label="Frigjøringen")
    other = AuthorityFactory(kind=Authority.CONCEPT)
    second = described()
    StatementFactory(item=second, term="subject", value="x", authority=other)
    services.authority_merge(source=other, target=subject)
    assert str(subject.pk) in keys(second, "subject") and str(other.pk) not in keys(second, "subject")
    assert_true()
    place = item.statements.get(term="spatial").authority
    place.delete()
    assert keys(item, "place") == []
    assert_true()


def test_arrangement_moves_that_hide_and_show_a_subtree():
    fonds = ItemFactory(status=Item.PUBLISHED, identifier="fonds")
    series = ItemFactory(status=Item.PUBLISHED, identifier="series", parent=fonds)
    below = described(parent=series)
    assert keys(below, "type") == ["StillImage"]
    hidden = ItemFactory(status=Item.DRAFT, identifier="drafts")
    moves.move(series, parent=hidden)
    assert keys(below, "type") == [] and keys(series, "type") == []
    assert_true()
    moves.move(Item.objects.get(pk=series.pk), parent=fonds)
    assert keys(below, "type") == ["StillImage"]
    fonds.refresh_from_db()
    services.item_withdraw(item=fonds)
    assert keys(below, "type") == [] and keys(series, "type") == []
    assert_true()


def test_a_level_renamed_renames_its_units_rows():
    item = described(level=Level.objects.get(code="file"))
    level = Level.objects.get(code="file")
    level.code = "dossier"
    level.save()
    assert keys(item, "level") == ["dossier"]
    assert_true()


def test_a_csv_import_creates_and_updates_rows(tmp_path, settings):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"
    CollectionFactory(identifier="finnmark")
    old = described(identifier="kir-002")
    data = (
        "identifier,type,status,collections,dc:title@en,dcterms:created,dc:language\n"
        "kir-001,StillImage,published,finnmark,Bridge at Jakobselv,circa 1945,nb\n"
        "kir-002,Text,published,,Note,1961,ru\n"
        "kir-003,Text,draft,,Draft,1961,ru\n"
    ).encode()
    store = PlanStore(tmp_path / "plan.sqlite3")
    try:
        result = import_csv(io.BytesIO(data), store=store, options=Options(), apply=True)
    finally:
        store.close()
    assert result.applied, result
    new = Item.objects.get(identifier="kir-001")
    assert keys(new, "collection") == [str(Collection.objects.get(identifier="finnmark").pk)]
    assert keys(new, "decade") == ["1940"] and keys(old, "type") == ["Text"] and keys(old, "language") == ["ru"]
    assert keys(Item.objects.get(identifier="kir-003"), "type") == []
    assert_true()


def test_a_fixture_load_and_the_demo_catalogue():
    call_command("load_demo", verbosity=0, stdout=StringIO())
    assert Item.objects.published().exists()
    found = assert_true()
    assert {facet for _, facet, _ in found} >= {"type", "collection", "subject", "agent", "place", "language", "decade"}


def test_the_command_rebuilds_and_migrate_fills_an_empty_index(catalogue):
    FacetEntry.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert FacetEntry.objects.filter(item=catalogue[0]).exists()
    Statement.objects.filter(item=catalogue[0], term="language").update(value="sv")  # bypasses the signals
    out = StringIO()
    call_command("rebuild_facet_index", stdout=out)
    assert "Facet index:" in out.getvalue() and keys(catalogue[0], "language") == ["sv"]


def test_the_authority_facets_count_the_terms_the_browse_filters_by():
    from catalog.site import filters

    assert index.AUTHORITY_TERMS == {
        "subject": filters.SUBJECT_TERMS, "agent": filters.AGENT_TERMS, "place": filters.PLACE_TERMS,
    }


def test_a_version_restored_from_the_history(catalogue):
    from django.contrib.auth.models import User

    from catalog.history import recording, states
    from catalog.history.models import ChangeSet
    from catalog.history.restore import restore_version

    item = catalogue[0]
    with recording.changes(source=ChangeSet.ADMIN):
        StatementFactory(item=item, term="language", value="se")
    version = states.versions_of(item.pk).first()
    with recording.changes(source=ChangeSet.ADMIN):
        date = item.statements.get(term="created")
        date.value = "1962"
        date.save()
    assert keys(item, "decade") == ["1960"]
    editor = User.objects.create_superuser("restorer", "restorer@example.org", "x")
    restore_version(item=Item.objects.get(pk=item.pk), version=version, user=editor)
    assert keys(item, "decade") == ["1940"] and keys(item, "language") == ["nb", "se"]
    assert_true()


def admitted_by_rules():
    """The published items Europeana's rules take, asked of the statements themselves."""
    return set(Item.objects.published().filter(europeana.rules()).values_list("pk", flat=True))


def admitted_by_index():
    return set(FacetEntry.objects.filter(facet=europeana.FACET, key=europeana.ADMITTED).values_list("item_id", flat=True))


def test_the_europeana_row_follows_the_rules_through_each_edit(catalogue):
    item = catalogue[0]
    item.dcmi_type = "Text"
    item.save()
    assert keys(item, europeana.FACET) == [europeana.ADMITTED]
    item.rights_uri = "http://rightsstatements.org/vocab/InC-NC/1.0/"  # a statement Europeana refuses
    item.save()
    assert keys(item, europeana.FACET) == []
    item.rights_uri = "http://creativecommons.org/licenses/by/4.0/"
    item.save()
    assert keys(item, europeana.FACET) == [europeana.ADMITTED]
    item.statements.filter(term="language").delete()  # a text needs its language
    assert keys(item, europeana.FACET) == []
    item.dcmi_type = "StillImage"  # an image does not
    item.save()
    assert keys(item, europeana.FACET) == [europeana.ADMITTED]
    item.statements.filter(term="title").update(value="   ")
    Statement.objects.get(item=item, term="created").save()  # any statement's save refreshes its item
    assert keys(item, europeana.FACET) == []
    item.dcmi_type = "Collection"  # no edm:type
    item.save()
    assert keys(item, europeana.FACET) == [] and admitted_by_index() == admitted_by_rules()
    assert_true()


def test_the_europeana_rows_equal_the_rules_on_a_generated_catalogue_and_fill_writes_them_again():
    call_command("generate_catalog", 300, seed=8, verbosity=0, stdout=io.StringIO())
    every_rights = [""] + [statement.uri for statement in rights.STATEMENTS]
    for n, item in enumerate(Item.objects.published().order_by("pk")[:120]):
        item.rights_uri = every_rights[n % len(every_rights)]
        item.save()
    taken = admitted_by_rules()
    assert 0 < len(taken) < Item.objects.published().count()
    assert admitted_by_index() == taken
    assert europeana.admitted_count() == len(taken)
    kept, kept_counts = rows(), counts()
    FacetEntry.objects.filter(facet=europeana.FACET).delete()  # as before the facet existed (migration 0004)
    FacetCount.objects.filter(facet=europeana.FACET).delete()
    index.fill(europeana.FACET)
    assert rows() == kept and counts() == kept_counts
    assert_true()
