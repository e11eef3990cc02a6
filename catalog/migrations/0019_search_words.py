"""The words of the SQLite search index, in a table of their own (catalog/search/vocabulary.py),
filled from the index's own list of its words. PostgreSQL's index needs no such table."""
from django.db import migrations

TABLE = "CREATE TABLE catalog_search_word (word TEXT PRIMARY KEY) WITHOUT ROWID"
# fts5vocab reads every word's list of items once: 18 s at a million items (the benchmark catalogue).
FILL = [
    "CREATE VIRTUAL TABLE temp.catalog_search_terms USING fts5vocab(main, catalog_search, 'row')",
    "INSERT INTO catalog_search_word (word) SELECT term FROM temp.catalog_search_terms",
    "DROP TABLE temp.catalog_search_terms",
]


def create_words(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in [TABLE, *FILL]:
            schema_editor.execute(statement)


def drop_words(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE catalog_search_word")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0018_statement_authority_item_index"),
    ]

    operations = [migrations.RunPython(create_words, drop_words)]
