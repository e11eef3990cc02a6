"""The counts of each facet's keys, filled from the index as it stands."""
from django.db import migrations, models


def fill(apps, schema_editor):
    from catalog.facets import index

    index.recount()


class Migration(migrations.Migration):
    dependencies = [("facets", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="FacetCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("facet", models.CharField(max_length=20, verbose_name="facet")),
                ("key", models.CharField(max_length=255, verbose_name="key")),
                ("stripe", models.PositiveSmallIntegerField(default=0)),
                ("items", models.BigIntegerField(default=0, verbose_name="items")),
                ("changes", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "facet count",
                "verbose_name_plural": "facet counts",
                "constraints": [models.UniqueConstraint(fields=("facet", "key", "stripe"), name="facet_count_uniq")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
