"""A described fonds for the EAD exports, and helpers to export and read it.

Kirkenes municipality's archive (KF), four levels deep:

    kf         fonds        KF        creator (an organisation with a history and a Wikidata link),
                                      dates, extent, medium, languages, scope in two languages,
                                      access, reproduction, archival history, related material,
                                      subject and place (linked), arrangement text
    kf-a       series       KF/A      a person as creator (no history), a date range by months
    kf-a-1     file         KF/A/1    an unreadable date
    kf-a-1-*   items        KF/A/1/*  positions given out of identifier order; one titled in two
                                      languages, one with a public image
    kf-a-2     file         KF/A/2    a date with an open end, a creator by name only
    kf-b       series       KF/B      DRAFT: it and everything below it are left out
    kf-b-1     file         KF/B/1    published, but under a draft
    kf-c       "Photo album (bound)"  a level of the archive's own (EAD otherlevel)
"""
import io

import pytest
from lxml import etree

from catalog.exports import ead
from catalog.exports.ead import validation
from catalog.models import Authority, Item, Level, Statement
from tests.factories import AuthorityFactory, AuthorityLinkFactory, DigitalFileFactory, ItemFactory

NS = {
    "ead3": {"e": "http://ead3.archivists.org/schema/"},
    "apeead": {"e": "urn:isbn:1-931666-22-9", "xlink": "http://www.w3.org/1999/xlink"},
}
SITE = "https://arkiv.example.org"


def unit(identifier, *, parent=None, level="item", status=Item.PUBLISHED, title=None, position=0, local_code="", **fields):
    made = ItemFactory(identifier=identifier, status=status, title=title or f"Unit {identifier}")
    made.parent, made.position, made.local_code = parent, position, local_code
    made.level = level if isinstance(level, Level) else Level.objects.get(code=level)
    for name, value in fields.items():
        setattr(made, name, value)
    made.save()
    return made


def state(item, term, value="", lang="", authority=None):
    Statement.objects.create(
        item=item, term=term, value=value or authority.preferred_label, lang=lang, authority=authority,
        position=Statement.objects.filter(item=item).count() + 1,
    )
    item.refresh_derived()


@pytest.fixture
def fonds(db):
    municipality = AuthorityFactory(
        preferred_label="Sør-Varanger kommune", agent_type="organisation",
        note="The municipality around Kirkenes, formed in 1858.\n\nIts town was rebuilt after 1945.",
    )
    AuthorityLinkFactory(authority=municipality, source="wikidata", uri="https://www.wikidata.org/wiki/Q483987")
    karlsen = AuthorityFactory(preferred_label="R. Karlsen", agent_type="person", note="A captain.")
    kirkenes = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    AuthorityLinkFactory(authority=kirkenes, source="geonames", uri="https://sws.geonames.org/779683/")
    liberation = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Liberation of Finnmark")

    top = unit("kf", level="fonds", local_code="KF", title="Kirkenes municipality archive",
               arrangement="In three series by function.\n\nEach series by date.")
    for term, value, lang, authority in [
        ("creator", "", "", municipality),
        ("created", "1944-1950", "", None),
        ("extent", "2 boxes", "", None),
        ("medium", "paper", "", None),
        ("language", "nb", "", None),
        ("language", "ru", "", None),
        ("description", "A description the abstract stands in front of.", "en", None),
        ("abstract", "Records of the municipality during the liberation.", "en", None),
        ("abstract", "Kommunens arkiv fra frigjøringen.", "nb", None),
        ("accessRights", "Open to all.", "en", None),
        ("rights", "CC BY 4.0", "", None),
        ("provenance", "Transferred by the municipality in 1990.", "en", None),
        ("relation", "The county governor's archive.", "en", None),
        ("subject", "", "", liberation),
        ("spatial", "", "", kirkenes),
    ]:
        state(top, term, value, lang, authority)

    series_a = unit("kf-a", parent=top, level="series", local_code="A", position=1, title="Correspondence")
    state(series_a, "creator", authority=karlsen)
    state(series_a, "created", "1944-10/1945-09")
    state(series_a, "creator", authority=municipality)  # the fonds gives its history already

    file_1 = unit("kf-a-1", parent=series_a, level="file", local_code="1", position=1, title="Letters")
    state(file_1, "created", "the year the bridge opened")
    for position, identifier in ((3, "kf-a-1-1"), (1, "kf-a-1-2"), (2, "kf-a-1-3")):
        unit(identifier, parent=file_1, local_code=identifier[-1], position=position)
    two_titles = Item.objects.get(identifier="kf-a-1-2")
    state(two_titles, "title", "Brev fra Kirkenes", "nb")
    DigitalFileFactory(item=Item.objects.get(identifier="kf-a-1-3"), original_public=True, label="Front page")

    file_2 = unit("kf-a-2", parent=series_a, level="file", local_code="2", position=2, title="Reports")
    state(file_2, "created", "1944/..")
    state(file_2, "creator", "An unknown clerk")

    series_b = unit("kf-b", parent=top, level="series", local_code="B", position=2, status=Item.DRAFT, title="Drafts")
    unit("kf-b-1", parent=series_b, level="file", local_code="1", title="Hidden file")

    album = Level.objects.create(code="album", name="Photo album (bound)", ead_level="otherlevel", position=6)
    unit("kf-c", parent=top, level=album, local_code="C", position=3, title="Album of the rebuilding")
    return Item.objects.get(pk=top.pk)


@pytest.fixture
def export():
    """export(unit, format="ead3", site_url="") -> the document's root, checked against its schema."""

    def run(item, format="ead3", site_url=""):
        out = io.BytesIO()
        ead.write(item, out, format, site_url=site_url)
        document = out.getvalue()
        assert validation.errors(document, ead.FORMATS[format].schema_file) == []
        return etree.fromstring(document)

    return run


@pytest.fixture
def ead3(export, fonds):
    return export(fonds, "ead3", site_url=SITE)


@pytest.fixture
def apeead(export, fonds):
    return export(fonds, "apeead", site_url=SITE)


def xpath(root, path):
    """Text values (strings) of an XPath over an export; prefix e: is the format's namespace."""
    namespaces = NS["ead3"] if root.tag.startswith("{http://ead3") else NS["apeead"]
    return [value if isinstance(value, str) else "".join(value.itertext()) for value in root.xpath(path, namespaces=namespaces)]


@pytest.fixture
def values():
    return xpath
