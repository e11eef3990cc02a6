import hashlib
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import dublincore, pyramids, synthetic_images
from catalog.management.commands import refresh_catalog
from catalog.models import Authority, AuthorityLink, AuthorityVariant, Collection, DigitalFile, Item, Statement, Tombstone

pytestmark = pytest.mark.django_db


def generate(count, seed=7, **options):
    output = StringIO()
    call_command("generate_catalog", count, seed=seed, verbosity=0, stdout=output, **options)
    return output.getvalue()


def catalogue_rows():
    """Everything generate_catalog writes, by natural keys (primary keys differ between runs)."""
    return {
        "items": list(Item.objects.order_by("identifier").values_list(
            "identifier", "dcmi_type", "status", "created", "modified", "ever_published", "full_text",
            "sort_title", "date_text", "date_earliest", "date_latest", "date_unparsed",
            "level__code", "parent__identifier", "position", "local_code", "reference", "ancestors_public", "arrangement",
        )),
        "statements": list(Statement.objects.order_by("item__identifier", "position").values_list(
            "item__identifier", "position", "term", "value", "lang", "authority__slug",
        )),
        "memberships": sorted(Item.collections.through.objects.values_list("item__identifier", "collection__identifier")),
        "tombstones": list(Tombstone.objects.order_by("identifier").values_list("identifier", "datestamp", "set_specs", "item__identifier")),
        "authorities": list(Authority.objects.order_by("slug").values_list(
            "slug", "kind", "preferred_label", "agent_type", "dates", "latitude", "longitude", "note",
        )),
        "variants": list(AuthorityVariant.objects.order_by("authority__slug", "label").values_list("authority__slug", "label", "lang")),
        "links": list(AuthorityLink.objects.order_by("uri").values_list("authority__slug", "source", "uri")),
        "collections": list(Collection.objects.order_by("set_spec").values_list("identifier", "title", "set_spec", "parent__identifier")),
    }


def remove_items():
    """Empty the catalogue of items, keeping the seed's authority records and collections (a run
    with the same seed finds and reuses them; deleting thousands of records one by one, as their
    signals require, would make this test slow)."""
    Item.objects.update(parent=None)  # a unit protects its parent: the tree is undone first
    Item.objects.all().delete()
    Tombstone.objects.all().delete()


def test_the_same_seed_gives_identical_rows():
    generate(60)
    first = catalogue_rows()
    remove_items()
    generate(60)
    assert catalogue_rows() == first
    assert len(first["items"]) == 60 and len(first["statements"]) > 300


