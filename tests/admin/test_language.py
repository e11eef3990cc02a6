"""An archivist's own language: the page in the admin's user tools (/admin/language/) where any
member of staff chooses it for themselves, kept with their user (Preference) and so found again
at every sign-in on any computer, and the same choice on the User admin for superusers."""
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from catalog.admin.language import BROWSER_SAVED, LANGUAGE_SAVED
from catalog.models import Preference
from tests.admin.conftest import PASSWORD, form_data

pytestmark = pytest.mark.django_db

LANGUAGE = reverse("admin_language")
INDEX = reverse("admin:index")
ITEMS = reverse("admin:catalog_item_changelist")
NORWEGIAN_ITEM_LIST = "Velg objekt du ønsker å endre"
ENGLISH_ITEM_LIST = "Select item to change"


def choose(client, language, follow=False, **extra):
    return client.post(LANGUAGE, {"language": language, **extra}, follow=follow)


def sign_in(client, username):
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD, "next": INDEX})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:500]


def test_the_user_tools_link_to_the_language_page_from_every_admin_page(cataloguer_client):
    page = cataloguer_client.get(ITEMS).content.decode()
    assert f'<a href="{LANGUAGE}?next={ITEMS}">Language</a>' in page


def test_in_another_language_the_link_still_says_language(cataloguer_client):
    page = cataloguer_client.get(ITEMS, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert 'Språk / <span lang="en">Language</span></a>' in page


def test_the_page_offers_each_language_in_its_own_name_and_the_browsers(cataloguer_client):
    response = cataloguer_client.get(LANGUAGE)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Your browser&#x27;s language" in page
    for code, name in settings.LANGUAGES:
        assert f'lang="{code}">{name}</label>' in page
    assert 'value="" id="id_language_0" checked>' in page  # nothing chosen yet: the browser's


def test_the_page_shows_the_language_chosen(cataloguer_client):
    choose(cataloguer_client, "nb", follow=True)
    page = cataloguer_client.get(LANGUAGE).content.decode()
    assert 'value="nb" id="id_language_2" checked>' in page


def test_choosing_norwegian_shows_the_next_admin_page_in_norwegian(cataloguer, cataloguer_client):
    response = choose(cataloguer_client, "nb", next=ITEMS)

    assert response.status_code == HTTPStatus.FOUND and response["Location"] == ITEMS
    assert Preference.objects.get(user=cataloguer).language == "nb"
    assert cataloguer_client.session[Preference.SESSION_KEY] == "nb"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"
    page = cataloguer_client.get(ITEMS, HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    assert '<html lang="nb"' in content and NORWEGIAN_ITEM_LIST in content
    assert [str(message) for message in page.context["messages"]] == [
        "Lagret: Arkiv bruker dette språket med deg fra nå av, hver gang du logger inn."
    ]


def test_the_language_follows_the_archivist_to_another_computer(cataloguer, cataloguer_client):
    choose(cataloguer_client, "nb")
    cataloguer_client.post(reverse("admin:logout"))

    elsewhere = Client(headers={"accept-language": "en"})
    sign_in(elsewhere, "cataloguer")

    assert settings.LANGUAGE_COOKIE_NAME not in elsewhere.cookies
    content = elsewhere.get(ITEMS).content.decode()
    assert '<html lang="nb"' in content and NORWEGIAN_ITEM_LIST in content


def test_another_archivist_signing_in_there_keeps_their_browsers_language(cataloguer_client, editor):
    choose(cataloguer_client, "nb")
    elsewhere = Client(headers={"accept-language": "en"})
    sign_in(elsewhere, "editor")
    assert ENGLISH_ITEM_LIST in elsewhere.get(ITEMS).content.decode()


def test_a_cataloguer_sets_only_their_own_language(cataloguer, cataloguer_client, editor):
    Preference.objects.create(user=editor, language="en")

    choose(cataloguer_client, "nb", user=editor.pk, user_id=editor.pk)

    assert Preference.objects.get(user=editor).language == "en"
    assert Preference.objects.get(user=cataloguer).language == "nb"
    response = cataloguer_client.get(reverse("admin:auth_user_change", args=[editor.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_choosing_the_browsers_language_forgets_the_choice(cataloguer, cataloguer_client):
    choose(cataloguer_client, "nb", follow=True)

    response = choose(cataloguer_client, "")

    assert Preference.objects.get(user=cataloguer).language == ""
    assert Preference.SESSION_KEY not in cataloguer_client.session
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == 0
    page = cataloguer_client.get(ITEMS, HTTP_ACCEPT_LANGUAGE="en")
    assert ENGLISH_ITEM_LIST in page.content.decode()
    assert [str(message) for message in page.context["messages"]] == [str(BROWSER_SAVED)]


def test_the_message_is_in_the_language_just_chosen(cataloguer_client):
    choose(cataloguer_client, "nb", follow=True)
    response = choose(cataloguer_client, "en", next=ITEMS)
    page = cataloguer_client.get(response["Location"])
    assert [str(message) for message in page.context["messages"]] == [str(LANGUAGE_SAVED)]


def test_a_language_arkiv_does_not_have_is_refused_and_nothing_is_kept(cataloguer, cataloguer_client):
    response = choose(cataloguer_client, "xx")
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["language"]
    assert not Preference.objects.filter(user=cataloguer).exists()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("next_url", ["https://evil.example.org/", "//evil.example.org/admin/", "javascript:alert(1)"])
def test_a_next_outside_the_site_goes_back_to_the_language_page(cataloguer_client, next_url):
    response = choose(cataloguer_client, "nb", next=next_url)
    assert response["Location"] == LANGUAGE


def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get(LANGUAGE)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_superuser_sets_a_users_language_on_their_user_page(cataloguer):
    superuser = User.objects.create_superuser("admin", password=PASSWORD)
    client = Client()
    client.force_login(superuser)
    change = reverse("admin:auth_user_change", args=[cataloguer.pk])
    response = client.get(change)
    assert 'name="arkiv_preference-0-language"' in response.content.decode()

    data = form_data(response) | {"arkiv_preference-0-language": "nb"}
    joined = data.pop("date_joined")  # a split widget: date and time apart
    data |= {"date_joined_0": f"{joined:%Y-%m-%d}", "date_joined_1": f"{joined:%H:%M:%S}"}
    saved = client.post(change, data)

    assert saved.status_code == HTTPStatus.FOUND, (
        saved.context["adminform"].form.errors, [f.formset.errors for f in saved.context["inline_admin_formsets"]]
    )
    assert Preference.objects.get(user=cataloguer).language == "nb"
    elsewhere = Client(headers={"accept-language": "en"})
    sign_in(elsewhere, "cataloguer")
    assert NORWEGIAN_ITEM_LIST in elsewhere.get(ITEMS).content.decode()


def test_staff_who_may_change_users_but_are_no_superusers_see_no_language_there(editor, cataloguer):
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("admin:auth_user_change", args=[cataloguer.pk]))
    assert response.status_code == HTTPStatus.OK
    assert "arkiv_preference" not in response.content.decode()
