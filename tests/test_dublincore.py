import pytest
from django.utils import translation

from catalog import dublincore

# DCMI Metadata Terms, section 2 (properties in /terms/), 2020-01-20: 55 properties.
DCMI_TERMS_PROPERTIES = """
abstract accessRights accrualMethod accrualPeriodicity accrualPolicy alternative audience available
bibliographicCitation conformsTo contributor coverage created creator date dateAccepted
dateCopyrighted dateSubmitted description educationLevel extent format hasFormat hasPart hasVersion
identifier instructionalMethod isFormatOf isPartOf isReferencedBy isReplacedBy isRequiredBy issued
isVersionOf language license mediator medium modified provenance publisher references relation
replaces requires rights rightsHolder source spatial subject tableOfContents temporal title type valid
""".split()

# DCMES 1.1, in the order of the specification.
DCMES = "title creator subject description publisher contributor date type format identifier source language relation coverage rights".split()


def test_the_fifteen_elements_in_specification_order():
    assert list(dublincore.ELEMENTS) == DCMES


def test_every_dcmi_terms_property_is_a_term():
    assert sorted(dublincore.TERMS) == sorted(DCMI_TERMS_PROPERTIES)
    assert len(dublincore.TERMS) == 55


def test_refinements_dumb_down_to_an_element_or_nothing():
    for term in dublincore.TERMS:
        assert dublincore.element_of(term) in (*DCMES, None)
    assert dublincore.element_of("created") == "date"
    assert dublincore.element_of("spatial") == "coverage"
    assert dublincore.element_of("isPartOf") == "relation"
    assert dublincore.element_of("abstract") == "description"
    assert dublincore.element_of("audience") is None


def test_dcmi_type_vocabulary():
    assert dublincore.DCMI_TYPES == (
        "Collection", "Dataset", "Event", "Image", "InteractiveResource", "MovingImage",
        "PhysicalObject", "Service", "Software", "Sound", "StillImage", "Text",
    )


def test_qualified_names_round_trip():
    for term in dublincore.TERMS:
        assert dublincore.term_from_qualified_name(dublincore.qualified_name(term)) == term
    assert dublincore.qualified_name("title") == "dc:title"
    assert dublincore.qualified_name("created") == "dcterms:created"
    assert dublincore.term_from_qualified_name("dcterms:title") == "title"


def test_every_term_has_a_label_and_a_choice():
    assert set(dublincore.LABELS) == set(dublincore.TERMS)
    offered = {value for _, members in dublincore.term_choices() for value, _ in members}
    assert offered == set(dublincore.TERMS)


def test_namespaces():
    assert dublincore.NS_DC == "http://purl.org/dc/elements/1.1/"
    assert dublincore.NS_DCTERMS == "http://purl.org/dc/terms/"
    assert dublincore.NS_OAI_DC == "http://www.openarchives.org/OAI/2.0/oai_dc/"


# --- labels in the reader's language ---------------------------------------------------------------

# The element names Norwegian libraries use for the fifteen, in DCMES order.
NORWEGIAN_ELEMENTS = (
    "Tittel", "Opphav", "Emne", "Beskrivelse", "Utgiver", "Bidragsyter", "Dato", "Type", "Format",
    "Identifikator", "Kilde", "Språk", "Relasjon", "Dekning", "Rettigheter",
)


def test_the_fifteen_elements_read_as_norwegian_libraries_name_them():
    with translation.override("nb"):
        assert [str(dublincore.LABELS[element]) for element in DCMES] == list(NORWEGIAN_ELEMENTS)
    with translation.override("en"):
        assert str(dublincore.LABELS["creator"]) == "Creator" and str(dublincore.LABELS["relation"]) == "Related"


@pytest.mark.parametrize(
    "term, english, norwegian",
    [
        ("created", "Created", "Opprettet"), ("issued", "Published", "Utgitt"),
        ("alternative", "Other title", "Alternativ tittel"), ("abstract", "Summary", "Sammendrag"),
        ("spatial", "Place", "Romlig dekning"), ("temporal", "Period", "Tidsmessig dekning"),
        ("isPartOf", "Part of", "Er del av"), ("rightsHolder", "Rights holder", "Rettighetshaver"),
    ],
)
def test_refinements_read_in_the_readers_language(term, english, norwegian):
    for language, label in (("en", english), ("nb", norwegian)):
        with translation.override(language):
            assert str(dublincore.LABELS[term]) == label


def test_every_label_a_person_reads_has_a_norwegian_translation():
    labels = [
        *dublincore.LABELS.values(), *(group.label for group in dublincore.GROUPS),
        *dublincore.TYPE_LABELS.values(), dublincore.PARALLEL_TITLE, dublincore.OTHER_TERMS,
    ]
    english = [str(label) for label in labels]
    with translation.override("nb"):
        norwegian = [str(label) for label in labels]
    untranslated = [
        label for label, nb in zip(english, norwegian)
        if label == nb and label not in {"Type", "Format", "Medium"}  # the same word in Norwegian
    ]
    assert not untranslated
    with translation.override("nb"):
        assert str(dublincore.PARALLEL_TITLE) == "Parallelltittel"
        assert str(dublincore.TYPE_LABELS["StillImage"]) == "Stillbilde"


def test_term_choices_are_labelled_in_the_language_of_the_form_and_keep_their_keys():
    choices = dublincore.term_choices()  # made once, at import time, as the model field's are
    with translation.override("nb"):
        groups = {str(group): [(key, str(label)) for key, label in members] for group, members in choices}
    assert ("created", "Opprettet (dcterms:created)") in groups["Dato"]
    assert ("title", "Tittel (dc:title)") in groups["Tittel"]
    assert "Andre DCMI-termer" in groups
    with translation.override("en"):
        groups = {str(group): [(key, str(label)) for key, label in members] for group, members in choices}
    assert ("spatial", "Place (dcterms:spatial)") in groups["Coverage"]
    assert {key for members in groups.values() for key, _ in members} == set(dublincore.TERMS)
