"""Where the admin sends someone after signing in or out when `next` names a page it must not
go to (another site, a scheme it refuses): a page of Arkiv's, never a 404."""
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.admin.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REJECTED = ["https://evil.example.org/", "//evil.example.org/admin/", "javascript:alert(1)", "http:///evil", "\\\\evil.example.org"]


@pytest.mark.parametrize("next_url", REJECTED)
def test_signing_in_with_a_rejected_next_lands_on_the_admin_index(client, editor, next_url):
    login = reverse("admin:login")
    response = client.post(f"{login}?next={next_url}", {"username": "editor", "password": PASSWORD, "next": next_url})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == HTTPStatus.OK


def test_signing_in_with_an_accepted_next_goes_there(client, editor):
    wanted = reverse("admin:catalog_item_changelist")
    response = client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD, "next": wanted})
    assert response["Location"] == wanted


@pytest.mark.parametrize("next_url", REJECTED)
def test_signing_out_with_a_rejected_next_lands_on_a_page(editor_client, next_url):
    response = editor_client.post(f"{reverse('admin:logout')}?next={next_url}", follow=True)
    assert response.status_code == HTTPStatus.OK
    assert all(url.startswith("/") and not url.startswith("//") for url, _ in response.redirect_chain)