def fresh_catalogue(path, count, seed):
    """Make a catalogue in a new SQLite file, in processes of its own: `migrate`, then generate."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    for arguments in (["migrate", "-v", "0"], ["generate_catalog", str(count), "--seed", str(seed), "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR, env=environment, check=True)
    # Django itself stamps these columns with the time of the run: they are bookkeeping, not catalogue.
    stamped = {"catalog_authority": {"created", "modified"}, "catalog_collection": {"modified"}}
    rows = {}
    with closing(sqlite3.connect(path)) as database:
        for table in GENERATED_TABLES:
            cursor = database.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 (fixed names)
            columns = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(columns) if name not in stamped.get(table, ())]
            rows[table] = [tuple(row[i] for i in keep) for row in cursor]
    return rows


GENERATED_TABLES = (
    "catalog_item", "catalog_statement", "catalog_item_collections", "catalog_tombstone",
    "catalog_authority", "catalog_authorityvariant", "catalog_authoritylink", "catalog_collection",
)


def test_the_same_seed_gives_identical_rows_in_fresh_databases(tmp_path):
    first = fresh_catalogue(tmp_path / "first.sqlite3", 40, seed=3)
    second = fresh_catalogue(tmp_path / "second.sqlite3", 40, seed=3)
    assert first == second
    assert len(first["catalog_item"]) == 40 and len(first["catalog_authority"]) > 3000


def test_another_seed_gives_other_rows():
    generate(30, seed=7)
    generate(30, seed=8)
    titles = {seed: list(Item.objects.filter(identifier__startswith=f"syn-{seed}-").order_by("identifier")
                         .values_list("sort_title", flat=True)) for seed in (7, 8)}
    assert titles[7] != titles[8]


def test_two_runs_append_exactly_what_one_longer_run_makes():
    generate(25)
    generate(25)
    appended = catalogue_rows()
    remove_items()
    generate(50)
    assert catalogue_rows() == appended


def test_appending_continues_the_numbering_and_reuses_the_authority_records():
    generate(40)
    authorities, collections = Authority.objects.count(), Collection.objects.count()
    output = generate(25)
    identifiers = list(Item.objects.order_by("identifier").values_list("identifier", flat=True))
    assert len(identifiers) == len(set(identifiers)) == 65
    assert identifiers[0] == "syn-7-0000000" and identifiers[-1] == "syn-7-0000064"
    assert "syn-7-0000040 to syn-7-0000064" in output
    assert Authority.objects.count() == authorities
    assert Collection.objects.count() == collections


def test_a_second_seed_adds_its_own_records_beside_the_first():
    generate(20, seed=7)
    authorities = Authority.objects.count()
    generate(20, seed=8)
    assert Item.objects.count() == 40
    assert Authority.objects.count() == 2 * authorities


def test_every_item_has_5_to_15_statements():
    generate(200)
    counts = Counter(Statement.objects.values_list("item_id", flat=True))
    assert len(counts) == 200
    assert min(counts.values()) == 5 and max(counts.values()) == 15


def test_derived_fields_are_what_refresh_would_compute():
    generate(200)
    items = Item.objects.prefetch_related("statements")
    for item in items:
        expected = item.derived_fields(list(item.statements.all()))
        assert {field: getattr(item, field) for field in expected} == expected, item.identifier
    assert all(item.sort_title for item in items)
    assert all(item.date_text for item in items)
    unreadable = [item for item in items if item.date_unparsed]
    assert 0 < len(unreadable) < 20  # a few dates cannot be read: kept as written, flagged
    assert all(item.date_earliest is None for item in unreadable)


def test_items_and_statements_pass_validation():
    generate(60)
    for item in Item.objects.all():
        item.full_clean()
    for statement in Statement.objects.select_related("authority"):
        statement.full_clean()  # includes the kind of authority record each term accepts


def test_linked_statements_name_their_record_or_one_of_its_variants():
    generate(150)
    linked = Statement.objects.filter(authority__isnull=False).select_related("authority").prefetch_related("authority__variants")
    assert linked.count() > 150
    spellings = Counter()
    for statement in linked:
        assert statement.value in statement.authority.labels, statement
        spellings["preferred" if statement.value == statement.authority.preferred_label else "variant"] += 1
    assert spellings["variant"] > 0 and spellings["preferred"] > spellings["variant"]


def test_shared_authority_records_carry_variants_and_links():
    generate(10)
    kinds = Counter(Authority.objects.values_list("kind", flat=True))
    assert sum(kinds.values()) >= 3000
    assert set(kinds) == {Authority.AGENT, Authority.PLACE, Authority.CONCEPT}
    assert AuthorityVariant.objects.count() > sum(kinds.values())
    assert AuthorityLink.objects.exists()
    russian = AuthorityVariant.objects.filter(lang="ru", authority__kind=Authority.AGENT).select_related("authority").first()
    assert russian.authority in Authority.objects.matching_label(russian.label)  # homonyms have other dates
    place = Authority.objects.filter(kind=Authority.PLACE).first()
    assert place.latitude is not None and place.longitude is not None


def test_the_catalogue_spreads_over_types_languages_statuses_and_nested_collections():
    generate(300)
    items = Item.objects.all()
    assert len(set(items.values_list("dcmi_type", flat=True))) >= 6
    assert set(items.values_list("dcmi_type", flat=True)) <= set(dublincore.DCMI_TYPES)
    statuses = Counter(items.values_list("status", flat=True))
    assert statuses[Item.PUBLISHED] > 0.8 * 300
    assert statuses[Item.DRAFT] and statuses[Item.WITHDRAWN]
    title_languages = set(Statement.objects.filter(term="title").values_list("lang", flat=True))
    assert title_languages == {"en", "nb", "ru", "se", "fi"}
    assert Collection.objects.filter(parent__isnull=False).exists()
    assert Item.objects.filter(collections__parent__isnull=False).exists()
    assert len(set(items.values_list("created", flat=True))) == 300  # datestamps spread over time


def test_withdrawn_items_and_only_they_have_tombstones():
    generate(300)
    withdrawn = set(Item.objects.filter(status=Item.WITHDRAWN).values_list("identifier", flat=True))
    assert withdrawn
    assert set(Tombstone.objects.values_list("identifier", flat=True)) == withdrawn
    for tombstone in Tombstone.objects.select_related("item"):
        assert tombstone.set_spec_list() == tombstone.item.set_specs()
        assert tombstone.datestamp == tombstone.item.modified
    assert not Item.objects.filter(status=Item.DRAFT, ever_published=True).exists()


@pytest.mark.parametrize("layout", [{}, {"file_items": [2, 4]}], ids=["default", "small files"])
def test_rows_go_in_by_batches_not_one_by_one(layout):
    generate(5, **layout)  # the seed's authority records and collections: the runs below reuse them
    counts = []
    for count in (200, 600):
        with CaptureQueriesContext(connection) as queries:
            generate(count, batch=200, **layout)
        counts.append(len(queries))
    # 400 more items are some 4,400 more rows; one by one they would take thousands of queries.
    assert counts[1] - counts[0] < 400 / 5


@pytest.mark.parametrize(
    "arguments, message",
    [((0,), "N must be a positive number of items, not 0."),
     ((10, "--batch", "0"), "--batch must be at least 1 item, not 0."),
     ((10, "--seed", "-1"), "--seed must be zero or a positive number, not -1.")],
)
def test_bad_arguments_are_refused_with_the_fix(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_catalog", *arguments, verbosity=0)
    assert not Item.objects.exists()


# --- The arrangement -----------------------------------------------------------------------------

SMALL = {"big_series": 300, "file_items": [2, 4]}  # the first fonds' shape at a size a test can make


def units_under(parent):
    return list(Item.objects.filter(parent=parent).select_related("level").order_by("position", "id"))


def test_a_generated_fonds_has_the_shape_asked():
    generate(5000, **SMALL)
    fonds = Item.objects.select_related("level").get(identifier="syn-7-0000000")
    assert (fonds.level.code, fonds.reference, fonds.parent_id, fonds.dcmi_type) == ("fonds", "SYN7-001", None, "Collection")
    series = units_under(fonds)
    assert [s.level.code for s in series] == ["series"] * len(series) and 3 <= len(series) <= 6
    assert [s.local_code for s in series] == list("ABCDEF"[:len(series)])
    assert [s.position for s in series] == list(range(len(series)))
    first, big = series[0], series[1]
    files = units_under(first)
    assert {f.level.code for f in files} == {"file"}
    in_files = [units_under(f) for f in files]
    assert {u.level.code for below in in_files for u in below} == {"item"}
    assert all(2 <= len(below) <= 4 for below in in_files)
    assert sum(map(len, in_files)) >= SMALL["big_series"] // 10
    directly = units_under(big)
    assert len(directly) == SMALL["big_series"] and {u.level.code for u in directly} == {"item"}
    assert [u.local_code for u in directly] == [str(n) for n in range(1, SMALL["big_series"] + 1)]
    assert directly[-1].reference == f"SYN7-001/B/{SMALL['big_series']}"
    # The catalogue went on into more top units, every fourth an assembled collection.
    tops = list(Item.objects.filter(parent=None).order_by("position").values_list("level__code", "reference"))
    assert tops[:4] == [("fonds", "SYN7-001"), ("fonds", "SYN7-002"), ("fonds", "SYN7-003"), ("collection", "SYN7-004")]
    assert not Item.objects.filter(level__code="item", children__isnull=False).exists()
    # Every unit above the items is published (the items keep their statuses) and described.
    above = Item.objects.exclude(level__code="item")
    assert not above.exclude(status=Item.PUBLISHED).exists()
    assert all(unit.arrangement for unit in above.exclude(level__code="file"))
    # A fonds names its creator, an organisation; an assembled collection has none.
    creators = Statement.objects.filter(item__parent=None, term="creator")
    assert set(creators.values_list("item__level__code", "authority__agent_type")) == {("fonds", "organisation")}
    assert creators.count() == Item.objects.filter(parent=None, level__code="fonds").count()


def test_every_place_is_what_saving_would_derive_and_references_are_unique():
    generate(1500, **SMALL)
    units = list(Item.objects.all())
    for stored in units[::7] + [u for u in units if u.level_id and u.children.exists()]:
        derived = Item(pk=stored.pk, identifier=stored.identifier, local_code=stored.local_code, parent_id=stored.parent_id)
        derived.place()
        assert (stored.ancestry, stored.reference, stored.ancestors_public) == (
            derived.ancestry, derived.reference, derived.ancestors_public), stored.identifier
    assert len({u.reference for u in units}) == len(units) and None not in {u.reference for u in units}
    # The same, for every unit at once: recomputing every place from the parents changes nothing.
    assert refresh_catalog.arrangement_problems() == []
    assert refresh_catalog.place_units() == (0, [])


def test_units_above_and_below_pass_validation():
    generate(400, **SMALL)
    units = list(Item.objects.order_by("pk"))
    for unit in [u for u in units if u.children.exists()] + units[::13]:
        unit.full_clean()  # the place too: no cycle, not too deep, its reference code free


def test_runs_that_end_inside_files_append_the_same_tree_as_one_run():
    for count in (101, 257, 400):
        generate(count, batch=64, **SMALL)
    appended = catalogue_rows()
    remove_items()
    generate(758, **SMALL)
    assert catalogue_rows() == appended
    assert Item.objects.filter(level__code="file").count() > 20


def test_withdrawn_items_are_reported_in_their_fonds_set():
    generate(600, **SMALL)
    tombstone = Tombstone.objects.first()
    assert "fonds:syn-7-0000000" in tombstone.set_spec_list()


@pytest.mark.parametrize("arguments, message", [
    ((10, "--big-series", "0"), "--big-series must be at least 1 item, not 0."),
    ((10, "--file-items", "5", "2"), "--file-items must be two numbers, MIN at least 1 and MAX at least MIN, not 5 2."),
])
def test_bad_layouts_are_refused_with_the_fix(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_catalog", *arguments, verbosity=0)
    assert not Item.objects.exists()


# --- Images ---------------------------------------------------------------------------------

IMAGE_SCALE = 0.02  # the 100 MP scan of the plan becomes 245 x 163 pixels


def attached_files():
    return list(DigitalFile.objects.order_by("item__identifier", "position").values_list(
        "item__identifier", "position", "sha256", "width", "height", "mime_type", "original_name",
    ))


def test_images_are_ingested_into_published_items_of_the_run_the_same_for_the_same_seed():
    output = generate(60, images=26, image_scale=IMAGE_SCALE)
    files = list(DigitalFile.objects.select_related("item").order_by("id"))
    assert len(files) == 26 and "Images: 26 files on" in output
    planned = synthetic_images.plan(26, seed=7, scale=IMAGE_SCALE)
    for digital_file, image in zip(files, planned):
        assert digital_file.item.identifier.startswith("syn-7-")
        assert Item.objects.published().filter(pk=digital_file.item_id).exists()
        assert digital_file.item.dcmi_type in synthetic_images.IMAGE_TYPES
        # What imaging.ingest() stores of an upload, and the pyramid it queues.
        assert digital_file.sha256 == hashlib.sha256(synthetic_images.render(image)).hexdigest()
        assert (digital_file.width, digital_file.height) == (image.width, image.height)
        assert digital_file.display and digital_file.thumbnail and pyramids.pyramid_path(digital_file)
    assert (files[24].width, files[24].height) == (245, 163)  # the plan's 100 MP scan, scaled
    assert any(count > 1 for count in Counter(f.item_id for f in files).values())  # multi-page items
    first = attached_files()
    remove_items()
    generate(60, images=26, image_scale=IMAGE_SCALE)
    assert attached_files() == first


def test_without_images_no_file_is_made():
    generate(30)
    assert not DigitalFile.objects.exists()


@pytest.mark.parametrize("options, message", [
    ({"images": -1}, "--images must be zero or a positive number of images, not -1."),
    ({"images": 2, "image_scale": 0}, "--image-scale must be above 0 and at most 1, not 0."),
    ({"images": 2, "image_scale": 1.5}, "--image-scale must be above 0 and at most 1, not 1.5."),
])
def test_bad_image_options_are_refused_before_anything_is_made(options, message):
    with pytest.raises(CommandError, match=message):
        generate(10, **options)
    assert not Item.objects.exists()


def test_items_carry_rights_statements_of_the_controlled_list_in_every_kind():
    from catalog import rights

    generate(400)
    uris = Counter(Item.objects.filter(level__code="item").values_list("rights_uri", flat=True))
    assert all(uri == "" or rights.is_known(uri) for uri in uris)
    assert {rights.get(uri).kind for uri in uris if uri} == {"rightsstatement", "cc-licence", "cc0", "pdm"}
    assert uris[""] > 0  # and some items have none, as in a real catalogue
