"""Migration 0016_rights: the URI written inside a free-text rights statement becomes the item's
rights_uri, and back (tests/test_migrations.py's way: historical models, a real database)."""
from datetime import datetime, timezone

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE, AFTER = ("catalog", "0015_level_permissions"), ("catalog", "0016_rights")
CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
BY = "http://creativecommons.org/licenses/by/4.0/"
LONG_AGO = datetime(2020, 1, 1, tzinfo=timezone.utc)


def historical(migration, *models):
    apps = MigrationExecutor(connection).loader.project_state(migration).apps
    return [apps.get_model("catalog", model) for model in models]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations(transactional_db):
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def old_item(identifier, *rights):
    Item, Statement = historical(BEFORE, "Item", "Statement")
    item = Item.objects.create(identifier=identifier, dcmi_type="Text", modified=LONG_AGO, reference=identifier)
    Statement.objects.create(item=item, term="title", value=identifier, position=0)
    for position, value in enumerate(rights, start=1):
        Statement.objects.create(item=item, term="rights", value=value, lang="en", position=position)
    return item


def rights_texts(identifier):
    from catalog.models import Statement

    return list(Statement.objects.filter(item__identifier=identifier, term="rights").values_list("value", flat=True))


def test_a_uri_with_only_its_label_moves_into_the_field_and_the_text_goes(transactional_db):
    migrate(BEFORE)
    old_item("note", "Copyright not evaluated (http://rightsstatements.org/vocab/CNE/1.0/)")
    old_item("https-form", "https://rightsstatements.org/page/CNE/1.0/?language=en")
    old_item("short-name", "CC BY 4.0 <https://creativecommons.org/licenses/by/4.0>")

    migrate(AFTER)

    from catalog.models import Item

    assert dict(Item.objects.values_list("identifier", "rights_uri")) == {"note": CNE, "https-form": CNE, "short-name": BY}
    assert all(rights_texts(identifier) == [] for identifier in ("note", "https-form", "short-name"))
    assert not Item.objects.filter(modified=LONG_AGO).exists()  # harvesters fetch them again


def test_a_statement_that_says_more_stays_beside_the_uri(transactional_db):
    migrate(BEFORE)
    credit = "Photograph © Sør-Varanger Museum, licensed CC BY 4.0 (http://creativecommons.org/licenses/by/4.0/)"
    old_item("photo", credit, "Copyright not evaluated (http://rightsstatements.org/vocab/CNE/1.0/)")
    old_item("credit-only", "Photograph: Sør-Varanger Museum")
    old_item("elsewhere", "See http://example.org/vocab/CNE/1.0/")

    migrate(AFTER)

    from catalog.models import Item

    photo = Item.objects.get(identifier="photo")
    # The first URI wins; the statement naming another one is kept as the archivist wrote it.
    assert photo.rights_uri == BY
    assert rights_texts("photo") == [credit, "Copyright not evaluated (http://rightsstatements.org/vocab/CNE/1.0/)"]
    assert Item.objects.get(identifier="credit-only").rights_uri == ""
    assert rights_texts("credit-only") == ["Photograph: Sør-Varanger Museum"]
    assert Item.objects.get(identifier="elsewhere").rights_uri == ""
    assert Item.objects.get(identifier="credit-only").modified == LONG_AGO


def test_backwards_the_uri_goes_back_into_the_text_once(transactional_db):
    migrate(BEFORE)
    old_item("note", "Copyright not evaluated (http://rightsstatements.org/vocab/CNE/1.0/)")
    kept = "Licensed CC BY 4.0 by the museum (http://creativecommons.org/licenses/by/4.0/)"
    old_item("photo", kept)
    migrate(AFTER)

    migrate(BEFORE)

    [Statement] = historical(BEFORE, "Statement")
    texts = {
        identifier: list(Statement.objects.filter(item__identifier=identifier, term="rights").values_list("value", "lang"))
        for identifier in ("note", "photo")
    }
    assert texts == {"note": [("Copyright Not Evaluated (http://rightsstatements.org/vocab/CNE/1.0/)", "en")], "photo": [(kept, "en")]}
    # and forwards again, the same as the first time
    migrate(AFTER)
    from catalog.models import Item

    assert dict(Item.objects.values_list("identifier", "rights_uri")) == {"note": CNE, "photo": BY}
    assert rights_texts("note") == [] and rights_texts("photo") == [kept]


def test_a_catalogue_larger_than_a_batch_is_moved_whole_both_ways(transactional_db, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("catalog.migrations.0016_rights"), "BATCH", 2)
    migrate(BEFORE)
    for number in range(7):
        old_item(f"item-{number}", "Copyright not evaluated (http://rightsstatements.org/vocab/CNE/1.0/)",
                 *(["Licensed CC BY 4.0 by the museum (http://creativecommons.org/licenses/by/4.0/)"] if number % 3 else []))

    migrate(AFTER)

    from catalog.models import Item

    assert set(Item.objects.values_list("rights_uri", flat=True)) == {CNE}
    assert all(len(rights_texts(f"item-{number}")) == (1 if number % 3 else 0) for number in range(7))

    migrate(BEFORE)

    [Statement] = historical(BEFORE, "Statement")
    assert Statement.objects.filter(term="rights", value__contains="/CNE/").count() == 7
    assert Statement.objects.filter(term="rights").count() == 7 + 4
