import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes its files to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _interface_language():
    """Every test starts in the default language (English), whatever the last one asked for.

    The language middleware activates the request's language for the thread and, like Django's
    LocaleMiddleware, leaves it active after the response: a test that fetched a Norwegian page
    would otherwise leave the next test's gettext speaking Norwegian.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
