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
