"""Statements get an index on (authority, item), which replaces the foreign key's own index on
authority alone (its prefix): the items a record names are then counted from the index.

The foreign key's index is dropped by name rather than by AlterField, which on SQLite would copy
the whole statement table to change one index."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0017_statement_target"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(fields=["authority", "item"], name="statement_authority_item_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="statement",
                    name="authority",
                    field=models.ForeignKey(
                        blank=True, db_index=False,
                        help_text="The authority record this value stands for; outputs show its preferred label.",
                        null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="statements",
                        to="catalog.authority", verbose_name="authority record",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS catalog_statement_authority_id_53f6a03e",
                    reverse_sql="CREATE INDEX catalog_statement_authority_id_53f6a03e ON catalog_statement (authority_id)",
                ),
            ],
        ),
    ]
