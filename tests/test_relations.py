"""The relation vocabulary (catalog/relations.py): which terms may name another item, and how
each reads from the other end."""
from catalog import dublincore, relations


def test_the_relation_terms_are_dc_relation_its_refinements_but_conforms_to_and_dc_source():
    refinements = {term for term, element in dublincore.ELEMENT_OF.items() if element == "relation"}
    assert set(relations.RELATION_TERMS) == (refinements - {"conformsTo"}) | {"source"}


def test_every_dcmi_inverse_is_a_relation_term_whose_inverse_is_the_first():
    for term, inverse in relations.INVERSES.items():
        if inverse is not None:
            assert relations.INVERSES[inverse] == term


def test_dc_source_has_no_dcmi_inverse_and_reads_as_source_of():
    assert relations.inverse("source") == relations.SOURCE_OF
    assert relations.SOURCE_OF not in dublincore.TERMS  # never written as a term
    assert str(relations.label(relations.SOURCE_OF)) == "Source of"
    assert str(relations.label(relations.inverse("references"))) == "Referenced by"
