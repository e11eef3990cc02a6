import re

import pytest
from django.utils import translation

from catalog.site import citations
from catalog.models import Item, Statement
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory, described_note

pytestmark = pytest.mark.django_db

BASE_URL = "https://arkiv.example.org"
NOTE_URL = "https://arkiv.example.org/items/finnmark-1945-note-0924/"
HOSTILE = "Reply {to} \\the 100% & #1 $5 a_b ~c ^d <e>"


def described(item):
    return Item.objects.with_description().get(pk=item.pk)


def item_with(*statements, dcmi_type="Text", **fields):
    """An item whose statements are (term, value) or (term, value, authority) tuples."""
    item = ItemFactory(dcmi_type=dcmi_type, **fields)
    for position, (term, value, *authority) in enumerate(statements, start=1):
        Statement.objects.create(
            item=item, term=term, value=value, authority=(authority or [None])[0], position=position
        )
    return described(item)


def person(label):
    return AuthorityFactory(preferred_label=label, agent_type="person")


def test_plain_citation_of_the_note_follows_chicago_for_an_archival_item():
    assert citations.citation(described_note(), base_url=BASE_URL) == (
        "Karlsen, R., and P. Lukin-Griege. “Note on the Soviet forces in Eastern Finnmark.” Note. "
        "September 24, 1945. finnmark-1945-note-0924. Documents, Eastern Finnmark 1944–1945. "
        f"Arkiv demo catalogue. {NOTE_URL}."
    )


def test_ris_record_of_the_note():
    assert citations.ris(described_note(), base_url=BASE_URL) == (
        "TY  - MANSCPT\r\n"
        "TI  - Note on the Soviet forces in Eastern Finnmark\r\n"
        "AU  - Karlsen, R.\r\n"
        "AU  - Lukin-Griege, P.\r\n"
        "PY  - 1945\r\n"
        "DA  - 1945/09/24/\r\n"
        "M3  - Note\r\n"
        "AB  - Signed statement that the Soviet forces claimed no material compensation, kept the "
        "retreating German army from destroying homes, roads and bridges, spared 20,000–25,000 "
        "people from forced evacuation, and helped with food and rebuilding.\r\n"
        "KW  - Withdrawal of Soviet troops from Norway\r\n"
        "LA  - nb\r\n"
        "N1  - Part of: Documents, Eastern Finnmark 1944–1945\r\n"
        "DB  - Arkiv demo catalogue\r\n"
        "AN  - finnmark-1945-note-0924\r\n"
        f"UR  - {NOTE_URL}\r\n"
        "ER  - \r\n"
    )


def test_bibtex_entry_of_the_note():
    assert citations.bibtex(described_note(), base_url=BASE_URL) == (
        "@misc{finnmark-1945-note-0924,\n"
        "  author = {Karlsen, R. and Lukin-Griege, P.},\n"
        "  title = {{Note on the Soviet forces in Eastern Finnmark}},\n"
        "  year = {1945},\n"
        "  month = sep,\n"
        "  date = {1945-09-24},\n"
        "  howpublished = {Documents, Eastern Finnmark 1944–1945; Arkiv demo catalogue},\n"
        "  note = {Note. Item finnmark-1945-note-0924},\n"
        "  language = {nb},\n"
        "  keywords = {Withdrawal of Soviet troops from Norway},\n"
        "  abstract = {Signed statement that the Soviet forces claimed no material compensation, "
        "kept the retreating German army from destroying homes, roads and bridges, spared "
        "20,000–25,000 people from forced evacuation, and helped with food and rebuilding.},\n"
        f"  url = {{{NOTE_URL}}}\n"
        "}\n"
    )


def test_linked_values_are_cited_by_the_records_preferred_label():
    diakonoff = person("Igor Diakonoff")
    item = item_with(("creator", "Dyakonov", diakonoff))
    assert citations.citation(item, base_url=BASE_URL).startswith("Diakonoff, Igor. ")
    assert "AU  - Diakonoff, Igor\r\n" in citations.ris(item, base_url=BASE_URL)
    assert "author = {Diakonoff, Igor}," in citations.bibtex(item, base_url=BASE_URL)


