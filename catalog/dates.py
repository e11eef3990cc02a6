"""Archival date strings -> (earliest, latest) calendar dates, for sorting, facets and ranges.

The string itself is always kept verbatim by the caller; this module only reads it. Accepted:
- ISO 8601 / W3CDTF and EDTF levels 0 and 1 (`1945-09-24`, `1944-10/1945-09`, `1945~`, `194X`,
  `1945-21` for spring), the common shapes read here and the rest through the `edtf` library;
- the forms archivists type in English: `circa 1945`, `c. 1945`, `ca 1945`, `1940s`, `[1945?]`,
  `early 1944`, `mid-1944`, `late 1944`, `1944-1945`, `September 1945`, `24 Sept 1945`,
  `Sept. 24, 1945`, `autumn 1944`, `20th century`;
- and in Norwegian: `24. september 1945`, `sept. 1945`, `24.09.1945` (every month, and the usual
  abbreviations with or without their full stop), `ca. 1945`, `omkring 1945`, `høsten 1944`,
  `1940-årene`, `1940-tallet`, and the cataloguing rules' inferred decades `[194-?]` and centuries
  `[19--?]`.

What parse() returns:
- DateRange(earliest, latest), both dates inclusive.
- An open end is None on its side: `1944/`, `1944/..` and `1945-05/..` have no latest date,
  `/1945` and `../1945` no earliest. Nothing is made up beyond what is written (EDTF's own parser
  makes `1944/` 1944-1954, ten years nobody wrote). EDTF's unknown end (`1944/`) and open end
  (`1944/..`) both become None: Arkiv sorts, facets and filters them alike. The decade facet
  places an item by its earliest date, so an open start has no decade; the year filters let an
  open end reach past any year on its side.
- UNDATED, DateRange(None, None), for a statement that the item has no date (`udatert`,
  `uten dato`, `u.d.`, `u.å.`): read, so not flagged, but giving no range.
- None for anything else: the item is flagged, and the date is never guessed.

Seasons are the meteorological ones, as Met Norway counts them: spring (`våren`) March-May,
summer (`sommeren`) June-August, autumn (`høsten`) September-November, winter (`vinteren`)
December-February. A winter spans the year boundary: `vinteren 1944/45` is December 1944 to
February 1945, but `vinteren 1944` may mean the winter that ends in 1944 or the one that begins in
it (usage differs), so it covers both, December 1943 to February 1945. EDTF's seasons (21-24, and
the hemispheres' 25-32) are read the same way.

A number of hundreds read as a decade or a century (`1900s`, `1900-tallet`) is the century, which
holds the decade reading too: it is what the words most often mean, and claims nothing unwritten.

Display (`display`, `decade_label`): how the site and the admin show a date string, in the active
language. A form read exactly is written in that language's words, with Django's date formats
of the language (archive/formats/): a day "24. september 1945" / "24 September 1945", a month
"september 1945", a year, a decade or century "1940-tallet" / "1940s", a season "høsten 1944" /
"autumn 1944", intervals of these ("oktober 1944–september 1945", open: "1944–", "–1945"),
approximate ("ca. 1945" / "circa 1945"), inferred and uncertain ("[1945?]") dates, and undated
("udatert" / "undated"). Anything else ("early 1944", "20th century", what cannot be read) is
shown exactly as written: display never sharpens or guesses a date.
"""
import calendar
import functools
import math
import re
from datetime import date
from typing import NamedTuple

from django.utils import formats
from django.utils.translation import get_language, pgettext_lazy
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException


