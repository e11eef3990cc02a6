"""The table of the database cache (settings.CACHES), made by `migrate` like every other table.

`createcachetable` makes only the tables it does not find, so running it again (or after
Django's test runner made it) changes nothing.
"""
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0005_search_browse_indexes"),
    ]

    operations = [
        # Nothing to undo: the table holds only what can be counted again.
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True),
    ]
