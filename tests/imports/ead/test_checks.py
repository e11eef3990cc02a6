"""The system check of ARKIV_MAX_EAD_BYTES."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from catalog.imports.ead.checks import check_ead_import_settings


def test_the_default_passes(settings):
    assert check_ead_import_settings() == []
    call_command("check", tags=["ead"], stdout=io.StringIO())


@pytest.mark.parametrize("value", [0, 1000, 2 * 1024 ** 3, "50MB"])
def test_a_value_that_is_no_cap_is_reported(settings, value):
    settings.ARKIV_MAX_EAD_BYTES = value
    (error,) = check_ead_import_settings()
    assert error.id == "arkiv.ead.E001"
    with pytest.raises(SystemCheckError):
        call_command("check", tags=["ead"], stdout=io.StringIO(), stderr=io.StringIO())
