"""The demo catalogue (fixtures/demo.json) as `manage.py load_demo` installs it."""
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from catalog import dublincore
from catalog.models import Authority, AuthorityLink, Collection, DigitalFile, Item, Statement, Tombstone
from tests.factories import AuthorityFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
NOTE = "finnmark-1945-note-0924"


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0, stdout=StringIO())


def test_the_demo_catalogue_loads_and_every_record_is_valid(demo):
    assert Item.objects.count() >= 15
    for model in (Collection, Authority, Item, Statement):
        for record in model.objects.all():
            record.full_clean()  # Statement.clean also checks the kind of each linked record


def test_loading_it_again_changes_nothing(demo):
    before = {model: model.objects.count() for model in (Item, Statement, Authority, Collection, Tombstone)}
    call_command("load_demo", verbosity=0, stdout=StringIO())
    assert {model: model.objects.count() for model in before} == before


def test_the_note_is_signed_by_both_commanders_and_drafted_by_diakonoff(demo):
    note = Item.objects.published().get(identifier=NOTE)
    assert note.dcmi_type == "Text"
    creators = {s.value: s.authority.preferred_label for s in note.statements.filter(term="creator")}
    assert creators == {"Captain R. Karlsen": "R. Karlsen", "Colonel P. Lukin-Griege": "P. Lukin-Griege"}
    drafted = note.statements.get(term="contributor")
    assert (drafted.value, drafted.authority.preferred_label) == ("Dyakonov", "Igor Diakonoff")
    assert (note.date_text, note.date_earliest, note.date_latest) == ("1945-09-24", date(1945, 9, 24), date(1945, 9, 24))
    assert note.statements.get(term="rightsHolder").authority.preferred_label == "National Archives of Norway"


def test_the_may_1915_misprint_is_recorded_as_a_note_and_never_as_a_date(demo):
    note = Item.objects.get(identifier=NOTE)
    provenance = note.statements.get(term="provenance").value
    assert "May 1915" in provenance and "2015" in provenance and "misprint" in provenance
    dates = Statement.objects.filter(term__in=dublincore.DATE_TERMS)
    assert not dates.filter(value__contains="1915").exists()
    assert not Item.objects.filter(date_earliest__year=1915).exists()


def test_every_spelling_of_a_name_finds_its_one_record(demo):
    spellings = {
        "Dyakonov": "Igor Diakonoff", "Diakonov": "Igor Diakonoff", "igor dyakonov": "Igor Diakonoff",
        "Kirkens": "Kirkenes", "Petsamo": "Pechenga", "Nickel": "Nikel", "Tana": "Tana river",
        "Rustefjelbma": "Rustefjelbma", "Niels Morten Udgaard": "Nils Morten Udgaard",
        "Red Star": "Krasnaya Zvezda", "20th mountain army": "20th Mountain Army (Wehrmacht)",
    }
    for spelling, label in spellings.items():
        assert Authority.objects.matching_label(spelling).get().preferred_label == label, spelling


def test_linked_values_keep_the_form_their_source_uses(demo):
    linked = Statement.objects.filter(authority__isnull=False).select_related("authority").prefetch_related("authority__variants")
    assert linked.count() > 60
    for statement in linked:
        assert statement.value in statement.authority.labels, statement
    assert linked.filter(value="Kirkens", authority__preferred_label="Kirkenes").exists()
    assert linked.filter(value="Nickel", authority__preferred_label="Nikel").exists()


def test_items_are_described_by_dates_places_subjects_and_agents(demo):
    for item in Item.objects.published().exclude(dcmi_type="Collection"):
        terms = set(item.statements.values_list("term", flat=True))
        assert "title" in terms, item
        assert terms & {"subject", "spatial"}, f"{item} has neither subject nor place"
    assert Statement.objects.filter(term="spatial", authority__kind=Authority.PLACE).count() > 15
    assert Statement.objects.filter(term="subject", authority__kind=Authority.CONCEPT).count() > 15
    assert Item.objects.exclude(date_earliest=None).count() >= 10
    assert not Item.objects.filter(date_unparsed=True).exists()


def test_titles_and_descriptions_carry_their_language(demo):
    texts = Statement.objects.filter(term__in=["title", "alternative", "description", "abstract", "provenance"])
    assert not texts.filter(lang="").exists()
    assert set(texts.values_list("lang", flat=True)) == {"en", "nb", "ru"}
    assert set(Statement.objects.filter(term="language").values_list("value", flat=True)) == {"en", "nb", "ru"}


