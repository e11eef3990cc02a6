import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes its files to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
