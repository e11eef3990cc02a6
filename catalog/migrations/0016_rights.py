"""Rights as data: an item's (and a digital file's) rights statement or licence is a URI of the
controlled list (catalog/rights.py), no longer only text.

The data step reads the URI an archivist wrote inside a free-text rights statement ("Copyright
not evaluated (http://rightsstatements.org/vocab/CNE/1.0/)") into the item's field. A statement
that said nothing but the URI and its label (or short name) goes, since the field now says it;
one that says more ("Photograph © Sør-Varanger Museum, CC BY 4.0 (…)") stays as written. The
datestamps of the items it changes move, so harvesters fetch them again. Backwards, an item's URI
goes back into the text as "<label> (<uri>)" where no statement names it.
"""
import re

from django.db import migrations, models
from django.db.models import Max
from django.utils import timezone, translation

import catalog.rights
from catalog import rights

BATCH = 1000


def says_no_more(text, written, uri):
    """Whether `text` is only the URI (as `written`) with its label or short name around it."""
    rest = re.sub(r"[\s()\[\]<>.,;:–—-]+", " ", text.replace(written, " ")).strip().casefold()
    with translation.override("en"):
        version = re.search(r"/(\d\.\d)/$", uri)[1]
        short = rights.short_name(uri)
        names = {"", str(rights.get(uri).label), short, f"{short} {version}"}
    return rest in {re.sub(r"[\s()\[\]<>.,;:–—-]+", " ", name).strip().casefold() for name in names}


def uris_into_fields(apps, schema_editor):
    Item = apps.get_model("catalog", "Item")
    Statement = apps.get_model("catalog", "Statement")
    now = timezone.now()
    found, redundant = {}, []  # item pk -> URI, of the items not written yet; statements to delete

    def flush():
        by_uri = {}
        for item_id, uri in found.items():
            by_uri.setdefault(uri, []).append(item_id)
        for uri, ids in by_uri.items():
            Item.objects.filter(pk__in=ids, rights_uri="").update(rights_uri=uri, modified=now)
        found.clear()

    # In item order, so that an item is complete once the next one begins and the items are
    # written a batch at a time. The statements go once the reading is done: none is deleted
    # from the table while it is being read.
    statements = Statement.objects.filter(term="rights").order_by("item_id", "position", "id")
    for pk, item_id, value in statements.values_list("pk", "item_id", "value").iterator(chunk_size=BATCH):
        hit = rights.find_in(value)
        if hit is None:
            continue
        if len(found) >= BATCH and item_id not in found:
            flush()
        uri, written = hit
        # An item's first URI wins; a statement naming a second, different one is kept as text.
        if found.setdefault(item_id, uri) == uri and says_no_more(value, written, uri):
            redundant.append(pk)
    flush()
    for start in range(0, len(redundant), BATCH):
        Statement.objects.filter(pk__in=redundant[start:start + BATCH]).delete()


def fields_into_text(apps, schema_editor):
    Item = apps.get_model("catalog", "Item")
    Statement = apps.get_model("catalog", "Statement")
    now = timezone.now()
    rows = list(Item.objects.exclude(rights_uri="").order_by("pk").values_list("pk", "rights_uri"))
    with translation.override("en"):
        for start in range(0, len(rows), BATCH):
            batch = dict(rows[start:start + BATCH])
            named = {
                item_id for item_id, text in
                Statement.objects.filter(item_id__in=batch, term="rights").values_list("item_id", "value")
                if (rights.find_in(text) or ("",))[0] == batch[item_id]
            }
            last = dict(
                Statement.objects.filter(item_id__in=batch).values("item_id").annotate(last=Max("position"))
                .values_list("item_id", "last")
            )
            wanted = [item_id for item_id in batch if item_id not in named]
            Statement.objects.bulk_create([
                Statement(
                    item_id=item_id, term="rights", lang="en", position=last.get(item_id, -1) + 1,
                    value=f"{rights.label(batch[item_id])} ({batch[item_id]})",
                )
                for item_id in wanted
            ])
            Item.objects.filter(pk__in=wanted).update(modified=now)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0015_level_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="digitalfile",
            name="rights_uri",
            field=models.CharField(blank=True, choices=catalog.rights.choices, db_default="", default="", help_text="Only where this file's rights differ from the item's (a photographer's licence on a scan); empty: the item's rights statement.", max_length=200, verbose_name="rights statement"),
        ),
        migrations.AddField(
            model_name="item",
            name="rights_uri",
            field=models.CharField(blank=True, choices=catalog.rights.choices, db_default="", default="", help_text="The rights statement or licence from the controlled list (rightsstatements.org, Creative Commons): harvesters and visitors read its address. Write any further detail as a rights statement in the description.", max_length=200, verbose_name="rights statement"),
        ),
        migrations.AddIndex(
            model_name="item",
            index=models.Index(fields=["status", "ancestors_public", "rights_uri"], name="item_rights_idx"),
        ),
        migrations.RunPython(uris_into_fields, fields_into_text),
    ]
