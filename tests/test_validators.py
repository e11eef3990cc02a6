import pytest
from django.core.exceptions import ValidationError

from catalog.validators import TOO_MANY_STATEMENTS, validate_statement_count


def test_an_item_may_have_as_many_statements_as_the_cap(settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 3
    validate_statement_count(3, identifier="kir-001")


def test_one_statement_beyond_the_cap_is_refused_with_the_fix(settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 3
    with pytest.raises(ValidationError) as caught:
        validate_statement_count(4, identifier="kir-001")
    assert caught.value.code == "too_many_statements"
    assert caught.value.messages == [TOO_MANY_STATEMENTS % {"identifier": "kir-001", "count": 4, "limit": 3}]
    assert caught.value.messages[0].startswith("kir-001 would have 4 statements, and an item may have at most 3: put a long list")
