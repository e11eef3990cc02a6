"""The two working roles of an archive: Cataloguers describe, Editors also decide what is public."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOGUER = {
    "item": ["add", "change", "view", "import_items"],
    "statement": ["add", "change", "delete", "view"],
    "digitalfile": ["add", "change", "delete", "view"],
    "collection": ["add", "change", "view"],
    "authority": ["add", "change", "view"],
    "agent": ["add", "change", "view"],
    "place": ["add", "change", "view"],
    "concept": ["add", "change", "view"],
    "authorityvariant": ["add", "change", "delete", "view"],
    "authoritylink": ["add", "change", "delete", "view"],
    "tombstone": ["view"],
}
EDITOR_EXTRA = {
    "item": ["delete", "publish_item"],
    "collection": ["delete"],
    "authority": ["delete"],
    "agent": ["delete"],
    "place": ["delete"],
    "concept": ["delete"],
}


def codenames(spec):
    return [
        action if "_" in action else f"{action}_{model}"
        for model, actions in spec.items()
        for action in actions
    ]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    # The historical app config has no models_module, which create_permissions takes as "no models".
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cataloguer_perms = codenames(CATALOGUER)
    editor_perms = cataloguer_perms + codenames(EDITOR_EXTRA)
    for name, perms in (("Cataloguer", cataloguer_perms), ("Editor", editor_perms)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="catalog", codename__in=perms)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Cataloguer", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
