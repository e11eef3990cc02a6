"""The shipped templates (catalog/materials/shipped.py), written into a catalogue that has no
template of their code."""
from django.db import migrations


def ship(apps, schema_editor):
    from catalog.materials.shipped import write

    write(apps.get_model("materials", "MaterialTemplate"), apps.get_model("materials", "TemplateElement"),
          apps.get_model("catalog", "Level"))


class Migration(migrations.Migration):
    dependencies = [("materials", "0001_templates"), ("catalog", "0014_arrangement")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
