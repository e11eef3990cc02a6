from datetime import date

import pytest

from catalog.dates import DateRange, parse


@pytest.mark.parametrize(
    "text, earliest, latest",
    [
        ("1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("1945-09", date(1945, 9, 1), date(1945, 9, 30)),
        ("1945-09-24", date(1945, 9, 24), date(1945, 9, 24)),
        ("1945-09-24T10:15:00Z", date(1945, 9, 24), date(1945, 9, 24)),
        ("1944-10/1945-09", date(1944, 10, 1), date(1945, 9, 30)),
        ("1945~", date(1945, 1, 1), date(1945, 12, 31)),
        ("1945?", date(1945, 1, 1), date(1945, 12, 31)),
        ("194X", date(1940, 1, 1), date(1949, 12, 31)),
        ("1945-21", date(1945, 3, 1), date(1945, 5, 31)),
        ("circa 1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("c. 1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("ca. 1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("1940s", date(1940, 1, 1), date(1949, 12, 31)),
        ("[1945?]", date(1945, 1, 1), date(1945, 12, 31)),
        ("[1945]", date(1945, 1, 1), date(1945, 12, 31)),
        ("early 1944", date(1944, 1, 1), date(1944, 4, 30)),
        ("mid-1944", date(1944, 5, 1), date(1944, 8, 31)),
        ("late 1944", date(1944, 9, 1), date(1944, 12, 31)),
        ("early 1940s", date(1940, 1, 1), date(1943, 12, 31)),
        ("1944-1945", date(1944, 1, 1), date(1945, 12, 31)),
        ("1944–1945", date(1944, 1, 1), date(1945, 12, 31)),
        ("September 1945", date(1945, 9, 1), date(1945, 9, 30)),
        ("24 Sept 1945", date(1945, 9, 24), date(1945, 9, 24)),
        ("Sept. 24, 1945", date(1945, 9, 24), date(1945, 9, 24)),
        ("20th century", date(1901, 1, 1), date(2000, 12, 31)),
    ],
)
def test_reads_archival_date_forms(text, earliest, latest):
    assert parse(text) == DateRange(earliest, latest)


@pytest.mark.parametrize(
    "text", ["", "   ", "unknown", "1945-13-40", "31 February 1945", "1946/1945", "1944-10-07/..", "Sept 1945 or 1946"]
)
def test_unreadable_dates_give_none(text):
    assert parse(text) is None


@pytest.mark.parametrize(
    "text, iso",
    [
        ("1945-09-24", "1945-09-24"),
        ("24 Sept 1945", "1945-09-24"),
        ("September 1945", "1945-09"),
        ("circa 1945", "1945"),
        ("1940s", "1940/1949"),
        ("1944-10/1945-09", "1944-10/1945-09"),
        ("1945-21", "1945-03/1945-05"),
        ("1944-10-07/1945-09-25", "1944-10-07/1945-09-25"),
        ("1945-02", "1945-02"),
    ],
)
def test_a_range_has_a_shortest_iso8601_form(text, iso):
    assert parse(text).iso8601() == iso
