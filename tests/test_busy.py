"""A request the database cannot serve for a moment gets a page that says so (503), never a 500:
another connection holds the lock a write needs, as an import does while it writes (tests/locks.py)."""
import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection
from django.test import Client, RequestFactory

from catalog.busy import BUSY, RETRY_AFTER_SECONDS, BusyDatabaseMiddleware, is_busy, server_error
from catalog.models import Item
from tests.admin.conftest import form_data
from tests.factories import ItemFactory
from tests.locks import database_held_by_another_writer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def archivist():
    return User.objects.create_superuser("archivist", password=PASSWORD)


def login(client):
    return client.post("/admin/login/", {"username": "archivist", "password": PASSWORD, "next": "/admin/"})


def assert_busy(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert str(BUSY) in response.content.decode()


def test_a_login_the_database_cannot_save_now_is_answered_busy_and_works_once_it_can(archivist):
    client = Client()
    with database_held_by_another_writer():
        assert_busy(login(client))
    assert login(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_save_the_database_cannot_take_now_is_answered_busy_and_changes_nothing(archivist):
    item = ItemFactory(identifier="kir-001", title="Bridge")
    client = Client()
    client.force_login(archivist)
    change = f"/admin/catalog/item/{item.pk}/change/"
    data = {**form_data(client.get(change)), "full_text": "Transcribed"}

    with database_held_by_another_writer():
        assert_busy(client.post(change, data))
    assert Item.objects.get(pk=item.pk).full_text == ""
    assert client.post(change, data).status_code == 302
    assert Item.objects.get(pk=item.pk).full_text == "Transcribed"


@pytest.mark.urls("tests.busy_urls")
def test_a_session_the_database_cannot_save_after_the_view_is_answered_busy():
    # As a server would answer: the error is not raised into the test.
    client = Client(raise_request_exception=False)
    with database_held_by_another_writer():
        assert_busy(client.get("/remember/"))
    assert client.get("/remember/").status_code == 200


def test_other_database_errors_stay_errors():
    # An OperationalError on SQLite, a ProgrammingError on PostgreSQL: neither is a busy database.
    with pytest.raises(DatabaseError) as raised:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
    assert not is_busy(raised.value)
    request = RequestFactory().get("/")
    assert BusyDatabaseMiddleware(lambda request: None).process_exception(request, raised.value) is None
    try:
        raise raised.value
    except DatabaseError:
        assert server_error(request).status_code == 500
