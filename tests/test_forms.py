import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import inlineformset_factory
from django.utils.translation import override
from PIL import Image

from catalog.forms import (
    FILE_NOT_COMMITTED, IDENTIFIER_FIXED, MERGE_MIXED_KINDS, MERGE_TOO_FEW, AuthorityMergeForm,
    DigitalFileForm, ItemForm, StatementForm, StatementFormSet,
)
from catalog.models import Authority, DigitalFile, Item, Statement
from catalog.services import PUBLISH_NO_TITLE
from catalog.validators import TOO_MANY_STATEMENTS
from tests.factories import AuthorityFactory, ItemFactory, StatementFactory

pytestmark = pytest.mark.django_db

Statements = inlineformset_factory(
    Item, Statement, form=StatementForm, formset=StatementFormSet, extra=0, fk_name="item",
    fields=["position", "term", "value", "lang", "authority"],
)


def jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue())


def item_data(item, **changes):
    return {
        "identifier": item.identifier, "dcmi_type": item.dcmi_type, "status": item.status,
        "full_text": "", **changes,
    }


def statements_data(*rows):
    data = {"statements-TOTAL_FORMS": str(len(rows)), "statements-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        data.update({f"statements-{number}-{field}": value for field, value in row.items()})
    return data


# --- items -------------------------------------------------------------------------------------

def test_identifier_of_a_published_item_cannot_change():
    item = ItemFactory(identifier="kirkenes-1944-001", status="published")

    form = ItemForm(item_data(item, identifier="kirkenes-1944-002"), instance=item)

    assert not form.is_valid()
    assert form.errors.as_data()["identifier"][0].code == "identifier_fixed"
    assert form.errors["identifier"] == [IDENTIFIER_FIXED.format(identifier="kirkenes-1944-001")]


def test_identifier_of_a_withdrawn_item_cannot_change_either():
    item = ItemFactory(identifier="kirkenes-1944-001", status="published")
    item.status = Item.WITHDRAWN
    item.save()

    form = ItemForm(item_data(item, identifier="kirkenes-1944-002"), instance=Item.objects.get(pk=item.pk))

    assert "identifier" in form.errors


def test_identifier_of_a_draft_can_be_corrected():
    item = ItemFactory(identifier="kirknes-1944-001")

    form = ItemForm(item_data(item, identifier="kirkenes-1944-001"), instance=item)

    assert form.is_valid(), form.errors


def test_a_malformed_identifier_says_what_is_allowed():
    form = ItemForm({"identifier": "Kirkenes 1944/1", "dcmi_type": "StillImage", "status": "draft"})

    assert form.errors.as_data()["identifier"][0].code == "invalid_identifier"


# --- statements --------------------------------------------------------------------------------

def test_statement_language_is_normalised():
    item = ItemFactory()
    form = StatementForm({"position": "1", "term": "description", "value": "Bro", "lang": "NB-no"})
    form.instance.item = item

    assert form.is_valid(), form.errors
    assert form.save().lang == "nb-NO"


def test_statement_with_an_unknown_language_is_refused_with_examples():
    form = StatementForm({"position": "1", "term": "description", "value": "Bro", "lang": "norwegian"})

    assert not form.is_valid()
    assert form.errors.as_data()["lang"][0].code == "invalid_language"
    assert "“en”, “nb”, “ru” or “se”" in form.errors["lang"][0]


def test_statement_authority_must_fit_the_term():
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    form = StatementForm({"position": "1", "term": "creator", "authority": place.pk})
    form.instance.item = ItemFactory()

    assert not form.is_valid()
    assert form.errors.as_data()["authority"][0].code == "wrong_authority_kind"


def test_a_linked_statement_takes_the_authority_label_as_its_value():
    agent = AuthorityFactory(preferred_label="Igor Diakonoff")
    form = StatementForm({"position": "1", "term": "creator", "authority": agent.pk})
    form.instance.item = ItemFactory()

    assert form.is_valid(), form.errors
    assert form.save().value == "Igor Diakonoff"


def test_term_choices_are_grouped_by_element():
    groups = dict(StatementForm().fields["term"].choices)

    assert ("created", "Created (dcterms:created)") in groups["Date"]
    assert ("spatial", "Place (dcterms:spatial)") in groups["Coverage"]


def test_publishing_needs_a_title_among_the_statements():
    item = Item(identifier="kirkenes-1944-001", dcmi_type="StillImage", status=Item.PUBLISHED)

    formset = Statements(statements_data({"position": "1", "term": "created", "value": "1944"}), instance=item)

    assert not formset.is_valid()
    assert formset.non_form_errors() == [PUBLISH_NO_TITLE.format(identifier="kirkenes-1944-001")]
    assert formset.non_form_errors().as_data()[0].code == "no_title"


def test_a_draft_may_be_saved_without_a_title():
    item = Item(identifier="kirkenes-1944-001", dcmi_type="StillImage")

    formset = Statements(statements_data({"position": "1", "term": "created", "value": "1944"}), instance=item)

    assert formset.is_valid(), formset.errors


def test_a_published_item_keeps_a_title_linked_or_written():
    item = Item(identifier="kirkenes-1944-001", dcmi_type="StillImage", status=Item.PUBLISHED)

    formset = Statements(statements_data({"position": "1", "term": "title", "value": "Bridge"}), instance=item)

    assert formset.is_valid(), formset.errors



def test_statements_beyond_the_cap_are_refused_with_the_fix(settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 3
    item = Item(identifier="kirkenes-1944-001", dcmi_type="StillImage")
    rows = [{"position": str(n), "term": "subject", "value": f"Subject {n}"} for n in range(4)]

    formset = Statements(statements_data(*rows), instance=item)

    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        TOO_MANY_STATEMENTS % {"identifier": "kirkenes-1944-001", "count": 4, "limit": 3}
    ]
    assert formset.non_form_errors().as_data()[0].code == "too_many_statements"


def test_the_statement_cap_counts_what_the_item_keeps(settings):
    settings.ARKIV_MAX_STATEMENTS_PER_ITEM = 3
    item = ItemFactory(identifier="kirkenes-1944-001")  # with a title
    for n in range(2):
        StatementFactory(item=item, term="subject", value=f"Subject {n}")
    data = {"statements-TOTAL_FORMS": "4", "statements-INITIAL_FORMS": "3"}
    for number, statement in enumerate(item.statements.order_by("position", "pk")):
        data.update({
            f"statements-{number}-id": str(statement.pk), f"statements-{number}-position": str(statement.position),
            f"statements-{number}-term": statement.term, f"statements-{number}-value": statement.value,
        })
    data.update({"statements-3-position": "9", "statements-3-term": "subject", "statements-3-value": "New"})

    refused = Statements(data, instance=item)  # 3 kept + 1 new
    assert [error.code for error in refused.non_form_errors().as_data()] == ["too_many_statements"]

    data["statements-1-DELETE"] = "on"  # 2 kept + 1 new
    assert Statements(data, instance=item).is_valid()


# --- digital files -----------------------------------------------------------------------------

def test_an_upload_is_checked_while_the_form_validates():
    form = DigitalFileForm({"label": "recto"}, {"file": SimpleUploadedFile("photo.jpg", b"PK\x03\x04zip")})

    assert not form.is_valid()
    assert form.errors.as_data()["file"][0].code == "unsupported_type"
    assert not DigitalFile.objects.exists()


def test_an_accepted_upload_is_stored_through_ingest_on_save(settings):
    item = ItemFactory(identifier="kirkenes-1944-001")
    form = DigitalFileForm({"label": "recto"}, {"file": jpeg()}, instance=DigitalFile(item=item))

    assert form.is_valid(), form.errors
    assert not any(settings.MEDIA_ROOT.rglob("*.jpg"))
    digital_file = form.save()

    assert digital_file.pk and digital_file.label == "recto"
    assert digital_file.file.name == "originals/kirkenes-1944-001/kirkenes-1944-001-001.jpg"
    assert digital_file.thumbnail and len(digital_file.sha256) == 64


def test_a_new_upload_cannot_be_left_uncommitted():
    form = DigitalFileForm({}, {"file": jpeg()}, instance=DigitalFile(item=ItemFactory()))
    assert form.is_valid()

    with pytest.raises(ValueError, match=re.escape(FILE_NOT_COMMITTED)):
        form.save(commit=False)


def test_a_stored_file_keeps_its_original_when_edited():
    item = ItemFactory()
    original = DigitalFileForm({}, {"file": jpeg("recto.jpg")}, instance=DigitalFile(item=item))
    original.is_valid()
    stored = original.save()

    form = DigitalFileForm({"label": "verso", "position": "3"}, {"file": jpeg("other.jpg")}, instance=stored)

    assert form.is_valid(), form.errors
    edited = form.save()
    assert (edited.file.name, edited.label, edited.position) == (stored.file.name, "verso", 3)


# --- merging authority records -----------------------------------------------------------------

def test_merge_form_offers_only_the_selected_records():
    first, second, _ = AuthorityFactory(), AuthorityFactory(), AuthorityFactory()

    form = AuthorityMergeForm({"target": second.pk}, records=[first, second])

    assert form.is_valid()
    assert form.sources() == [first]
    assert set(form.fields["target"].queryset) == {first, second}


def test_merge_form_refuses_a_target_outside_the_selection():
    first, second, outsider = AuthorityFactory(), AuthorityFactory(), AuthorityFactory()

    assert not AuthorityMergeForm({"target": outsider.pk}, records=[first, second]).is_valid()


@pytest.mark.parametrize("kinds, message", [
    (["agent"], MERGE_TOO_FEW),
    (["agent", "place"], MERGE_MIXED_KINDS.format(kinds="Agent (person or organisation) and Place")),
])
def test_merge_form_refuses_a_selection_that_cannot_merge(kinds, message):
    records = [AuthorityFactory(kind=kind) for kind in kinds]

    form = AuthorityMergeForm({"target": records[0].pk}, records=records)

    assert not form.is_valid()
    assert form.non_field_errors() == [message]


# --- in the archivist's language ------------------------------------------------------------


def test_form_errors_and_help_read_in_norwegian():
    item = ItemFactory(identifier="kirkenes-1944-001", status=Item.PUBLISHED)
    with override("nb"):
        form = ItemForm({"identifier": "kirkenes-1944-002", "dcmi_type": "Text", "status": "published"}, instance=item)
        assert form.errors["identifier"] == [
            "«kirkenes-1944-001» er publisert, og høstere kjenner objektet under denne identifikatoren, så den "
            "kan ikke endres: behold den, og før opp det andre nummeret som en dc:identifier-opplysning."
        ]
        assert str(DigitalFileForm().fields["position"].help_text) == (
            "La feltet stå tomt for å legge en ny fil etter de andre."
        )
        assert "Stillbilde (StillImage)" in dict(form.fields["dcmi_type"].choices).values()


def test_a_merge_of_mixed_kinds_is_refused_in_norwegian():
    records = [AuthorityFactory(kind=Authority.AGENT), AuthorityFactory(kind=Authority.PLACE)]
    with override("nb"):
        form = AuthorityMergeForm({}, records=records)
        assert form.errors["__all__"] == [
            "Utvalget blander Aktør (person eller organisasjon) og Sted, og bare poster av samme type kan slås "
            "sammen: velg bare aktører, bare steder eller bare begreper."
        ]
        assert form.errors["target"] == ["Velg posten du vil beholde: de andre slås sammen med den."]
