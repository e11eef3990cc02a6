import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def perms(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_cataloguers_edit_and_import_but_cannot_publish_or_delete_items():
    cataloguer = perms("Cataloguer")
    assert {"add_item", "change_item", "import_items", "add_statement", "change_agent"} <= cataloguer
    assert not {"publish_item", "delete_item"} & cataloguer


def test_editors_may_also_publish_withdraw_delete_and_import():
    editor = perms("Editor")
    assert perms("Cataloguer") < editor
    assert {"publish_item", "delete_item", "import_items"} <= editor


def test_editors_edit_templates_and_cataloguers_see_them():
    assert {"view_materialtemplate", "view_templateelement"} <= perms("Cataloguer")
    assert not {"change_materialtemplate", "add_templateelement"} & perms("Cataloguer")
    assert {"add_materialtemplate", "change_materialtemplate", "delete_materialtemplate", "change_templateelement"} <= perms("Editor")
