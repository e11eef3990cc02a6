"""The log of changed index rows (catalog/facets/changes.py), begun with a marker: its first token
needs an entry to name."""
from django.db import migrations, models


def begin(apps, schema_editor):
    from catalog.facets import changes

    changes.log_everything()


class Migration(migrations.Migration):

    dependencies = [
        ('facets', '0002_facetcount'),
    ]

    operations = [
        migrations.CreateModel(
            name='FacetChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item_id', models.BigIntegerField(null=True)),
                ('rows', models.TextField(default='')),
                ('xid', models.BigIntegerField(null=True)),
                ('created', models.FloatField(db_index=True)),
            ],
            options={
                'verbose_name': 'facet change',
                'verbose_name_plural': 'facet changes',
                'indexes': [models.Index(fields=['xid'], name='facet_change_xid_idx')],
            },
        ),
        migrations.RunPython(begin, migrations.RunPython.noop, elidable=True),
    ]
