"""Levels of description in the admin: listed and edited as data; a level in use is never deleted,
and the refusal says how many units have it instead of listing them."""
import html
from http import HTTPStatus

import pytest
from django.contrib.admin import helpers
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from catalog.admin.levels import LEVEL_IN_USE
from catalog.models import Level
from tests.admin.arrangement_trees import make_tree, unit

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_level_changelist")


def page(response):
    return html.unescape(response.content.decode())


def test_the_levels_are_listed_broadest_first_with_their_ead_level(admin_client):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == HTTPStatus.OK
    assert [level.code for level in response.context["cl"].result_list] == [
        "collection", "fonds", "subfonds", "series", "subseries", "file", "item",
    ]
    assert "EAD level" in page(response)


def test_a_level_is_added_and_named_in_norwegian_where_the_translations_have_it(admin_client):
    response = admin_client.post(reverse("admin:catalog_level_add"), {
        "code": "piece", "name": "Piece", "ead_level": "otherlevel", "position": "7",
    })
    assert response.status_code == HTTPStatus.FOUND
    assert Level.objects.get(code="piece").name == "Piece"
    norwegian = Client(headers={"accept-language": "nb"})
    norwegian.force_login(response.wsgi_request.user)
    shown = page(norwegian.get(CHANGELIST))
    assert "Stykke" in shown and "Piece" in shown  # a shipped level translated, a new one as written


def test_the_order_of_levels_is_edited_in_the_list(admin_client):
    levels = list(Level.objects.order_by("position"))
    data = {"form-TOTAL_FORMS": len(levels), "form-INITIAL_FORMS": len(levels), "_save": "Save"}
    for number, level in enumerate(levels):
        data[f"form-{number}-id"] = level.pk
        data[f"form-{number}-position"] = level.position if level.code != "collection" else 9
    assert admin_client.post(CHANGELIST, data).status_code == HTTPStatus.FOUND
    assert Level.objects.get(code="collection").position == 9


def test_a_level_in_use_cannot_be_deleted_and_the_page_says_why(admin_client):
    make_tree()
    series = Level.objects.get(code="series")
    response = admin_client.get(reverse("admin:catalog_level_delete", args=[series.pk]))
    shown = page(response)
    assert "The level “Series” cannot be deleted:" in shown
    assert LEVEL_IN_USE % {"level": "Series", "count": 2} in shown
    assert 'type="submit"' not in shown.split('id="content"')[1]

    admin_client.post(reverse("admin:catalog_level_delete", args=[series.pk]), {"post": "yes"})
    assert Level.objects.filter(pk=series.pk).exists()


def test_the_delete_action_refuses_levels_in_use_too(admin_client):
    make_tree()
    fonds, subfonds = Level.objects.get(code="fonds"), Level.objects.get(code="subfonds")
    response = admin_client.post(CHANGELIST, {
        "action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [fonds.pk, subfonds.pk], "post": "yes",
    })
    assert LEVEL_IN_USE % {"level": "Fonds", "count": 1} in page(response)
    assert Level.objects.filter(pk__in=[fonds.pk, subfonds.pk]).count() == 2


def test_a_level_nobody_uses_is_deleted(admin_client):
    subfonds = Level.objects.get(code="subfonds")
    response = admin_client.post(reverse("admin:catalog_level_delete", args=[subfonds.pk]), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Level.objects.filter(code="subfonds").exists()


def test_the_refusal_costs_the_same_queries_whatever_the_number_of_units(admin_client, django_assert_max_num_queries):
    tree = make_tree()
    series = Level.objects.get(code="series")
    address = reverse("admin:catalog_level_delete", args=[series.pk])
    admin_client.get(address)
    with django_assert_max_num_queries(10) as few:
        admin_client.get(address)
    for number in range(30):
        unit(f"kf-s{number}", parent=tree["fonds"], level_code="series", code=f"S{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert LEVEL_IN_USE % {"level": "Series", "count": 32} in page(admin_client.get(address))


def test_cataloguers_see_the_levels_and_editors_also_change_them(cataloguer_client, editor_client):
    add = reverse("admin:catalog_level_add")
    assert cataloguer_client.get(CHANGELIST).status_code == HTTPStatus.OK
    assert cataloguer_client.get(add).status_code == HTTPStatus.FORBIDDEN
    assert editor_client.get(add).status_code == HTTPStatus.OK
    response = editor_client.post(add, {"code": "piece", "name": "Piece", "ead_level": "otherlevel", "position": "7"})
    assert response.status_code == HTTPStatus.FOUND and Level.objects.filter(code="piece").exists()


def test_levels_are_seeded_again_where_the_table_was_emptied():
    Level.objects.all().delete()
    call_command("migrate", verbosity=0)  # post_migrate, as after a flush

    assert list(Level.objects.values_list("code", flat=True)) == [
        "collection", "fonds", "subfonds", "series", "subseries", "file", "item",
    ]
    assert Level.objects.get(code="item").name == "Item"  # stored in English, as 0014 wrote it
