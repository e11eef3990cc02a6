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
    assert set(Statement.objects.filter(term="language").values_list("value", flat=True)) == {"en", "nb", "ru", "und"}  # und: the note, whose language no source states


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


# --- The arrangement: one assembled collection in series and files ------------------------------

TOP = "eastern-finnmark-collection"


def unit(identifier):
    return Item.objects.select_related("level").get(identifier=identifier)


def test_the_demo_is_one_assembled_collection_of_four_series_holding_every_item(demo):
    top = unit(TOP)
    assert (top.level.code, top.dcmi_type, top.reference, top.parent) == ("collection", "Collection", "EF", None)
    assert top.reference_code == f"{settings.ARKIV_COUNTRY_CODE} {settings.ARKIV_REPOSITORY_CODE} EF"
    assert top.arrangement and top.is_public
    series = list(top.children.order_by("position").select_related("level"))
    assert [(s.level.code, s.local_code, s.title) for s in series] == [
        ("series", "A", "Documents"), ("series", "B", "Photographs"),
        ("series", "C", "Press coverage"), ("series", "D", "Commemorations"),
    ]
    assert all(s.arrangement and s.is_public for s in series)
    assert list(Item.objects.filter(parent=None)) == [top]
    assert Item.objects.exclude(pk=top.pk).filter(ancestry__startswith=f"/{top.pk}/").count() == Item.objects.count() - 1
    files = Item.objects.filter(level__code="file")
    assert files.count() == 3 and all(f.children.exists() for f in files)
    leaves = Item.objects.filter(children=None)
    assert set(leaves.values_list("level__code", flat=True)) == {"item"}


def test_every_place_is_what_saving_the_unit_would_derive_and_every_reference_is_unique(demo):
    units = list(Item.objects.all())
    for stored in units:
        derived = Item(pk=stored.pk, identifier=stored.identifier, local_code=stored.local_code, parent_id=stored.parent_id)
        derived.place()
        assert (stored.ancestry, stored.reference, stored.ancestors_public) == (
            derived.ancestry, derived.reference, derived.ancestors_public), stored.identifier
    references = [u.reference for u in units]
    assert None not in references and len(set(references)) == len(units)
    assert unit(NOTE).reference == "EF/A/1/1"
    assert unit("diakonoff-memoirs").reference == "EF/C/4/4"


def test_a_visitor_walks_from_the_collection_down_to_the_note_and_sees_where_it_sits(demo):
    from catalog import arrangement

    top = unit(TOP)
    documents = arrangement.children(top).get(local_code="A")
    release = arrangement.children(documents).get()
    note = arrangement.children(release).get()
    assert note.identifier == NOTE and release.level.code == "file"
    context = arrangement.context(note)
    assert (context.number, context.of) == (1, 1)
    assert [u.identifier for u in context.above] == [TOP, documents.identifier, release.identifier]
    assert f"fonds:{TOP}" in note.set_specs()


def test_siblings_follow_the_dates_of_what_they_record(demo):
    photographs = unit("eastern-finnmark-photographs")
    assert [u.identifier for u in photographs.children.order_by("position")] == [
        "kirkenes-1944-photo-greeting-liberators", "finnmark-1945-photo-troops-leaving",
        "finnmark-1945-photo-jakobselv-bridge", "finnmark-1945-photo-troops-leaving-copy",
    ]
    cited = unit("eastern-finnmark-works-cited").children.order_by("position")
    dated = [u.date_earliest for u in cited if u.date_earliest]
    assert dated == sorted(dated) and len(dated) == 3


def test_the_arrangement_claims_no_provenance_the_sources_do_not_give(demo):
    units = Item.objects.filter(children__isnull=False).distinct()
    prose = Statement.objects.filter(item__in=units, term__in=["description", "abstract", "provenance"]).values_list("value", flat=True)
    for text in [*prose, *units.values_list("arrangement", flat=True)]:
        assert not re.search(r"donat|bequea|bequest|gift|accession|deposit|purchas|acquir", text, re.IGNORECASE), text
    assert not Statement.objects.filter(item__in=units, term__in=["accrualMethod", "accrualPolicy"]).exists()
    provenance = unit(TOP).values("provenance")[0].value
    assert "demo catalogue" in provenance and "no copies" in provenance


def test_the_thematic_collections_stay_as_they_were(demo):
    assert list(Collection.objects.order_by("set_spec").values_list("set_spec", flat=True)) == [
        "anniversaries", "eastern-finnmark", "eastern-finnmark:documents", "eastern-finnmark:photographs",
        "eastern-finnmark:press", "eastern-finnmark:press:cited-works",
    ]
    # The units made for the arrangement are in none of them (a fonds has its own set).
    assert not Item.objects.filter(identifier__startswith="eastern-finnmark-", collections__isnull=False).exists()
    assert {"anniversaries", "eastern-finnmark:documents"} <= set(unit(NOTE).set_specs())


# --- Corrections from a reading against the seeds (issue 11, part 9) ---------------------------

def test_the_note_credits_protection_of_homes_and_help_with_rebuilding_not_saving_from_destruction(demo):
    text = " ".join(s.value for s in unit(NOTE).values("description"))
    assert "protected homes and key infrastructure" in text
    assert "rebuild roads, bridges and the airport" in text
    assert "destr" not in text and "airfield" not in text