def test_the_machine_translation_says_what_it_is(demo):
    article = Item.objects.get(identifier="russian-seven-2020-red-army-europe")
    assert article.values("language")[0].value == "en"
    assert "Russian" in article.values("isVersionOf")[0].value
    assert any("machine translation" in s.value for s in article.values("description"))
    assert article.values("rightsHolder")[0].authority.preferred_label == "Russian Seven"


def test_the_photograph_credit_names_the_museum(demo):
    photograph = Item.objects.get(identifier="finnmark-1945-photo-troops-leaving")
    assert photograph.values("rightsHolder")[0].authority.preferred_label == "Sør-Varanger Museum"
    assert Item.objects.published().filter(dcmi_type="StillImage").count() == 5


def test_most_items_are_public_and_a_draft_is_not(demo):
    published = Item.objects.published()
    assert published.count() >= 0.8 * Item.objects.count()
    draft = Item.objects.get(status=Item.DRAFT)
    assert draft not in published and not draft.ever_published


def test_tombstones_exist_exactly_for_items_once_published_and_not_now(demo):
    hidden = Item.objects.filter(ever_published=True).exclude(status=Item.PUBLISHED)
    assert hidden.exists()
    assert set(Tombstone.objects.values_list("identifier", flat=True)) == set(hidden.values_list("identifier", flat=True))
    for tombstone in Tombstone.objects.select_related("item"):
        assert tombstone.set_spec_list() == tombstone.item.set_specs()


def test_collections_nest_and_their_set_specs_follow_the_tree(demo):
    assert Collection.objects.filter(parent__isnull=False).count() >= 3
    for collection in Collection.objects.all():
        assert collection.set_spec == collection.compute_set_spec()
    note = Item.objects.get(identifier=NOTE)
    assert "eastern-finnmark:documents" in note.set_specs()


def test_places_have_coordinates_and_external_links_only_where_known(demo):
    places = Authority.objects.filter(kind=Authority.PLACE)
    kirkenes = places.get(preferred_label="Kirkenes")
    assert (float(kirkenes.latitude), float(kirkenes.longitude)) == pytest.approx((69.7269, 30.0456), abs=1e-3)
    assert places.exclude(latitude=None).count() >= 5
    assert not Authority.objects.exclude(kind=Authority.PLACE).exclude(latitude=None).exists()
    patterns = {"wikidata": r"^http://www\.wikidata\.org/entity/Q\d+$", "geonames": r"^https://sws\.geonames\.org/\d+/$"}
    assert AuthorityLink.objects.exists()
    for link in AuthorityLink.objects.all():
        assert re.match(patterns[link.source], link.uri), link.uri


def test_no_digital_files_are_invented(demo):
    assert not DigitalFile.objects.exists()
    assert "catalog.digitalfile" not in {entry["model"] for entry in json.loads(FIXTURE.read_text(encoding="utf-8"))}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are not beside the project")
def test_descriptions_are_written_afresh_not_copied_from_the_seed_texts(demo):
    def runs(text, length=7):
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i:i + length]) for i in range(len(words) - length + 1)}

    seeds = set().union(*(runs(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt")))
    prose = [*Statement.objects.filter(term__in=["description", "abstract", "provenance"]).values_list("value", flat=True),
             *Authority.objects.values_list("note", flat=True), *Collection.objects.values_list("description", flat=True)]
    for text in prose:
        assert not runs(text) & seeds, f"Copied from a seed text: {sorted(runs(text) & seeds)}"


def test_a_fixture_with_an_invalid_record_is_refused_whole(tmp_path):
    entries = json.loads(FIXTURE.read_text(encoding="utf-8"))
    wrong = next(e for e in entries if e["model"] == "catalog.statement" and e["fields"]["term"] == "spatial")
    wrong["fields"]["term"] = "creator"  # a place cannot be a creator
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.json was not loaded: correct these records") as refused:
        call_command("load_demo", str(broken), verbosity=0, stdout=StringIO())
    assert not Item.objects.exists() and not Authority.objects.exists()
    # The report gives the record and what the admin would say about the same mistake.
    place = next(e for e in entries if e["model"] == "catalog.authority" and e["pk"] == wrong["fields"]["authority"])
    same_mistake = Statement(term="creator", value="x", authority=AuthorityFactory(kind=Authority.PLACE, preferred_label=place["fields"]["preferred_label"]))
    with pytest.raises(ValidationError) as rejected:
        same_mistake.clean()
    assert f"catalog.statement {wrong['pk']}" in str(refused.value)
    assert rejected.value.message_dict["authority"][0] in str(refused.value)


def test_a_missing_fixture_is_named(tmp_path):
    with pytest.raises(CommandError, match="No fixture at .*nowhere.json"):
        call_command("load_demo", str(tmp_path / "nowhere.json"), verbosity=0)