class DateRange(NamedTuple):
    earliest: date | None  # None: open (or unknown) at the start
    latest: date | None  # None: open (or unknown) at the end

    def iso8601(self) -> str | None:
        """The shortest ISO 8601 form of the range, valid EDTF too: `1945-09-24`, `1945-09`,
        `1945`, an interval such as `1944/1945`, `1944-10/1945-09`, `1945-09-01/1945-09-15`, one
        with an open end, `1944/..`, `../1945-05-08`; None for UNDATED."""
        first, last = self.earliest, self.latest
        if first is None and last is None:
            return None
        if first is None or last is None:
            start = _shortest(first, date(first.year, 12, 31))[0] if first else ".."
            end = _shortest(date(last.year, 1, 1), last)[1] if last else ".."
            return f"{start}/{end}"
        start, end = _shortest(first, last)
        return start if start == end else f"{start}/{end}"


UNDATED = DateRange(None, None)


def _shortest(first, last):
    """The two ends as years where both are whole years, as months where both are whole
    months, as days otherwise."""
    whole_months = first.day == 1 and last == _month_end(last.year, last.month)
    if whole_months and first.month == 1 and last.month == 12:
        return f"{first.year:04d}", f"{last.year:04d}"
    if whole_months:
        return f"{first.year:04d}-{first.month:02d}", f"{last.year:04d}-{last.month:02d}"
    return first.isoformat(), last.isoformat()


# Spelled out rather than taken from calendar.month_name, which follows the process's locale.
MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # Norwegian (Bokmål and Nynorsk alike), where they differ from the English
    "januar": 1, "februar": 2, "febr": 2, "mars": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "okt": 10, "desember": 12, "des": 12,
}
SPRING, SUMMER, AUTUMN, WINTER = (3, 5), (6, 8), (9, 11), (12, 2)  # first and last month
SEASONS = {
    "spring": SPRING, "vår": SPRING, "våren": SPRING,
    "summer": SUMMER, "sommer": SUMMER, "sommeren": SUMMER,
    "autumn": AUTUMN, "fall": AUTUMN, "høst": AUTUMN, "høsten": AUTUMN,
    "winter": WINTER, "vinter": WINTER, "vinteren": WINTER,
}
# EDTF's season codes: 21-24 unspecified, 25-28 northern and 29-32 southern hemisphere.
EDTF_SEASONS = {
    21: SPRING, 22: SUMMER, 23: AUTUMN, 24: WINTER, 25: SPRING, 26: SUMMER, 27: AUTUMN, 28: WINTER,
    29: AUTUMN, 30: WINTER, 31: SPRING, 32: SUMMER,
}
# Statements that the item has no date, as Norwegian catalogues write them: "u.d." is "uten
# dato", "u.å." "uten år". The English "undated" and "n.d." are still unreadable, as the import's
# and the admin's help texts say ("a date such as “undated” is reported as an error").
UNDATED_WORDS = frozenset({"udatert", "udat.", "uten dato", "u.d.", "u.å.", "uten år"})

_CIRCA = re.compile(r"^(?:circa|cirka|ca\.?|c\.?|approx\.?|about|omkring|omkr\.)\s*", re.IGNORECASE)
_DECADE = re.compile(r"^(\d{2,3})0(?:s|-(?:årene|åra|tallet|talet))$", re.IGNORECASE)
_INFERRED = re.compile(r"^(\d{2})(\d|-)-$")  # [194-?] a decade, [19--?] a century
_CENTURY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th) century$", re.IGNORECASE)
_PART = re.compile(r"^(early|mid|late)[\s-]+(\d{4})(s?)$", re.IGNORECASE)
_YEAR_SPAN = re.compile(r"^(\d{4})\s*(?:-|–|—|to)\s*(\d{4})$")
_SEASON = re.compile(r"^([^\W\d_]+)\s+(?:of\s+)?(\d{4})(?:\s*(?:/|-|–|—)\s*(\d{4}|\d{2}))?$", re.IGNORECASE)
_NUMERIC_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # 24.09.1945, day first
_WORDS = re.compile(r"[^\W\d_]+\.?|\d+")
_OPEN = frozenset({"", ".."})