def test_organisations_and_unlinked_names_are_never_inverted():
    museum = AuthorityFactory(preferred_label="Sør-Varanger Museum", agent_type="organisation")
    item = item_with(("creator", "", museum), ("creator", "Nils Morten Udgaard"))
    assert citations.citation(item, base_url=BASE_URL).startswith(
        "Sør-Varanger Museum, and Nils Morten Udgaard. "
    )
    ris = citations.ris(item, base_url=BASE_URL)
    assert "AU  - Sør-Varanger Museum\r\nAU  - Nils Morten Udgaard\r\n" in ris
    # Braced whole, so BibTeX neither splits nor reorders them; non-ASCII stays UTF-8.
    assert "author = {{Sør-Varanger Museum} and {Nils Morten Udgaard}}," in citations.bibtex(
        item, base_url=BASE_URL
    )


def test_three_creators_and_more_than_ten():
    names = [person(f"Given{n} Surname{n}") for n in range(1, 12)]
    three = item_with(*(("creator", "", a) for a in names[:3]))
    assert citations.citation(three, base_url=BASE_URL).startswith(
        "Surname1, Given1, Given2 Surname2, and Given3 Surname3. “"
    )
    eleven = item_with(*(("creator", "", a) for a in names))
    assert citations.citation(eleven, base_url=BASE_URL).startswith(
        "Surname1, Given1, Given2 Surname2, Given3 Surname3, Given4 Surname4, Given5 Surname5, "
        "Given6 Surname6, Given7 Surname7, et al. “"
    )


@pytest.mark.parametrize(
    "written, chicago, ris_date, bibtex_dates",
    [
        ("1945-09-24", "September 24, 1945", "DA  - 1945/09/24/", "year = {1945},\n  month = sep,\n  date = {1945-09-24},"),
        ("1945-09", "September 1945", "DA  - 1945/09//", "year = {1945},\n  month = sep,\n  date = {1945-09},"),
        ("September 1945", "September 1945", "DA  - 1945/09//", "year = {1945},\n  month = sep,\n  date = {1945-09},"),
        ("1945", "1945", "DA  - 1945///", "year = {1945},\n  date = {1945},"),
        ("circa 1945", "circa 1945", "DA  - 1945///circa 1945", "year = {1945},\n  date = {1945},"),
        ("[1945?]", "[1945?]", "DA  - 1945///[1945?]", "year = {1945},\n  date = {1945},"),
        ("1940s", "1940s", "DA  - 1940///1940s", "year = {1940},\n  date = {1940/1949},"),
        ("1944-10/1945-09", "October 1944–September 1945", "DA  - 1944///1944-10/1945-09", "year = {1944},\n  date = {1944-10/1945-09},"),
    ],
)
def test_dates_are_spelled_out_only_when_stated_plainly(written, chicago, ris_date, bibtex_dates):
    item = item_with(("created", written), identifier="kirkenes-1945-001")
    assert citations.citation(item, base_url=BASE_URL) == (
        f"“Item kirkenes-1945-001.” {chicago}. kirkenes-1945-001. Arkiv demo catalogue. "
        f"{BASE_URL}/items/kirkenes-1945-001/."
    )
    assert f"{ris_date}\r\n" in citations.ris(item, base_url=BASE_URL)
    entry = citations.bibtex(item, base_url=BASE_URL)
    assert bibtex_dates in entry
    qualified = written not in {"1945-09-24", "1945-09", "September 1945", "1945"}
    assert ("note = {Dated " + written + ". Item kirkenes-1945-001}" in entry) == qualified


def test_an_unreadable_date_is_kept_as_written_and_an_undated_item_is_nd():
    unreadable = item_with(("created", "the winter after the liberation"), identifier="x-1")
    assert citations.citation(unreadable, base_url=BASE_URL) == (
        f"“Item x-1.” the winter after the liberation. x-1. Arkiv demo catalogue. {BASE_URL}/items/x-1/."
    )
    ris = citations.ris(unreadable, base_url=BASE_URL)
    assert "DA  - ///the winter after the liberation\r\n" in ris and "PY  -" not in ris
    assert "year =" not in citations.bibtex(unreadable, base_url=BASE_URL)
    undated = item_with(identifier="x-2")
    assert citations.citation(undated, base_url=BASE_URL) == (
        f"“Item x-2.” n.d. x-2. Arkiv demo catalogue. {BASE_URL}/items/x-2/."
    )


def test_title_ending_in_punctuation_gets_no_second_stop():
    item = item_with(title="Who signed the note?")
    assert "“Who signed the note?” n.d." in citations.citation(item, base_url=BASE_URL)


