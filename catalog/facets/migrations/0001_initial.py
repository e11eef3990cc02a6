"""The facet index and the catalogue version, filled from the catalogue as it stands: a
catalogue made before them (a cached benchmark catalogue, a live archive) is indexed by its
migrate."""
import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    # The index's own writer, not a historical copy: the rows are plain SQL over the catalogue's
    # tables, which this migration's dependency fixes, and must be exactly what later writes make.
    from catalog.facets import index, version

    version.ensure_rows(apps.get_model("facets", "CatalogueVersion"))
    index.rebuild(counts=False)  # their table comes with 0002


class Migration(migrations.Migration):
    initial = True

    dependencies = [("catalog", "0017_statement_target")]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                ("stripe", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("number", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "catalogue version", "verbose_name_plural": "catalogue versions"},
        ),
        migrations.CreateModel(
            name="FacetEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("facet", models.CharField(max_length=20, verbose_name="facet")),
                ("key", models.CharField(max_length=255, verbose_name="key")),
                ("item", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.item")),
            ],
            options={
                "verbose_name": "facet index entry",
                "verbose_name_plural": "facet index entries",
                "indexes": [models.Index(fields=["facet", "key", "item"], name="facet_key_item_idx")],
                "constraints": [models.UniqueConstraint(fields=("item", "facet", "key"), name="facet_item_key_uniq")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