# Imports and the synthetic catalogue read the same date strings thousands of times.
@functools.lru_cache(maxsize=10_000)
def parse(text: str) -> DateRange | None:
    """The (earliest, latest) range a date string denotes, UNDATED, or None if it cannot be read."""
    cleaned = _normalise(text)
    if not cleaned:
        return None
    # The readers of fixed shapes go first, and only those that read strings beginning as this
    # one does: EDTF's parser takes milliseconds even to say no. They read EDTF's shapes as its
    # parser does, but for a winter, which it takes to be one December (checked against
    # EDTF-first order on 6,700 strings: generate_catalog's and every form in tests/test_dates.py).
    for reader in _WORD_READERS if cleaned[0].isalpha() else _NUMBER_READERS:
        result = reader(cleaned)
        if result is not None:
            first, last = result
            return result if first is None or last is None or first <= last else None
    return None


def _normalise(text):
    cleaned = (text or "").strip()
    # "[1945?]" is a cataloguer's inferred, uncertain date: the brackets and query only qualify it.
    cleaned = cleaned.strip("[]").strip()
    cleaned = cleaned.rstrip("?").strip()
    cleaned = _CIRCA.sub("", cleaned)
    return cleaned.strip()


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[~?%]?$")
_UNSPECIFIED = re.compile(r"^(\d{2}(?:\d|X))X[~?%]?$")


def _iso(text):
    """Plain ISO 8601 dates, EDTF's seasons, unspecified digits (194X) and qualifiers (1945~),
    and intervals of them, open or not (1944/1945-09, 1944/..): read as EDTF reads them but
    without its parser, which takes milliseconds a date. Anything else, or anything invalid,
    is left to _edtf."""
    return _interval(text, _iso_range) if "/" in text else _iso_range(text)


def _interval(text, read):
    """`read` applied to a single date, or to each end of an interval; an empty end or `..`
    stays open (None), and an interval open at both ends is no date."""
    start, slash, end = text.partition("/")
    if not slash:
        return read(text)
    if (start in _OPEN and end in _OPEN) or "/" in end:
        return None
    first = None if start in _OPEN else read(start)
    last = None if end in _OPEN else read(end)
    if (first is None and start not in _OPEN) or (last is None and end not in _OPEN):
        return None
    return DateRange(first and first.earliest, last and last.latest)


def _iso_range(text):
    match = _ISO.match(text)
    if not match:
        match = "X" in text and _UNSPECIFIED.match(text)
        if not match:
            return None
        digits = match.group(1)
        if digits.endswith("X"):
            return _year_range(int(digits[:2]) * 100, int(digits[:2]) * 100 + 99)
        return _year_range(int(digits) * 10, int(digits) * 10 + 9)
    year, month, day = (int(part) if part else None for part in match.groups())
    if day is None and month in EDTF_SEASONS:
        return _season_range(year, EDTF_SEASONS[month])
    try:
        if day is not None:
            return DateRange(date(year, month, day), date(year, month, day))
        if month is not None:
            return DateRange(date(year, month, 1), _month_end(year, month))
        return _year_range(year, year)
    except ValueError:
        return None


def _edtf(text):
    # The ends of an interval are read one by one: EDTF's parser gives an open end a made-up
    # span (1944/ is 1944-1954) or infinity.
    return _interval(text, _edtf_date)


def _edtf_date(text):
    try:
        parsed = parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError):
        return None
    try:
        low, high = parsed.lower_strict(), parsed.upper_strict()
    except (TypeError, ValueError, OverflowError):
        return None
    if _unbounded(low) or _unbounded(high):
        return None
    try:
        return DateRange(_struct_to_date(low), _struct_to_date(high))
    except ValueError:
        return None


def _unbounded(value):
    return isinstance(value, float) and math.isinf(value)


def _struct_to_date(value):
    return date(value.tm_year, value.tm_mon, value.tm_mday)


def _year_range(first, last):
    return DateRange(date(first, 1, 1), date(last, 12, 31))


