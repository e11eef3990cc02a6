"""Statement.target: a relation statement may name another item of the catalogue."""
import pytest
from django.core.exceptions import ValidationError

from catalog import relations
from catalog.models import Statement
from catalog.models.items import NOT_A_RELATION, RELATION_TO_ITSELF
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def note():
    return ItemFactory(identifier="finnmark-1945-note-0924", title="Note on the Soviet forces", dcmi_type="Text")


@pytest.fixture
def article():
    return ItemFactory(identifier="barentsobserver-2015", title="70 years since", dcmi_type="Text")


@pytest.mark.parametrize("term", relations.RELATION_TERMS)
def test_every_relation_term_may_name_an_item(note, article, term):
    statement = Statement(item=article, term=term, value="The note", target=note)
    statement.full_clean()


@pytest.mark.parametrize("term", ["description", "subject", "conformsTo", "title"])
def test_other_terms_may_not(note, article, term):
    statement = Statement(item=article, term=term, value="The note", target=note)
    with pytest.raises(ValidationError) as raised:
        statement.full_clean()
    error = raised.value.error_dict["target"][0]
    assert error.code == "not_a_relation"
    assert error.message == NOT_A_RELATION


def test_an_item_is_not_related_to_itself(note):
    statement = Statement(item=note, term="relation", value="Itself", target=note)
    with pytest.raises(ValidationError) as raised:
        statement.full_clean()
    assert raised.value.error_dict["target"][0].message == RELATION_TO_ITSELF


def test_an_empty_value_takes_the_other_items_title(note, article):
    statement = Statement(item=article, term="references", target=note)
    statement.full_clean()
    assert statement.value == "Note on the Soviet forces"


def test_deleting_the_cited_item_keeps_the_statement_as_text(note, article):
    statement = Statement.objects.create(item=article, term="references", value="The note", target=note)
    note.delete()
    statement.refresh_from_db()
    assert (statement.value, statement.target_id) == ("The note", None)
    assert list(article.statements.filter(term="references").values_list("value", flat=True)) == ["The note"]
