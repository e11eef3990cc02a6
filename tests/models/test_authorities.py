import pytest
from django.core.exceptions import ValidationError

from catalog import services
from catalog.models import Agent, Authority, Place, Statement
from tests.factories import AuthorityFactory, ItemFactory

pytestmark = pytest.mark.django_db


def test_proxies_fix_the_kind():
    place = Place.objects.create(preferred_label="Kirkenes")
    assert place.kind == Authority.PLACE
    assert list(Place.objects.all()) == [place]
    assert not Agent.objects.exists()


def test_found_by_preferred_label_or_any_variant_ignoring_case():
    igor = AuthorityFactory(preferred_label="Igor Diakonoff")
    igor.variants.create(label="Igor Dyakonov")
    igor.variants.create(label="Igor Diakonov")
    for label in ["igor diakonoff", "IGOR DYAKONOV", " Igor Diakonov "]:
        assert list(Authority.objects.matching_label(label)) == [igor]


def test_slug_is_made_unique_from_the_label():
    first = AuthorityFactory(preferred_label="Bjørnevatn")
    second = AuthorityFactory(preferred_label="Bjørnevatn")
    assert first.slug == "bjrnevatn" or first.slug.startswith("bj")
    assert second.slug != first.slug


def test_only_places_carry_coordinates():
    agent = Agent(preferred_label="Sør-Varanger Museum", latitude="69.7", longitude="30.0")
    with pytest.raises(ValidationError, match="Only places have coordinates"):
        agent.full_clean()
    Place(preferred_label="Kirkenes", latitude="69.7273", longitude="30.0456").full_clean()


def test_merge_moves_statements_and_keeps_the_old_name_as_a_variant():
    kept = AuthorityFactory(preferred_label="Igor Diakonoff")
    duplicate = AuthorityFactory(preferred_label="Igor Dyakonov")
    duplicate.variants.create(label="I. M. Dyakonov")
    item = ItemFactory()
    Statement.objects.create(item=item, term="creator", value="Dyakonov", authority=duplicate)
    services.authority_merge(source=duplicate, target=kept)
    assert Statement.objects.get(item=item, term="creator").authority == kept
    assert sorted(v.label for v in kept.variants.all()) == ["I. M. Dyakonov", "Igor Dyakonov"]
    assert not Authority.objects.filter(pk=duplicate.pk).exists()


def test_merge_refuses_different_kinds():
    with pytest.raises(ValidationError, match="same kind"):
        services.authority_merge(
            source=AuthorityFactory(kind=Authority.PLACE, preferred_label="Petsamo"),
            target=AuthorityFactory(preferred_label="Pechenga"),
        )


def test_merge_carries_over_what_the_kept_record_lacks():
    kept = AuthorityFactory(kind=Authority.PLACE, preferred_label="Pechenga", note="Town on the Pechenga river.")
    duplicate = AuthorityFactory(
        kind=Authority.PLACE, preferred_label="Petsamo", latitude="69.55", longitude="31.18",
        note="Finnish name, used until 1944.",
    )
    services.authority_merge(source=duplicate, target=kept)
    kept.refresh_from_db()
    assert (str(kept.latitude), str(kept.longitude)) == ("69.550000", "31.180000")
    assert "Town on the Pechenga river." in kept.note
    assert "From “Petsamo”: Finnish name, used until 1944." in kept.note