def _month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def _season_range(year, months, *, both_years=False):
    """A season of `year`. A winter written with one year may be either winter that touches it;
    `both_years` (vinteren 1944/45) names the one that begins in `year`."""
    first, last = months
    if first <= last:
        return DateRange(date(year, first, 1), _month_end(year, last))
    if both_years:
        return DateRange(date(year, first, 1), _month_end(year + 1, last))
    return DateRange(date(year - 1, first, 1), _month_end(year + 1, last))


def _decade_or_century(text):
    if match := _DECADE.match(text):
        start = int(match.group(1)) * 10
        return _year_range(start, start + 99 if start % 100 == 0 else start + 9)
    if match := _INFERRED.match(text):
        hundreds, tens = match.groups()
        if tens == "-":
            return _year_range(int(hundreds) * 100, int(hundreds) * 100 + 99)
        start = int(hundreds + tens) * 10
        return _year_range(start, start + 9)
    if match := _CENTURY.match(text):
        century = int(match.group(1))
        return _year_range((century - 1) * 100 + 1, century * 100) if century else None
    return None


def _part_of(text):
    match = _PART.match(text)
    if not match:
        return None
    part, year, decade = match.group(1).lower(), int(match.group(2)), match.group(3)
    if decade:
        if year % 10:
            return None
        spans = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}
        first, last = spans[part]
        return _year_range(year + first, year + last)
    spans = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
    first, last = spans[part]
    return DateRange(date(year, first, 1), _month_end(year, last))


def _year_span(text):
    match = _YEAR_SPAN.match(text)
    if not match:
        return None
    return _year_range(int(match.group(1)), int(match.group(2)))


def _season(text):
    """`høsten 1944`, `autumn 1944`, `vinteren 1944/45` (or 1944-45, 1944-1945)."""
    match = _SEASON.match(text)
    if not match or match.group(1).lower() not in SEASONS:
        return None
    months, year, following = SEASONS[match.group(1).lower()], int(match.group(2)), match.group(3)
    if following is None:
        return _season_range(year, months)
    # Only a winter has two years, and they follow each other.
    if months != WINTER or int(following) != (year + 1) % 10 ** len(following):
        return None
    return _season_range(year, months, both_years=True)


def _undated(text):
    return UNDATED if text.lower() in UNDATED_WORDS else None


