"""catalog/oai/compiled.py: a page query compiled once, run with each page's own values."""
from datetime import timedelta

import pytest

from catalog.models import Item
from catalog.oai import compiled, records
from tests.oai.support import at

pytestmark = pytest.mark.django_db

START = at("2024-05-31T12:00:00.000001Z")


@pytest.fixture
def items(published):
    return [published(identifier=f"item-{n}", datestamp=START + timedelta(seconds=n // 2)) for n in range(8)]


def keyset(calls):
    def build(*cursor):
        calls.append(cursor)
        queryset = Item.objects.published()
        if cursor:
            queryset = queryset.filter(records._after(cursor, "modified"))
        return queryset.order_by("modified", "identifier").values_list("identifier", flat=True)[:3]
    return build


def test_a_kind_of_query_is_compiled_once_and_each_run_takes_its_own_values(items):
    calls = []
    build = keyset(calls)
    key = ("test", "keyset", object())
    for item in items[:6]:
        cursor = (item.modified, item.identifier)
        expected = [(identifier,) for identifier in build(*cursor)]  # the ORM's own answer
        assert compiled.rows(key, build, cursor) == expected
    # Built by the test six times, by compiled.rows once: with its stand-ins, not a page's values.
    assert len(calls) == 7
    assert calls[1] == compiled.STAND_INS[:2]


def test_without_a_key_a_query_is_compiled_each_time(items):
    calls = []
    build = keyset(calls)
    cursor = (items[2].modified, items[2].identifier)
    assert compiled.rows(None, build, cursor) == compiled.rows(None, build, cursor) == [("item-3",), ("item-4",), ("item-5",)]
    assert calls == [cursor, cursor]


def test_a_query_nothing_can_meet_has_no_rows(items):
    assert compiled.rows(("test", "none", object()), lambda: Item.objects.none().values_list("pk"), ()) == []


def test_a_query_that_leaves_a_value_out_is_refused(items):
    with pytest.raises(ValueError, match="stand-ins"):
        compiled.rows(("test", "ignores", object()), lambda *cursor: Item.objects.values_list("pk"), (START, "x"))


def test_a_fonds_sets_selection_is_compiled_each_time():
    # Its SQL names the top unit's pk, which a later page must look up again.
    assert records.Selection(set_spec="fonds:kf", key=("oai_dc",)).compiled_key is None
    assert records.Selection(set_spec="type:Text", key=("oai_dc",)).compiled_key == ("oai_dc",)
    assert records.Selection(set_spec="fonds", key=("oai_dc",)).compiled_key == ("oai_dc",)
