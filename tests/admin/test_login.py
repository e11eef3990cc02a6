"""Signing in to the admin is throttled: after ARKIV_LOGIN_FAILURE_LIMIT wrong passwords for one
user from one address, that user's sign-in from that address is refused, even with the right
password, for ARKIV_LOGIN_COOLOFF_MINUTES (django-axes, through the real admin login view)."""
from datetime import timedelta
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.admin.login import LOGIN_PAUSED
from tests.admin.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
LIMIT = 3
COOLOFF = timedelta(minutes=20)


@pytest.fixture(autouse=True)
def _throttle(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = COOLOFF


def sign_in(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password, "next": INDEX}, **headers)


def signed_in(client):
    return client.get(INDEX).status_code == HTTPStatus.OK


def paused_message(minutes=20):
    return str(LOGIN_PAUSED % {"minutes": minutes})


def test_a_wrong_password_below_the_limit_gets_the_usual_form_error(cataloguer):
    client = Client()

    response = sign_in(client, "cataloguer", "wrong")

    assert response.status_code == HTTPStatus.OK
    assert "Please enter the correct username and password" in response.content.decode()
    assert paused_message() not in response.content.decode()


def test_after_the_limit_of_wrong_passwords_even_the_right_one_is_refused(cataloguer):
    client = Client()
    answers = [sign_in(client, "cataloguer", f"wrong-{n}") for n in range(LIMIT)]

    right = sign_in(client, "cataloguer", PASSWORD)

    assert [a.status_code for a in answers] == [HTTPStatus.OK] * (LIMIT - 1) + [HTTPStatus.TOO_MANY_REQUESTS]
    assert right.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert paused_message() in right.content.decode()
    assert not signed_in(client)


def test_the_pause_is_shown_on_the_admin_login_page_with_its_form(cataloguer):
    client = Client()
    for n in range(LIMIT):
        sign_in(client, "cataloguer", f"wrong-{n}")

    response = sign_in(client, "cataloguer", PASSWORD)

    page = response.content.decode()
    assert 'id="login-form"' in page
    assert 'class="errornote"' in page
    assert "20 minutes" in page


def test_the_message_counts_minutes_in_the_singular_too():
    assert "1 minute;" in paused_message(1)
    assert "1 minutes" not in paused_message(1)


def test_sign_in_works_again_once_the_cool_off_has_passed(cataloguer):
    client = Client()
    for n in range(LIMIT):
        sign_in(client, "cataloguer", f"wrong-{n}")
    # The failures are dated back past the cool-off instead of waiting for it.
    AccessAttempt.objects.update(attempt_time=timezone.now() - COOLOFF - timedelta(seconds=1))

    response = sign_in(client, "cataloguer", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert signed_in(client)


def test_a_pause_holds_one_user_at_one_address_only(cataloguer, editor):
    for n in range(LIMIT):
        sign_in(Client(), "cataloguer", f"wrong-{n}", REMOTE_ADDR="203.0.113.5")

    colleague = Client()
    elsewhere = Client()
    sign_in(colleague, "editor", PASSWORD, REMOTE_ADDR="203.0.113.5")
    sign_in(elsewhere, "cataloguer", PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert signed_in(colleague)
    assert signed_in(elsewhere)


def test_a_successful_sign_in_starts_the_count_afresh(cataloguer):
    client = Client()
    for n in range(LIMIT - 1):
        sign_in(client, "cataloguer", f"wrong-{n}")
    sign_in(client, "cataloguer", PASSWORD)
    client.logout()

    answers = [sign_in(client, "cataloguer", f"again-{n}") for n in range(LIMIT - 1)]

    assert [a.status_code for a in answers] == [HTTPStatus.OK] * (LIMIT - 1)
    assert sign_in(client, "cataloguer", PASSWORD).status_code == HTTPStatus.FOUND


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings, cataloguer):
    """nginx appends the address it saw to X-Forwarded-For; what a client wrote before it can be
    forged, so only the right-most entry counts."""
    settings.ARKIV_BEHIND_PROXY = True
    for n in range(LIMIT):
        sign_in(Client(), "cataloguer", f"wrong-{n}", REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.5")

    same_address = sign_in(Client(), "cataloguer", PASSWORD, REMOTE_ADDR="127.0.0.1",
                           HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = Client()
    sign_in(other, "cataloguer", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7")

    assert same_address.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert signed_in(other)


def test_without_a_proxy_a_forwarded_header_is_ignored(settings, cataloguer):
    settings.ARKIV_BEHIND_PROXY = False
    for n in range(LIMIT):
        sign_in(Client(), "cataloguer", f"wrong-{n}", REMOTE_ADDR="203.0.113.5",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = sign_in(Client(), "cataloguer", PASSWORD, REMOTE_ADDR="203.0.113.5",
                       HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_staff_signed_in_by_the_test_client_still_work(cataloguer_client):
    """force_login, which the admin tests use, bypasses the password check and so the throttle."""
    assert signed_in(cataloguer_client)


def test_signing_in_speaks_norwegian_to_a_norwegian_browser(cataloguer):
    client = Client(headers={"accept-language": "nb"})

    page = client.get(LOGIN).content.decode()
    assert '<html lang="nb"' in page and "Arkiv demo catalogue: katalogisering" in page and "Logg inn" in page

    for n in range(LIMIT):
        sign_in(client, "cataloguer", f"wrong-{n}")
    paused = sign_in(client, "cataloguer", PASSWORD).content.decode()
    assert "Innloggingen er satt på pause i 20 minutter." in paused
    assert "Too many wrong passwords" not in paused and "Log in" not in paused
