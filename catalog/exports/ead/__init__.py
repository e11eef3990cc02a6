"""Finding aids out: a unit and its published subtree as one EAD document.

    from catalog.exports import ead
    ead.write(unit, out, format="ead3")          # to a binary file object; returns the units written
    ead.stream(unit, format="apeead")            # chunks of bytes, for a download
    with ead.atomic(path) as out: ...            # a file replaced only once complete
    ead.FORMATS                                  # {"ead3": Format, "apeead": Format}

Formats are registered by name (ArchivesSpace's `serializer_for`); an unknown name raises
UnknownFormat, whose message lists the known ones. Preparing (model.py: what is read, in which
order) is apart from writing (writing.py: the skeleton and streaming; ead3.py and apeead.py:
how a unit is described in each).
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import apeead, ead3, model, writing
from .writing import CannotWrite, NotExportable, atomic

UNKNOWN_FORMAT = _("There is no EAD format “%(format)s”: choose one of %(offered)s.")


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    writer: type
    schema_file: str  # in schemas/, which the tests validate against


FORMATS = {
    format_.name: format_ for format_ in (
        Format("ead3", "EAD3", ead3.EAD3, "ead3.xsd"),
        Format("apeead", "apeEAD (Archives Portal Europe)", apeead.ApeEAD, apeead.SCHEMA_FILE),
    )
}


class UnknownFormat(ValueError):
    pass


def get(name):
    """The format called `name`. UnknownFormat if there is none; NotExportable if the settings
    keep it from being written validly (the message says which)."""
    try:
        found = FORMATS[name]
    except KeyError:
        raise UnknownFormat(str(UNKNOWN_FORMAT % {"format": name, "offered": ", ".join(FORMATS)})) from None
    problems = found.writer.problems()
    if problems:
        raise NotExportable(" ".join(problems))
    return found


def write(unit, out, format="ead3", *, site_url=""):
    """Write the finding aid of `unit` (a published unit) to the binary file object `out`;
    return the number of units written. With `site_url` (the public site's root) the finding
    aid links to the units' pages and their public files."""
    return writing.write(get(format).writer, unit, out, site_url=site_url)


def units_written(unit, out, format="ead3", *, site_url=""):
    """As `write`, yielding each unit (model.Unit) as it is written (for progress bars)."""
    return writing.units_written(get(format).writer, unit, out, site_url=site_url)


def stream(unit, format="ead3", *, site_url=""):
    """The finding aid of `unit` as chunks of bytes (a StreamingHttpResponse's body)."""
    return writing.stream(get(format).writer, unit, site_url=site_url)


published_unit = model.published_unit

__all__ = ["FORMATS", "CannotWrite", "Format", "NotExportable", "UnknownFormat", "atomic", "get", "published_unit", "stream", "units_written", "write"]
