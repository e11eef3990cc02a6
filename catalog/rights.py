"""The controlled list of rights statements and licences an item or a digital file may carry.

The list is data, vendored in catalog/data/rights/ (README there): the twelve
rightsstatements.org statements, the six Creative Commons 4.0 licences, CC0 and the Public
Domain Mark, each stored as its URI exactly as the list writes it (http, trailing slash), which
is the form Europeana, DPLA and rightsstatements.org itself ask for. Europeana accepts 14 of
them as `edm:rights` (europeana_accepted_rights.csv).

`reuse()` sorts the list into the four answers of the public facet "Can I reuse this?":

- "free": no conditions beyond attribution: PDM, CC0, CC BY, CC BY-SA;
- "conditions": reuse allowed within limits: the NonCommercial and NoDerivatives licences,
  InC-EDU, InC-NC and the NoC statements with restrictions (NoC-NC, NoC-OKLR, NoC-CR, NoC-US:
  free in the United States only);
- "permission": in copyright, ask the rights holder: InC, InC-RUU, InC-OW-EU (an orphan work
  only the institutions of the EU directive may use);
- "unknown": not evaluated or not determined: CNE, UND, NKC, and no statement at all.
"""
import csv
import difflib
import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from lxml import etree

DATA = Path(__file__).parent / "data" / "rights"
RIGHTS_CSV = DATA / "rights.csv"
EUROPEANA_CSV = DATA / "europeana_accepted_rights.csv"

RIGHTSSTATEMENT, CC_LICENCE, CC0, PDM = "rightsstatement", "cc-licence", "cc0", "pdm"
LICENCE_KINDS = frozenset({CC_LICENCE, CC0, PDM})  # grants of use (dcterms:license), not statements

FREE, CONDITIONS, PERMISSION, UNKNOWN = "free", "conditions", "permission", "unknown"
REUSE = {
    FREE: _("Free to reuse"),
    CONDITIONS: _("Reuse with conditions"),
    PERMISSION: _("Ask for permission"),
    UNKNOWN: _("Rights unknown"),
}

# The English labels of rights.csv, written out so that makemessages finds them; a test keeps
# these msgids and the CSV's labels equal.
_LABELS = {str(label): label for label in (
    _("Creative Commons Attribution 4.0 International"),
    _("Creative Commons Attribution-ShareAlike 4.0 International"),
    _("Creative Commons Attribution-NoDerivatives 4.0 International"),
    _("Creative Commons Attribution-NonCommercial 4.0 International"),
    _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International"),
    _("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International"),
    _("CC0 1.0 Universal Public Domain Dedication"),
    _("Public Domain Mark 1.0"),
    _("Copyright Not Evaluated"),
    _("In Copyright - Educational Use Permitted"),
    _("In Copyright - Non-Commercial Use Permitted"),
    _("In Copyright - EU Orphan Work"),
    _("In Copyright - Rights-holder(s) Unlocatable or Unidentifiable"),
    _("In Copyright"),
    _("No Known Copyright"),
    _("No Copyright - Contractual Restrictions"),
    _("No Copyright - Non-Commercial Use Only"),
    _("No Copyright - Other Known Legal Restrictions"),
    _("No Copyright - United States"),
    _("Copyright Undetermined"),
)}

RS_VOCAB = re.compile(r"^http://rightsstatements\.org/vocab/(?P<code>[A-Za-z-]+)/1\.0/$")
CC_LICENCE_URI = re.compile(r"^http://creativecommons\.org/licenses/(?P<code>[a-z-]+)/4\.0/$")
CC0_URI = "http://creativecommons.org/publicdomain/zero/1.0/"
PDM_URI = "http://creativecommons.org/publicdomain/mark/1.0/"

# The reuse answer of each statement that is not a CC grant (those follow from their code).
_RS_REUSE = {
    "InC": PERMISSION, "InC-RUU": PERMISSION, "InC-OW-EU": PERMISSION,
    "InC-EDU": CONDITIONS, "InC-NC": CONDITIONS,
    "NoC-NC": CONDITIONS, "NoC-OKLR": CONDITIONS, "NoC-CR": CONDITIONS, "NoC-US": CONDITIONS,
    "CNE": UNKNOWN, "UND": UNKNOWN, "NKC": UNKNOWN,
}
# Badge colours: rightsstatements.org's three families (in copyright, no copyright, other),
# and Creative Commons' dark buttons.
_COLOURS = {"InC": "#a3262a", "NoC": "#2d6a30", "other": "#3d5a73", "cc": "#222222"}


class Statement(NamedTuple):
    uri: str
    label: Promise  # translated when read: str(statement.label)
    kind: str


def _kind(uri):
    if RS_VOCAB.match(uri):
        return RIGHTSSTATEMENT
    if CC_LICENCE_URI.match(uri):
        return CC_LICENCE
    if uri == CC0_URI:
        return CC0
    if uri == PDM_URI:
        return PDM
    raise ValueError(f"{uri} is neither a rightsstatements.org statement nor a Creative Commons tool")


def _read(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["uri"], row["label"]) for row in csv.DictReader(handle)]


STATEMENTS = [Statement(uri, _LABELS[label], _kind(uri)) for uri, label in _read(RIGHTS_CSV)]
_BY_URI = {statement.uri: statement for statement in STATEMENTS}
_BY_KEY = {uri.lower(): uri for uri in _BY_URI}
EUROPEANA_ACCEPTED = frozenset(uri for uri, _label in _read(EUROPEANA_CSV))


def choices():
    """(uri, label) pairs for a form's select, in the list's order, labels translated when shown."""
    return [(statement.uri, statement.label) for statement in STATEMENTS]