def _numeric_day(text):
    match = _NUMERIC_DAY.match(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return DateRange(date(year, month, day), date(year, month, day))
    except ValueError:
        return None


def _spelled_out(text):
    """`September 1945`, `24 Sept 1945`, `Sept. 24, 1945`, `24. september 1945`, `mai 1945`."""
    words = [word.rstrip(".").lower() for word in _WORDS.findall(text)]
    months = [MONTHS[word] for word in words if word in MONTHS]
    numbers = [int(word) for word in words if word.isdigit()]
    if len(months) != 1 or len(words) != len(numbers) + 1:
        return None
    years = [number for number in numbers if number >= 100]
    days = [number for number in numbers if number < 100]
    if len(years) != 1 or len(days) > 1:
        return None
    year, month = years[0], months[0]
    try:
        if days:
            day = date(year, month, days[0])
            return DateRange(day, day)
        return DateRange(date(year, month, 1), _month_end(year, month))
    except ValueError:
        return None


# EDTF comes last in both: its parser is slow, and a few of its forms begin with a letter (Y170000002).
_NUMBER_READERS = (_iso, _decade_or_century, _year_span, _numeric_day, _spelled_out, _edtf)
_WORD_READERS = (_part_of, _spelled_out, _season, _undated, _edtf)


# --- Display ------------------------------------------------------------------------------------

UNDATED_LABEL = pgettext_lazy("date", "undated")
CIRCA_LABEL = pgettext_lazy("date", "circa %(date)s")
# A decade (1940: "1940s") or a century (1900: "1900s"), as the decade facet names it.
DECADE_LABEL = pgettext_lazy("date", "%(decade)ds")
SEASON_LABELS = {
    SPRING: pgettext_lazy("date", "spring %(year)s"),
    SUMMER: pgettext_lazy("date", "summer %(year)s"),
    AUTUMN: pgettext_lazy("date", "autumn %(year)s"),
    WINTER: pgettext_lazy("date", "winter %(year)s"),
}
# Between the ends of an interval: an en dash, closed up, in both languages.
DASH = "–"


def decade_label(decade):
    """A decade by its first year, in the active language: 1940 -> "1940s", "1940-tallet"."""
    return DECADE_LABEL % {"decade": decade}


def display(text):
    """`text` as the site and the admin show it in the active language (see the module's
    docstring); a form not read exactly is returned as written."""
    return _display(text or "", get_language() or "en")


@functools.lru_cache(maxsize=10_000)
def _display(text, language):
    written = text.strip()
    if not written:
        return written
    if written.lower() in UNDATED_WORDS:
        return str(UNDATED_LABEL)
    shown = _qualified(written) if parse(written) else None
    return written if shown is None else shown


def _qualified(text):
    """The date in words with its marks: [inferred], uncertain?, circa, EDTF's ~ (approximate)."""
    inferred = text.startswith("[") and text.endswith("]")
    core = text[1:-1].strip() if inferred else text
    uncertain = core.endswith("?")
    core = core.rstrip("?").strip()
    circa = _CIRCA.match(core)
    if circa:
        core = core[circa.end():].strip()
    approximate = bool(circa) or core.endswith("~")
    core = core.rstrip("~").strip()
    if not core or "%" in core or "?" in core or "~" in core:
        return None
    shown = _in_words(core)
    if shown is None:
        return None
    if approximate:
        shown = CIRCA_LABEL % {"date": shown}
    if uncertain:
        shown = f"{shown}?"
    return f"[{shown}]" if inferred else shown


def _in_words(text):
    season = _season_in_words(text)
    if season is not None or parse(text) is None:
        return season
    if "/" in text:
        start, _, end = text.partition("/")
        first = None if start in _OPEN else _in_words(start)
        last = None if end in _OPEN else _in_words(end)
        if (first is None and start not in _OPEN) or (last is None and end not in _OPEN):
            return None
        return f"{first or ''}{DASH}{last or ''}"
    if match := _YEAR_SPAN.match(text):
        return f"{match.group(1)}{DASH}{match.group(2)}"
    return _range_in_words(parse(text))


def _range_in_words(reading):
    """A day, a month, a year, a decade or a century in words; None for any other range."""
    first, last = reading
    if first is None or last is None:
        return None
    if first == last:
        return formats.date_format(first, "DATE_FORMAT")
    if first.day != 1 or last != _month_end(last.year, last.month):
        return None
    if (first.year, first.month) == (last.year, last.month):
        return formats.date_format(first, "YEAR_MONTH_FORMAT")
    if first.month != 1 or last.month != 12:
        return None
    years = last.year - first.year + 1
    if years == 1:
        return str(first.year)
    if (years == 10 and first.year % 10 == 0) or (years == 100 and first.year % 100 == 0):
        return decade_label(first.year)
    return None


def _season_in_words(text):
    """`høsten 1944`, `autumn 1944`, EDTF's `1944-23`: the season in words; else None."""
    match = _SEASON.match(text)
    if match and match.group(1).lower() in SEASONS and _season(text) is not None:
        year = match.group(2) + (f"/{match.group(3)}" if match.group(3) else "")
        return SEASON_LABELS[SEASONS[match.group(1).lower()]] % {"year": year}
    match = _ISO.match(text)
    if match and match.group(2) and not match.group(3) and int(match.group(2)) in EDTF_SEASONS:
        if text[-1] in "~?%":
            return None
        return SEASON_LABELS[EDTF_SEASONS[int(match.group(2))]] % {"year": match.group(1)}
    return None
