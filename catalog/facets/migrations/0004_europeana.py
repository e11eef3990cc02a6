"""The edm format's condition moves into the facet index (catalog/oai/europeana.py): the rows of
items Europeana would take are written for a catalogue indexed before."""
from django.db import migrations


def fill(apps, schema_editor):
    from catalog.facets import index

    index.fill("europeana")


class Migration(migrations.Migration):

    dependencies = [
        ('facets', '0003_facetchange'),
        ('catalog', '0017_statement_target'),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
