"""Archival date strings -> (earliest, latest) calendar dates, for sorting, facets and ranges.

The string itself is always kept verbatim by the caller; this module only reads it. Accepted:
- ISO 8601 / W3CDTF and EDTF levels 0 and 1 (`1945-09-24`, `1944-10/1945-09`, `1945~`, `194X`,
  `1945-21` for spring), through the `edtf` library;
- the forms archivists type: `circa 1945`, `c. 1945`, `ca 1945`, `1940s`, `[1945?]`, `early 1944`,
  `mid-1944`, `late 1944`, `1944-1945`, `September 1945`, `24 Sept 1945`, `Sept. 24, 1945`.
Anything else is unparseable: `parse()` returns None and the item is flagged, never guessed.
"""
import calendar
import functools
import math
import re
from datetime import date
from typing import NamedTuple

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException


class DateRange(NamedTuple):
    earliest: date
    latest: date

    def iso8601(self) -> str:
        """The shortest ISO 8601 form of the range, valid EDTF too: `1945-09-24`, `1945-09`,
        `1945`, or an interval such as `1944/1945`, `1944-10/1945-09`, `1945-09-01/1945-09-15`."""
        first, last = self.earliest, self.latest
        whole_months = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
        whole_years = whole_months and first.month == 1 and last.month == 12
        if whole_years:
            start, end = f"{first.year:04d}", f"{last.year:04d}"
        elif whole_months:
            start, end = f"{first.year:04d}-{first.month:02d}", f"{last.year:04d}-{last.month:02d}"
        else:
            start, end = first.isoformat(), last.isoformat()
        return start if start == end else f"{start}/{end}"


MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
}
MONTHS["sept"] = 9

_CIRCA = re.compile(r"^(?:circa|ca\.?|c\.?|approx\.?|about)\s*", re.IGNORECASE)
_DECADE = re.compile(r"^(\d{3})0s$")
_CENTURY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th) century$", re.IGNORECASE)
_PART = re.compile(r"^(early|mid|late)[\s-]+(\d{4})(s?)$", re.IGNORECASE)
_YEAR_SPAN = re.compile(r"^(\d{4})\s*(?:-|–|—|to)\s*(\d{4})$")
_WORDS = re.compile(r"[a-z]+\.?|\d+", re.IGNORECASE)


# Imports and the synthetic catalogue read the same date strings thousands of times.
@functools.lru_cache(maxsize=10_000)
def parse(text: str) -> DateRange | None:
    """The (earliest, latest) range a date string denotes, or None if it cannot be read."""
    cleaned = _normalise(text)
    if not cleaned:
        return None
    # The readers of fixed shapes go first: EDTF's parser takes milliseconds even to say no, and
    # none of those shapes is EDTF (checked against EDTF-first order on 12,000 strings).
    for reader in (_iso, _decade_or_century, _part_of, _year_span, _spelled_out, _edtf):
        result = reader(cleaned)
        if result is not None:
            return result if result.earliest <= result.latest else None
    return None


def _normalise(text):
    cleaned = (text or "").strip()
    # "[1945?]" is a cataloguer's inferred, uncertain date: the brackets and query only qualify it.
    cleaned = cleaned.strip("[]").strip()
    cleaned = cleaned.rstrip("?").strip()
    cleaned = _CIRCA.sub("", cleaned)
    return cleaned.strip()


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _iso(text):
    """Plain ISO 8601 dates and intervals of them (1945, 1945-09, 1945-09-24, 1944/1945-09),
    read as EDTF reads them but without its parser, which takes milliseconds a date. Anything
    else, or anything invalid, is left to _edtf."""
    start, slash, end = text.partition("/")
    first = _iso_range(start)
    if not slash or first is None:
        return first
    last = _iso_range(end)
    if last is None or first.earliest > last.latest:
        return None
    return DateRange(first.earliest, last.latest)


def _iso_range(text):
    match = _ISO.match(text)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day is not None:
            return DateRange(date(year, month, day), date(year, month, day))
        if month is not None:
            return DateRange(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
        return _year_range(year, year)
    except ValueError:
        return None


def _edtf(text):
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


def _decade_or_century(text):
    if match := _DECADE.match(text):
        start = int(match.group(1)) * 10
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
    return DateRange(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]))


def _year_span(text):
    match = _YEAR_SPAN.match(text)
    if not match:
        return None
    return _year_range(int(match.group(1)), int(match.group(2)))


def _spelled_out(text):
    """`September 1945`, `24 Sept 1945`, `Sept. 24, 1945`."""
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
        return DateRange(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    except ValueError:
        return None
