from datetime import date

import pytest
from django.utils import translation

from catalog.dates import UNDATED, DateRange, decade_label, display, parse

NORWEGIAN_MONTHS = [
    ("januar", 1), ("februar", 2), ("mars", 3), ("april", 4), ("mai", 5), ("juni", 6),
    ("juli", 7), ("august", 8), ("september", 9), ("oktober", 10), ("november", 11), ("desember", 12),
]
# The usual abbreviations; each is read with and without its full stop.
NORWEGIAN_ABBREVIATIONS = [
    ("jan", 1), ("feb", 2), ("febr", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7),
    ("aug", 8), ("sep", 9), ("sept", 9), ("okt", 10), ("nov", 11), ("des", 12),
]
LAST_DAY_1945 = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


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
        ("1945%", date(1945, 1, 1), date(1945, 12, 31)),
        ("1944~/1945?", date(1944, 1, 1), date(1945, 12, 31)),
        ("194X", date(1940, 1, 1), date(1949, 12, 31)),
        ("19XX", date(1900, 1, 1), date(1999, 12, 31)),
        ("1945-21", date(1945, 3, 1), date(1945, 5, 31)),
        ("1945-22", date(1945, 6, 1), date(1945, 8, 31)),
        ("1945-23", date(1945, 9, 1), date(1945, 11, 30)),
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
    "text, earliest, latest",
    [
        ("24. september 1945", date(1945, 9, 24), date(1945, 9, 24)),
        ("24. sept. 1945", date(1945, 9, 24), date(1945, 9, 24)),
        ("8. mai 1945", date(1945, 5, 8), date(1945, 5, 8)),
        ("1. Mai 1945", date(1945, 5, 1), date(1945, 5, 1)),
        ("sept. 1945", date(1945, 9, 1), date(1945, 9, 30)),
        ("Sept. 1945", date(1945, 9, 1), date(1945, 9, 30)),
        ("24.09.1945", date(1945, 9, 24), date(1945, 9, 24)),
        ("8.5.1945", date(1945, 5, 8), date(1945, 5, 8)),
        ("ca. 1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("ca 1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("cirka 1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("omkring 1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("omkr. 1945", date(1945, 1, 1), date(1945, 12, 31)),
        ("ca. mai 1945", date(1945, 5, 1), date(1945, 5, 31)),
        ("[ca. 1945]", date(1945, 1, 1), date(1945, 12, 31)),
        # Seasons are the meteorological ones (as Met Norway counts them): spring March-May,
        # summer June-August, autumn September-November, winter December-February.
        ("våren 1944", date(1944, 3, 1), date(1944, 5, 31)),
        ("vår 1944", date(1944, 3, 1), date(1944, 5, 31)),
        ("sommeren 1944", date(1944, 6, 1), date(1944, 8, 31)),
        ("sommer 1944", date(1944, 6, 1), date(1944, 8, 31)),
        ("høsten 1944", date(1944, 9, 1), date(1944, 11, 30)),
        ("Høsten 1944", date(1944, 9, 1), date(1944, 11, 30)),
        ("høst 1944", date(1944, 9, 1), date(1944, 11, 30)),
        ("ca. høsten 1944", date(1944, 9, 1), date(1944, 11, 30)),
        # A winter spans the year boundary. Written with both years it is that winter; with one
        # year it may be the winter that ends in it or the one that begins in it (usage differs,
        # and nothing is guessed), so it is read as covering both.
        ("vinteren 1944/45", date(1944, 12, 1), date(1945, 2, 28)),
        ("vinteren 1944–45", date(1944, 12, 1), date(1945, 2, 28)),
        ("vinteren 1944-1945", date(1944, 12, 1), date(1945, 2, 28)),
        ("vinter 1943/44", date(1943, 12, 1), date(1944, 2, 29)),
        ("vinteren 1944", date(1943, 12, 1), date(1945, 2, 28)),
        ("spring 1944", date(1944, 3, 1), date(1944, 5, 31)),
        ("summer 1944", date(1944, 6, 1), date(1944, 8, 31)),
        ("autumn 1944", date(1944, 9, 1), date(1944, 11, 30)),
        ("fall 1944", date(1944, 9, 1), date(1944, 11, 30)),
        ("winter 1944/45", date(1944, 12, 1), date(1945, 2, 28)),
        ("winter 1944", date(1943, 12, 1), date(1945, 2, 28)),
        ("1945-24", date(1944, 12, 1), date(1946, 2, 28)),  # EDTF's winter, read as the one above
        ("1940-årene", date(1940, 1, 1), date(1949, 12, 31)),
        ("1940-tallet", date(1940, 1, 1), date(1949, 12, 31)),
        ("1940-åra", date(1940, 1, 1), date(1949, 12, 31)),
        ("1940-talet", date(1940, 1, 1), date(1949, 12, 31)),  # Nynorsk
        ("ca. 1940-tallet", date(1940, 1, 1), date(1949, 12, 31)),
        # "1800-tallet" is the century; a decade reading (1800-1809) would lie inside it.
        ("1800-tallet", date(1800, 1, 1), date(1899, 12, 31)),
        ("1900-årene", date(1900, 1, 1), date(1999, 12, 31)),
        ("1800s", date(1800, 1, 1), date(1899, 12, 31)),
        ("[1945?]", date(1945, 1, 1), date(1945, 12, 31)),
        # Inferred decades and centuries as AACR2 and Norwegian cataloguing rules write them.
        ("[194-?]", date(1940, 1, 1), date(1949, 12, 31)),
        ("[194-]", date(1940, 1, 1), date(1949, 12, 31)),
        ("[190-?]", date(1900, 1, 1), date(1909, 12, 31)),
        ("[19--?]", date(1900, 1, 1), date(1999, 12, 31)),
        ("[18--]", date(1800, 1, 1), date(1899, 12, 31)),
    ],
)
def test_reads_norwegian_archival_date_forms(text, earliest, latest):
    assert parse(text) == DateRange(earliest, latest)


@pytest.mark.parametrize(
    "name, month",
    NORWEGIAN_MONTHS + NORWEGIAN_ABBREVIATIONS + [(f"{name}.", month) for name, month in NORWEGIAN_ABBREVIATIONS],
)
def test_reads_every_norwegian_month_and_its_abbreviations(name, month):
    assert parse(f"{name} 1945") == DateRange(date(1945, month, 1), date(1945, month, LAST_DAY_1945[month]))
    assert parse(f"7. {name} 1945") == DateRange(date(1945, month, 7), date(1945, month, 7))


@pytest.mark.parametrize(
    "text, earliest, latest",
    [
        ("1944/", date(1944, 1, 1), None),
        ("1944/..", date(1944, 1, 1), None),
        ("1945-05/..", date(1945, 5, 1), None),
        ("1944-10-07/..", date(1944, 10, 7), None),
        ("1944~/..", date(1944, 1, 1), None),
        ("194X/", date(1940, 1, 1), None),
        ("/1945", None, date(1945, 12, 31)),
        ("../1945", None, date(1945, 12, 31)),
        ("../1945-05-08", None, date(1945, 5, 8)),
        ("/1945-09", None, date(1945, 9, 30)),
    ],
)
def test_an_open_end_stays_open(text, earliest, latest):
    # EDTF's own parser makes "1944/" 1944-1954 and "/1945" 1935-1945: ten years nobody wrote.
    assert parse(text) == DateRange(earliest, latest)


@pytest.mark.parametrize("text", ["udatert", "Udatert", "[udatert]", "uten dato", "u.d.", "u.å.", "udat."])
def test_a_statement_that_there_is_no_date_is_read_as_undated(text):
    assert parse(text) == UNDATED == DateRange(None, None)


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "unknown", "1945-13-40", "31 February 1945", "1946/1945", "Sept 1945 or 1946",
        "../..", "/", "..", "1944//", "1944/1945/1946",
        "31.02.1945", "24.09.45", "1941-tallet", "194-1945",
        "vinteren 1944/46", "sommeren 1944/45", "høsten", "høsten 1944 eller 1945",
        "åmai 1945", "udatert 1945", "ca.",
    ],
)
def test_unreadable_dates_give_none(text):
    assert parse(text) is None


