"""The search index (catalog/search/): one table per engine, the same key for Django.

Django's state holds only the key (SearchEntry.item, column "rowid"); the searchable columns
are created here by engine, because SQLite and PostgreSQL do full-text search differently.
"""
import django.db.models.deletion
from django.db import migrations, models
from django.db.utils import NotSupportedError

# FTS5 keeps its own integer rowid, which is the item's id. The words arrive folded and split
# (catalog/search/text.py), so the tokenizer only has to cut at the spaces between them.
SQLITE = """
CREATE VIRTUAL TABLE catalog_search USING fts5(
    title, body, full_text, tokenize = 'unicode61 remove_diacritics 0'
)
"""

# The column is called rowid to match SQLite's key, so one Django field serves both engines.
POSTGRESQL = [
    """
    CREATE TABLE catalog_search (
        rowid bigint PRIMARY KEY REFERENCES catalog_item (id) ON DELETE CASCADE,
        vector tsvector NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX catalog_search_vector ON catalog_search USING gin (vector)",
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE)
    elif vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)
    else:
        raise NotSupportedError(
            f"Arkiv's search needs SQLite or PostgreSQL, not {vendor}: set DATABASE_URL to one of them."
        )


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP TABLE catalog_search")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0002_groups"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchEntry",
                    fields=[
                        ("item", models.OneToOneField(
                            db_column="rowid", on_delete=django.db.models.deletion.CASCADE,
                            primary_key=True, related_name="search_entry", serialize=False,
                            to="catalog.item",
                        )),
                    ],
                    options={"verbose_name_plural": "search entries", "db_table": "catalog_search"},
                ),
            ],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
    ]
