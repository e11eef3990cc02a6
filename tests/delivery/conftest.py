import pytest


@pytest.fixture
def staff_client_factory(db, django_user_model):
    """A new client signed in as a member of staff (who previews drafts and private files)."""
    from django.test import Client

    def make():
        user, _ = django_user_model.objects.get_or_create(username="archivist", defaults={"is_staff": True})
        client = Client()
        client.force_login(user)
        return client

    return make