@pytest.mark.parametrize(
    "text, iso",
    [
        ("1945-09-24", "1945-09-24"),
        ("24 Sept 1945", "1945-09-24"),
        ("24. september 1945", "1945-09-24"),
        ("September 1945", "1945-09"),
        ("circa 1945", "1945"),
        ("1940s", "1940/1949"),
        ("1940-tallet", "1940/1949"),
        ("1944-10/1945-09", "1944-10/1945-09"),
        ("1945-21", "1945-03/1945-05"),
        ("høsten 1944", "1944-09/1944-11"),
        ("1944-10-07/1945-09-25", "1944-10-07/1945-09-25"),
        ("1945-02", "1945-02"),
        ("1944/", "1944/.."),
        ("1945-05/..", "1945-05/.."),
        ("1944-10-07/..", "1944-10-07/.."),
        ("/1945", "../1945"),
        ("../1945-09", "../1945-09"),
        ("../1945-05-08", "../1945-05-08"),
    ],
)
def test_a_range_has_a_shortest_iso8601_form(text, iso):
    assert parse(text).iso8601() == iso


def test_an_undated_statement_has_no_iso8601_form():
    assert UNDATED.iso8601() is None


# --- display: a date as the site and the admin show it ---------------------------------------------

@pytest.mark.parametrize(
    "written, english, norwegian",
    [
        ("1945-09-24", "24 September 1945", "24. september 1945"),
        ("24. september 1945", "24 September 1945", "24. september 1945"),
        ("Sept. 24, 1945", "24 September 1945", "24. september 1945"),
        ("24.09.1945", "24 September 1945", "24. september 1945"),
        ("1945-05", "May 1945", "mai 1945"),
        ("1945", "1945", "1945"),
        ("1940s", "1940s", "1940-tallet"),
        ("1940-årene", "1940s", "1940-tallet"),
        ("194X", "1940s", "1940-tallet"),
        ("1900-tallet", "1900s", "1900-tallet"),
        ("ca. 1945", "circa 1945", "ca. 1945"),
        ("omkring 1945", "circa 1945", "ca. 1945"),
        ("circa 1945-09", "circa September 1945", "ca. september 1945"),
        ("1945~", "circa 1945", "ca. 1945"),
        ("[1945?]", "[1945?]", "[1945?]"),
        ("[194-?]", "[1940s?]", "[1940-tallet?]"),
        ("høsten 1944", "autumn 1944", "høsten 1944"),
        ("spring 1945", "spring 1945", "våren 1945"),
        ("vinteren 1944/45", "winter 1944/45", "vinteren 1944/45"),
        ("1944-23", "autumn 1944", "høsten 1944"),
        ("1944-1945", "1944–1945", "1944–1945"),
        ("1944-10/1945-09", "October 1944–September 1945", "oktober 1944–september 1945"),
        ("1944/..", "1944–", "1944–"),
        ("1944/", "1944–", "1944–"),
        ("../1945-05-08", "–8 May 1945", "–8. mai 1945"),
        ("/1945", "–1945", "–1945"),
        ("udatert", "undated", "udatert"),
        ("u.å.", "undated", "udatert"),
    ],
)
def test_a_date_read_exactly_is_written_in_the_readers_words(written, english, norwegian):
    for language, shown in (("en", english), ("nb", norwegian)):
        with translation.override(language):
            assert display(written) == shown


@pytest.mark.parametrize(
    "written",
    ["early 1944", "mid-1940s", "20th century", "etter krigen", "undated", "1945?~", "  ", "1944-10-25/1944-11-08 (?)"],
)
def test_a_date_not_read_exactly_is_shown_as_written(written):
    for language in ("en", "nb"):
        with translation.override(language):
            assert display(written) == written.strip()


def test_decades_are_named_in_the_readers_words():
    with translation.override("nb"):
        assert decade_label(1940) == "1940-tallet"
    with translation.override("en"):
        assert decade_label(1940) == "1940s"
