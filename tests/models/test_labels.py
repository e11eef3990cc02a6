"""The catalogue's models speak the archivist's language: every field's name and help text, every
model's name, every choice and every validation message is a translatable string, read in the
language active when it is shown (nb here), while the stored values stay as they are."""
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import override

from catalog import services
from catalog.models import Authority, AuthorityLink, Item, Statement, Tombstone
from tests.factories import AuthorityFactory, CollectionFactory, ItemFactory

# Names that read the same in every language: standards and formats, not words.
NAMES = {"SHA-256", "URI", "EXIF", "ID"}


def catalogue_models():
    return [model for model in apps.get_app_config("catalog").get_models() if model._meta.model_name != "searchentry"]


@pytest.mark.parametrize("model", catalogue_models(), ids=lambda model: model.__name__)
def test_every_field_of_the_catalogue_is_named_and_explained_translatably(model):
    untranslatable = [
        field.name for field in model._meta.get_fields()
        if field.concrete and not field.auto_created
        and not (isinstance(field.verbose_name, Promise) or field.verbose_name in NAMES)
    ]
    untranslatable += [
        f"{field.name}.help_text" for field in model._meta.get_fields()
        if field.concrete and getattr(field, "help_text", "") and not isinstance(field.help_text, Promise)
    ]
    assert not untranslatable


@pytest.mark.parametrize("model", catalogue_models(), ids=lambda model: model.__name__)
def test_every_model_has_a_translatable_name_and_plural(model):
    assert isinstance(model._meta.verbose_name, Promise)
    assert isinstance(model._meta.verbose_name_plural, Promise)


def test_names_choices_and_help_read_in_norwegian():
    with override("nb"):
        assert str(Item._meta.verbose_name_plural) == "objekter"
        assert str(Tombstone._meta.verbose_name_plural) == "slettemerker"
        assert str(Item._meta.get_field("full_text").verbose_name) == "fulltekst"
        assert str(Authority._meta.get_field("latitude").help_text) == (
            "Bare for steder: breddegrad i desimalgrader (WGS 84)."
        )
        assert Item(status=Item.WITHDRAWN).get_status_display() == "Trukket tilbake"
        assert Item(dcmi_type="StillImage").get_dcmi_type_display() == "Stillbilde (StillImage)"
        assert Authority(kind=Authority.CONCEPT).get_kind_display() == "Begrep eller hendelse"
        assert Authority(agent_type="family").get_agent_type_display() == "Familie"
        assert AuthorityLink(source="other").get_source_display() == "Annet"
    assert Item(status=Item.WITHDRAWN).get_status_display() == "Withdrawn"
    assert Item(dcmi_type="StillImage").get_dcmi_type_display() == "Still image (StillImage)"


@pytest.mark.django_db
def test_validation_messages_read_in_norwegian():
    item = ItemFactory()
    place = AuthorityFactory(kind=Authority.PLACE, preferred_label="Kirkenes")
    with pytest.raises(ValidationError) as wrong_kind:
        Statement(item=item, term="creator", authority=place).full_clean()
    with pytest.raises(ValidationError) as coordinates:
        Authority(kind=Authority.AGENT, preferred_label="Djakonov", latitude=69, longitude=30).full_clean()
    with pytest.raises(ValidationError) as reserved:
        CollectionFactory.build(identifier="type", title="Typer").full_clean()
    # Read when shown, as the admin shows them: in the language of the page.
    with override("nb"):
        assert wrong_kind.value.messages == [
            "dc:creator tar poster av typen aktør, og «Kirkenes» er et sted: lenk til en annen post, "
            "eller endre termen."
        ]
        assert coordinates.value.messages == [
            "Bare steder har koordinater: tøm breddegrad og lengdegrad, eller gjør posten til et sted."
        ]
        assert "«type» er navnet på OAI-PMH-sett Arkiv lager selv (DCMI-typer, arkiver): velg en annen kode." in reserved.value.messages
    assert wrong_kind.value.messages == [
        "dc:creator takes agent records, and “Kirkenes” is a place: link another record or change the term."
    ]


@pytest.mark.django_db
def test_a_term_taking_several_kinds_names_them_all():
    wrong = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Frigjøringen")
    with pytest.raises(ValidationError) as error:
        Statement(item=ItemFactory(), term="coverage", authority=AuthorityFactory(preferred_label="Djakonov")).full_clean()
    assert error.value.messages == [
        "dc:coverage takes place or concept records, and “Djakonov” is an agent: link another record or "
        "change the term."
    ]
    with override("nb"):
        assert error.value.messages[0].startswith("dc:coverage tar poster av typen sted eller begrep, og «Djakonov» er en aktør")
    Statement(item=ItemFactory(), term="coverage", authority=wrong).full_clean()


@pytest.mark.django_db
def test_a_merge_refused_and_a_merge_noted_in_norwegian():
    with pytest.raises(ValidationError) as refused:
        services.authority_merge(
            source=AuthorityFactory(kind=Authority.PLACE, preferred_label="Petsamo"),
            target=AuthorityFactory(preferred_label="Pechenga"),
        )
    assert refused.value.messages == [
        "“Petsamo” is a place and “Pechenga” an agent: only records of the same kind can be merged."
    ]
    with override("nb"):
        assert refused.value.messages == [
            "«Petsamo» er et sted og «Pechenga» en aktør: bare poster av samme type kan slås sammen."
        ]
        kept = AuthorityFactory(kind=Authority.PLACE, preferred_label="Petsjenga")
        duplicate = AuthorityFactory(kind=Authority.PLACE, preferred_label="Petsamo", note="Finsk navn til 1944.")
        services.authority_merge(source=duplicate, target=kept)
    kept.refresh_from_db()
    assert kept.note == "Fra «Petsamo»: Finsk navn til 1944."  # written in the language of who merged


def test_tombstones_are_named_in_the_active_language():
    from datetime import datetime, timezone

    tombstone = Tombstone(identifier="kirkenes-1945-003", datestamp=datetime(1999, 5, 8, tzinfo=timezone.utc))
    assert str(tombstone) == "kirkenes-1945-003 (deleted 1999-05-08)"
    with override("nb"):
        assert str(tombstone) == "kirkenes-1945-003 (slettet 1999-05-08)"
