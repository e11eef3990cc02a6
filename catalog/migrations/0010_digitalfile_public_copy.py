"""Digital files get a public copy (the original without its GPS position), and files stored
under the uploader's names are renamed to Arkiv's own (models.files.stored_name), so that no
stored name, which a web server may map to a type, is one an uploader chose."""
from django.db import migrations, models

EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/tiff": ".tif", "image/gif": ".gif",
    "image/webp": ".webp", "application/pdf": ".pdf",
}


def rename_stored_files(apps, schema_editor):
    DigitalFile = apps.get_model("catalog", "DigitalFile")
    for digital_file in DigitalFile.objects.select_related("item").iterator(chunk_size=500):
        identifier = digital_file.item.identifier
        extension = EXTENSIONS.get(digital_file.mime_type, ".bin")
        stem = f"{identifier}-{digital_file.position + 1:03d}"
        wanted = f"originals/{identifier}/{stem}{extension}"
        if not digital_file.file.name or digital_file.file.name.startswith(f"originals/{identifier}/{stem}"):
            continue
        changed = [_move(digital_file.file, wanted)]
        for field in (digital_file.display, digital_file.thumbnail):
            if field.name:
                suffix = field.name.rsplit("-", 1)[-1]  # display.jpg, thumbnail.png
                new_stem = changed[0].rsplit("/", 1)[-1].rsplit(".", 1)[0]
                _move(field, f"derivatives/{identifier}/{new_stem}-{suffix}")
        digital_file.save(update_fields=["file", "display", "thumbnail"])


def _move(field_file, wanted):
    storage = field_file.storage
    if not storage.exists(field_file.name):
        return field_file.name
    with storage.open(field_file.name, "rb") as source:
        new_name = storage.save(wanted, source)
    storage.delete(field_file.name)
    field_file.name = new_name
    return new_name


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0009_perf_statement_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='digitalfile',
            name='public_copy',
            field=models.FileField(blank=True, editable=False, help_text='The original without its GPS position, given to visitors in its place.', max_length=500, upload_to=''),
        ),
        migrations.RunPython(rename_stored_files, migrations.RunPython.noop),
    ]
