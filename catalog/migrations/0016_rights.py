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
    found, redundant = {}, []
    statements = Statement.objects.filter(term="rights").order_by("item_id", "position", "id")
    for pk, item_id, value in statements.values_list("pk", "item_id", "value").iterator(chunk_size=BATCH):
        hit = rights.find_in(value)
        if hit is None:
            continue
        uri, written = hit
        # An item's first URI wins; a statement naming a second, different one is kept as text.
        if found.setdefault(item_id, uri) == uri and says_no_more(value, written, uri):
            redundant.append(pk)
    by_uri = {}
    for item_id, uri in found.items():
        by_uri.setdefault(uri, []).append(item_id)
    for uri, ids in by_uri.items():
        for start in range(0, len(ids), BATCH):
            Item.objects.filter(pk__in=ids[start:start + BATCH], rights_uri="").update(rights_uri=uri, modified=now)
    for start in range(0, len(redundant), BATCH):
        Statement.objects.filter(pk__in=redundant[start:start + BATCH]).delete()


def fields_into_text(apps, schema_editor):
    Item = apps.get_model("catalog", "Item")
    Statement = apps.get_model("catalog", "Statement")
    now = timezone.now()
    with translation.override("en"):
        for item in Item.objects.exclude(rights_uri="").only("pk", "rights_uri").iterator(chunk_size=BATCH):
            texts = Statement.objects.filter(item_id=item.pk, term="rights").values_list("value", flat=True)
            if any((rights.find_in(text) or ("",))[0] == item.rights_uri for text in texts):
                continue
            last = Statement.objects.filter(item_id=item.pk).aggregate(last=Max("position"))["last"]
            Statement.objects.create(
                item_id=item.pk, term="rights", lang="en", position=0 if last is None else last + 1,
                value=f"{rights.label(item.rights_uri)} ({item.rights_uri})",
            )
            Item.objects.filter(pk=item.pk).update(modified=now)


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
