"""The levels of description in the two working roles: Cataloguers see them (to pick one on a
unit's form and in the admin's list), Editors also add, change and delete them, as they do the
other lists that shape what the public sees (collections, authority records)."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

LEVEL = {"Cataloguer": ["view_level"], "Editor": ["view_level", "add_level", "change_level", "delete_level"]}


def grant(apps, schema_editor):
    # As in 0002: the permissions of a model are made after all migrations; the groups need them now.
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in LEVEL.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:  # an archive may have renamed or removed a role: leave it be
            group.permissions.add(*Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in LEVEL.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_arrangement")]

    operations = [migrations.RunPython(grant, revoke)]
