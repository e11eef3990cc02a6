"""The IIIF Image API validator (PyPI iiif-validator, IIIF's own) at level 2 for Image API 3.0,
against a live server, with the official test image ingested as a published item's file.

The validator names the image by an identifier of the server's choosing: it is the file's id.
Each of its tests is run as the command-line validator (iiif-validate.py) runs it, and all must
pass, warnings included.
"""
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from iiif_validator.validator import ImageAPI, ValidationInfo
from iiif_validator.validator import TestSuite as ValidatorSuite

from catalog.models import Item

from .conftest import stored

TEST_IMAGE = Path(__file__).parent / "data" / "67352ccc-d1b0-11e1-89ae-279075081939.png"
LEVEL = 2
VERSION = "3.0"


def level_2_tests():
    tests = ValidatorSuite(ValidationInfo()).list_tests(VERSION)
    return sorted(name for name, test in tests.items() if test["level"] <= LEVEL)


def test_the_level_2_list_is_the_validators_whole_level_2():
    names = level_2_tests()
    assert len(names) >= 30
    assert {"info_json", "id_squares", "region_percent", "size_bwh", "rot_region_basic", "quality_bitonal",
            "format_png", "cors", "jsonld", "baseurl_redirect", "size_noup"} <= set(names)


@pytest.mark.django_db(transaction=True)
def test_the_validator_passes_at_level_2(live_server, settings):
    settings.ARKIV_DISPLAY_SIZE = 1600  # the test image is 1000 × 1000: every pixel is served
    digital_file = stored(TEST_IMAGE.read_bytes(), name=TEST_IMAGE.name, status=Item.PUBLISHED)
    server = urlsplit(live_server.url).netloc

    failures, checks = {}, 0
    for name in level_2_tests():
        result = ImageAPI(str(digital_file.pk), server, prefix="iiif/3", scheme="http", version=VERSION, debug=False)
        ValidatorSuite(ValidationInfo()).run_test(name, result)
        if result.exception is not None:
            error = result.exception
            failures[name] = f"{result.urls}: got {error.got!r}, expected {error.expected!r}: {error.message}"
        checks += len(result.tests)

    assert failures == {}
    assert checks >= 100  # the validator's own count of what it checked