def get(uri):
    return _BY_URI.get(uri)


def is_known(uri):
    return uri in _BY_URI


def label(uri):
    """The statement's label in the active language; an unknown URI is shown as itself."""
    statement = _BY_URI.get(uri)
    return str(statement.label) if statement else uri


def europeana_accepts(uri):
    return uri in EUROPEANA_ACCEPTED


def is_licence(uri):
    """A grant of use (a CC licence, CC0, the PDM) rather than a statement about the rights."""
    statement = _BY_URI.get(uri)
    return statement is not None and statement.kind in LICENCE_KINDS


def _key(text):
    """The forms people paste reduced to the list's: http, no query or fragment, the
    statement's /vocab/ address for its /page/ one, a licence's own address for its deed or legal
    code, and the trailing slash."""
    text = text.strip()
    if "://" not in text:
        text = f"http://{text}"
    parts = urlsplit(text)
    path = parts.path
    if parts.netloc.lower() in {"rightsstatements.org", "www.rightsstatements.org"}:
        path = re.sub(r"^/page/", "/vocab/", path)
        host = "rightsstatements.org"
    elif parts.netloc.lower() in {"creativecommons.org", "www.creativecommons.org"}:
        path = re.sub(r"/(legalcode|deed)(\.[A-Za-z_-]+)?$", "/", path)
        host = "creativecommons.org"
    else:
        host = parts.netloc.lower()
    if not path.endswith("/"):
        path = f"{path}/"
    return f"http://{host}{path}".lower()


def normalise(uri):
    """The list's own URI for a form of it (https, no trailing slash, a /page/ address), or ""
    if it names nothing in the list."""
    if not uri or not uri.strip():
        return ""
    return _BY_KEY.get(_key(uri), "")


def nearest(text):
    """The URI of the list most like `text`, for an error message; None if nothing is close."""
    close = difflib.get_close_matches(_key(text) if text.strip() else "", list(_BY_KEY), n=1, cutoff=0.75)
    return _BY_KEY[close[0]] if close else None


def find_in(text):
    """The first URI of the list written inside a free-text statement, e.g. "Copyright not
    evaluated (http://rightsstatements.org/vocab/CNE/1.0/)", as (canonical URI, the text as
    written), or None."""
    for match in re.finditer(r"(?:https?://)?(?:www\.)?(?:rightsstatements|creativecommons)\.org/[^\s()<>\"',;]*", text):
        canonical = normalise(match.group(0).rstrip("."))
        if canonical:
            return canonical, match.group(0)
    return None


def short_name(uri):
    """The statement's standard short name: "InC-EDU", "CC BY-SA", "CC0", "PDM"."""
    statement = _BY_URI.get(uri)
    if statement is None:
        return ""
    if statement.kind == RIGHTSSTATEMENT:
        return RS_VOCAB.match(uri)["code"]
    if statement.kind == CC_LICENCE:
        return f"CC {CC_LICENCE_URI.match(uri)['code'].upper()}"
    return "CC0" if statement.kind == CC0 else "PDM"


def reuse(uri):
    """"free", "conditions", "permission" or "unknown" (also for no URI, or one not in the list)."""
    statement = _BY_URI.get(uri)
    if statement is None:
        return UNKNOWN
    if statement.kind in {CC0, PDM}:
        return FREE
    if statement.kind == CC_LICENCE:
        return FREE if CC_LICENCE_URI.match(uri)["code"] in {"by", "by-sa"} else CONDITIONS
    return _RS_REUSE[RS_VOCAB.match(uri)["code"]]


def uris_for_reuse(group):
    """The URIs of the list in one reuse group (the facet's filter)."""
    return [statement.uri for statement in STATEMENTS if reuse(statement.uri) == group]


def _colour(uri):
    statement = _BY_URI[uri]
    if statement.kind != RIGHTSSTATEMENT:
        return _COLOURS["cc"]
    code = short_name(uri)
    return _COLOURS["InC" if code.startswith("InC") else "NoC" if code.startswith("NoC") else "other"]


SVG = "http://www.w3.org/2000/svg"


def icon(uri, *, decorative=False):
    """The statement's badge as inline SVG: its standard short name on the colour of its family
    (our own drawing of the rightsstatements.org icons and CC buttons, no image fetched), named
    by its label for screen readers; `decorative` where the label is written beside it, so that
    it is not read twice. "" for a URI not in the list."""
    if uri not in _BY_URI:
        return ""
    text = short_name(uri)
    width = 12 + 7 * len(text)  # about 7 px a character of bold 11 px sans-serif
    svg = etree.Element(f"{{{SVG}}}svg", nsmap={None: SVG}, attrib={
        "class": "rights-badge", "width": str(width), "height": "20", "viewBox": f"0 0 {width} 20",
    })
    if decorative:
        svg.set("aria-hidden", "true")
        svg.set("focusable", "false")
    else:
        svg.set("role", "img")
        svg.set("aria-label", label(uri))
        etree.SubElement(svg, f"{{{SVG}}}title").text = label(uri)
    etree.SubElement(svg, f"{{{SVG}}}rect", attrib={
        "width": str(width), "height": "20", "rx": "3", "fill": _colour(uri),
    })
    etree.SubElement(svg, f"{{{SVG}}}text", attrib={
        "x": str(width / 2), "y": "14", "fill": "#ffffff", "text-anchor": "middle",
        "font-family": "Verdana, DejaVu Sans, sans-serif", "font-size": "11", "font-weight": "bold",
    }).text = text
    return mark_safe(etree.tostring(svg, encoding="unicode"))
