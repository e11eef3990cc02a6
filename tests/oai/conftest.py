import pytest

from catalog import services
from catalog.models import Item
from tests.factories import ItemFactory


@pytest.fixture(autouse=True)
def _repository(settings):
    """The repository the tests speak of, whatever the environment sets."""
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.org"
    settings.ARKIV_BASE_URL = ""
    settings.ARKIV_OAI_PAGE_SIZE = 500


@pytest.fixture
def published():
    """A factory of published items, optionally with a given datestamp."""

    def make(datestamp=None, **fields):
        item = ItemFactory(status=Item.PUBLISHED, **fields)
        if datestamp is not None:
            Item.objects.filter(pk=item.pk).update(modified=datestamp)
            item.refresh_from_db()
        return item

    return make


@pytest.fixture
def withdrawn(published):
    """A factory of items published once and withdrawn since (so reported deleted)."""

    def make(**fields):
        item = published(**fields)
        services.item_withdraw(item=item)
        return item

    return make
