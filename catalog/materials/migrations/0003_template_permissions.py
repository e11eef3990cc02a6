"""Templates in the two working roles: Cataloguers see them, Editors also add, change and delete
them (and their elements), as they do the levels and the other lists that shape cataloguing.
Before this only superusers could edit a template."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("materialtemplate", "templateelement")
ROLES = {
    "Cataloguer": [f"view_{model}" for model in MODELS],
    "Editor": [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")],
}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="materials", codename__in=codenames)


def grant(apps, schema_editor):
    # As in catalog's 0015: a model's permissions are made after all migrations; the roles need them now.
    app_config = apps.get_app_config("materials")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:  # an archive may have renamed or removed a role: leave it be
            group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [("materials", "0002_shipped_templates"), ("catalog", "0015_level_permissions")]

    operations = [migrations.RunPython(grant, revoke)]
