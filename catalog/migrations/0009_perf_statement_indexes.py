from django.db import migrations, models

# The index Django made for the item foreign key (the same name on SQLite and PostgreSQL).
ITEM_INDEX = "catalog_statement_item_id_3f08a38f"


class Migration(migrations.Migration):
    """Two indexes of the statements that statement_facet_idx (item, term, authority) makes
    redundant, since it begins with the same columns; each cost a write per statement.

    The foreign key keeps its constraint: only its index goes. The index is dropped by name
    rather than by altering the field, which on SQLite would copy the whole statement table.
    """

    dependencies = [
        ("catalog", "0008_perf_recent_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="statement", name="catalog_sta_item_id_963823_idx"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="statement",
                    name="item",
                    field=models.ForeignKey(
                        db_index=False, on_delete=models.deletion.CASCADE, related_name="statements", to="catalog.item",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{ITEM_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{ITEM_INDEX}" ON "catalog_statement" ("item_id")',
                ),
            ],
        ),
    ]
