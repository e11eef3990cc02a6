"""Read every item's date again with today's parser (catalog/dates.py): open-ended intervals
(`1944/`, `/1945`) were given a made-up ten-year range that put false decades into the facet, and
Norwegian forms (`høsten 1944`, `udatert`) were kept as unreadable. Only the derived range
changes: the statements, and so the OAI datestamps, stay as they are."""
from django.db import migrations

CHUNK = 2000


def reread_dates(apps, schema_editor):
    from catalog import dates

    Item = apps.get_model("catalog", "Item")
    dated = Item.objects.exclude(date_text="").only("pk", "date_text", "date_earliest", "date_latest", "date_unparsed")
    changed = []
    for item in dated.iterator(chunk_size=CHUNK):
        parsed = dates.parse(item.date_text)
        values = (parsed.earliest, parsed.latest, False) if parsed else (None, None, True)
        if values != (item.date_earliest, item.date_latest, item.date_unparsed):
            item.date_earliest, item.date_latest, item.date_unparsed = values
            changed.append(item)
        if len(changed) >= CHUNK:
            Item.objects.bulk_update(changed, ["date_earliest", "date_latest", "date_unparsed"])
            changed = []
    Item.objects.bulk_update(changed, ["date_earliest", "date_latest", "date_unparsed"])


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0011_preference"),
    ]

    operations = [
        migrations.RunPython(reread_dates, migrations.RunPython.noop),
    ]
