"""`manage.py ensure_admin`, which `make run` calls on every start: a first login, once."""
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from catalog.management.commands import ensure_admin

pytestmark = pytest.mark.django_db


def ensure():
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_a_fresh_installation_gets_one_administrator(monkeypatch):
    monkeypatch.delenv("ARKIV_ADMIN_USER", raising=False)
    monkeypatch.setenv("ARKIV_ADMIN_PASSWORD", "a long password of the archive")
    assert "Admin login created: user “admin”" in ensure()
    admin = get_user_model().objects.get()
    assert admin.is_superuser and admin.check_password("a long password of the archive")
    assert "exists" in ensure()
    assert get_user_model().objects.count() == 1


def test_a_removed_first_login_does_not_come_back_on_the_next_start(monkeypatch):
    monkeypatch.delenv("ARKIV_ADMIN_USER", raising=False)
    monkeypatch.delenv("ARKIV_ADMIN_PASSWORD", raising=False)
    ensure()
    User = get_user_model()
    User.objects.filter(username="admin").update(username="ingrid")
    said = ensure()
    assert said.strip() == str(ensure_admin.LOGINS_EXIST)
    assert list(User.objects.values_list("username", flat=True)) == ["ingrid"]