@pytest.mark.parametrize(
    "dcmi_type, publisher, expected",
    [("Text", "", "MANSCPT"), ("Text", "BarentsObserver", "GEN"), ("StillImage", "", "ART"),
     ("MovingImage", "", "MPCT"), ("Sound", "", "SOUND"), ("Dataset", "", "DATA"), ("Event", "", "GEN")],
)
def test_ris_type_follows_the_dcmi_type(dcmi_type, publisher, expected):
    statements = [("publisher", publisher)] if publisher else []
    item = item_with(*statements, dcmi_type=dcmi_type)
    assert citations.ris(item, base_url=BASE_URL).startswith(f"TY  - {expected}\r\n")


def test_ris_values_stay_on_one_line_so_no_tag_can_be_injected():
    item = item_with(("description", "First line\r\nER  - \r\nTY  - JOUR\nTI  - Forged\tend"))
    record = citations.ris(item, base_url=BASE_URL)
    assert "AB  - First line ER - TY - JOUR TI - Forged end\r\n" in record
    assert [line[:6] for line in record.split("\r\n")].count("ER  - ") == 1
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in record.split("\r\n") if line)


def test_bibtex_escapes_latex_specials_and_keeps_braces_balanced():
    item = item_with(("description", HOSTILE), ("subject", "}{ \\end{document}"), title=HOSTILE)
    entry = citations.bibtex(item, base_url=BASE_URL)
    escaped = (
        r"Reply \textbraceleft{}to\textbraceright{} \textbackslash{}the 100\% \& \#1 \$5 a\_b "
        r"\textasciitilde{}c \textasciicircum{}d \textless{}e\textgreater{}"
    )
    assert f"  title = {{{{{escaped}}}}},\n" in entry
    assert f"  abstract = {{{escaped}}},\n" in entry
    assert (
        r"  keywords = {\textbraceright{}\textbraceleft{} \textbackslash{}end\textbraceleft{}document\textbraceright{}},"
        in entry
    )
    depth = 0
    for character in entry:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0
    assert depth == 0


def test_bibtex_braces_a_person_name_containing_and():
    item = item_with(("creator", "", person("Anders and Sons")))
    assert "author = {{Anders and Sons}}," in citations.bibtex(item, base_url=BASE_URL)


def test_bibtex_url_is_percent_encoded_not_latex_escaped():
    item = item_with(identifier="note_1945.a")
    entry = citations.bibtex(item, base_url="https://arkiv.example.org/a b/")
    assert entry.startswith("@misc{note_1945.a,\n")
    assert "  url = {https://arkiv.example.org/items/note_1945.a/}\n" in entry


def test_a_collection_is_cited_within_its_parents_and_a_parent_only_once():
    fonds = CollectionFactory(title="Eastern Finnmark")
    series = CollectionFactory(title="Photographs", parent=fonds)
    anniversaries = CollectionFactory(title="Anniversaries")
    item = ItemFactory()
    item.collections.add(fonds, series, anniversaries)
    cited = citations.citation(described(item), base_url=BASE_URL)
    assert " Photographs, Eastern Finnmark; Anniversaries. Arkiv demo catalogue. " in cited
    assert "N1  - Part of: Photographs, Eastern Finnmark; Anniversaries\r\n" in citations.ris(
        described(item), base_url=BASE_URL
    )


def test_citations_read_only_what_with_description_prefetched(django_assert_num_queries):
    note = described_note()
    with django_assert_num_queries(0):
        citations.citation(note, base_url=BASE_URL)
        citations.ris(note, base_url=BASE_URL)
        citations.bibtex(note, base_url=BASE_URL)


def test_repository_name_comes_from_settings(settings):
    settings.ARKIV_REPOSITORY_NAME = "Sør-Varanger local history archive"
    item = item_with()
    assert " Sør-Varanger local history archive. " in citations.citation(item, base_url=BASE_URL)
    assert "DB  - Sør-Varanger local history archive\r\n" in citations.ris(item, base_url=BASE_URL)


def test_a_norwegian_reader_reads_the_joining_words_of_a_citation_in_norwegian():
    names = [person(f"Given{n} Surname{n}") for n in range(1, 12)]
    three = item_with(*(("creator", "", a) for a in names[:3]), identifier="x-3")
    eleven = item_with(*(("creator", "", a) for a in names), identifier="x-11")
    with translation.override("nb"):
        assert citations.citation(three, base_url=BASE_URL).startswith(
            "Surname1, Given1, Given2 Surname2 og Given3 Surname3. «"
        )
        assert citations.citation(eleven, base_url=BASE_URL).startswith(
            "Surname1, Given1, Given2 Surname2, Given3 Surname3, Given4 Surname4, Given5 Surname5, "
            "Given6 Surname6, Given7 Surname7 mfl. «"
        )
        assert " u.å. x-3. " in citations.citation(three, base_url=BASE_URL)