def test_the_offensive_began_on_7_october_and_8_november_is_the_halt_at_rustefjelbma(demo):
    offensive = Authority.objects.get(preferred_label="Petsamo-Kirkenes offensive")
    assert offensive.dates.startswith("1944-10-07/") and "1944-11-08" not in offensive.dates
    assert "7 October 1944" in offensive.note and "Rustefjelbma on 8 November" in offensive.note
    rustefjelbma = Authority.objects.get(preferred_label="Rustefjelbma")
    assert "halted" in rustefjelbma.note and "8 November 1944" in rustefjelbma.note
    texts = [*Authority.objects.values_list("note", flat=True), *Statement.objects.values_list("value", flat=True)]
    assert not any(re.search(r"(ended|end|until)\W+(on\W+)?8 November", text) for text in texts)


def test_lavrovs_coming_was_confirmed_not_only_invited(demo):
    lavrov = Authority.objects.get(preferred_label="Sergey Lavrov", kind=Authority.AGENT)
    linked = set(Statement.objects.filter(authority=lavrov).values_list("item__identifier", flat=True))
    assert linked == {"barentsobserver-2014-kirkenes-70th-anniversary", "kirkenes-2014-10-25-liberation-day"}
    for identifier in linked:
        text = " ".join(s.value for s in unit(identifier).statements.filter(term__in=["abstract", "description"]))
        assert "Lavrov" in text and "confirmed" in text, identifier
    assert "confirmed" in lavrov.note


def test_no_record_speaks_of_soldiers_who_fell(demo):
    """The seeds caption a memorial to the Red Army soldiers; none says they fell."""
    texts = [*Authority.objects.values_list("note", flat=True), *Statement.objects.values_list("value", flat=True),
             *Collection.objects.values_list("description", flat=True)]
    assert not [text for text in texts if re.search(r"\b(fell|fallen)\b", text, re.IGNORECASE)]


def test_the_2015_article_came_out_months_after_the_may_release(demo):
    article = unit("barentsobserver-2015-soviet-troops-left-norway")
    release = unit("national-archives-2015-liberation-day-release")
    assert release.date_latest == date(2015, 5, 31)
    assert article.date_earliest == date(2015, 9, 1) and (article.date_earliest - release.date_latest).days > 90
    assert article.values("issued")[0].value.startswith("[")  # supplied by the cataloguer
    abstract = article.values("abstract")[0].value
    assert "just" not in abstract and "in May" in abstract


@pytest.mark.parametrize("label, kind, linked_from", [
    ("Monument to the Soviet liberators, Oslo", Authority.PLACE, {"russian-seven-2020-red-army-europe"}),
    ("Memorial to the Red Army soldiers, Kirkenes", Authority.PLACE,
     {"russian-seven-2020-red-army-europe", "kirkenes-photo-soviet-war-memorial"}),
    ("Vardø", Authority.PLACE, {"barentsobserver-2015-soviet-troops-left-norway", "aftenposten-2015-05-13-udgaard"}),
    ("Vadsø", Authority.PLACE, {"barentsobserver-2015-soviet-troops-left-norway", "aftenposten-2015-05-13-udgaard"}),
    ("Tromsø", Authority.PLACE, {"barentsobserver-2015-soviet-troops-left-norway", "aftenposten-2015-05-13-udgaard"}),
    ("Hammerfest", Authority.PLACE, {"barentsobserver-2015-soviet-troops-left-norway", "aftenposten-2015-05-13-udgaard"}),
    ("Finnmark", Authority.PLACE, {"barentsobserver-2015-soviet-troops-left-norway", "russian-seven-2020-red-army-europe", TOP}),
    ("Harald V", Authority.AGENT, {"barentsobserver-2014-kirkenes-70th-anniversary", "kirkenes-2014-10-25-liberation-day"}),
    ("Mikhail Noskov", Authority.AGENT, {"barentsobserver-2014-kirkenes-70th-anniversary"}),
])
def test_the_people_and_places_the_seeds_name_are_records_linked_where_items_speak_of_them(demo, label, kind, linked_from):
    record = Authority.objects.get(preferred_label=label)
    assert record.kind == kind
    assert set(Statement.objects.filter(authority=record).values_list("item__identifier", flat=True)) == linked_from


def test_finnmark_is_found_by_the_spellings_of_the_translation(demo):
    finnmark = Authority.objects.get(preferred_label="Finnmark")
    for spelling in ("Finnmarken", "Finmarken", "finnmark"):
        assert Authority.objects.matching_label(spelling).get() == finnmark
    assert Statement.objects.filter(item__identifier="russian-seven-2020-red-army-europe", value="Finnmarken", authority=finnmark).exists()


def test_towns_have_coordinates_and_monuments_and_regions_none(demo):
    expected = {"Vardø": (70.37, 31.11), "Vadsø": (70.08, 29.73), "Tromsø": (69.65, 18.96),
                "Hammerfest": (70.66, 23.69), "Oslo": (59.91, 10.75)}
    places = Authority.objects.filter(preferred_label__in=expected, kind=Authority.PLACE)
    positions = {label: (float(lat), float(lon)) for label, lat, lon in places.values_list("preferred_label", "latitude", "longitude")}
    assert positions.keys() == expected.keys()
    for label, position in expected.items():
        assert positions[label] == pytest.approx(position, abs=0.02), label
    unplaced = Authority.objects.filter(preferred_label__in=[
        "Finnmark", "Monument to the Soviet liberators, Oslo", "Memorial to the Red Army soldiers, Kirkenes"])
    assert unplaced.count() == 3 and not unplaced.exclude(latitude=None).exists()
