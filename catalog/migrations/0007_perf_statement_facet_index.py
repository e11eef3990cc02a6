"""A covering index for the browse's record facets (subject, person or organisation, place).

Counting them reads the statements of every matching item by item and term, and needs only
their authority; with the authority in the index the statement rows are never read (100,000
items on SQLite: about a third less CPU per facet counted afresh).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0006_perf_cache_table'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['item', 'term', 'authority'], name='statement_facet_idx'),
        ),
    ]
