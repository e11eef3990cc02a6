"""Load the demo catalogue (fixtures/demo.json) into an empty catalogue, place its units in their
arrangement, check every record in it, keep the tombstone rule, compute its caches.

`make run` calls this on every start, so it must never change an archivist's data: a fixture
overwrites the rows that share its primary keys, so it is loaded only while none of the tables
it writes holds a row, and otherwise the command says why it did nothing and succeeds. A
catalogue whose items were all deleted is not empty: its tombstones still tell harvesters so.
"""
import json
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from catalog.management.commands.refresh_catalog import arrangement_problems, place_units
from catalog.management.translated import TranslatedCommand
from catalog.models import Item, Level
from catalog.services import tombstone_sync

DEMO_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"

NOT_A_FIXTURE = _(
    "%(path)s is not a fixture of Arkiv's records (%(problem)s): give a JSON fixture made by "
    "dumpdata, or none for the demo catalogue."
)
NOT_EMPTY = _(
    "%(fixture)s was not loaded: it goes only into an empty catalogue, so that starting Arkiv "
    "never changes your data."
)
UNKNOWN_LEVEL = _(
    "%(path)s was not loaded: it names a level of description “%(code)s” that this catalogue does "
    "not have. Add the level (Levels of description in the admin) or use one of: %(codes)s."
)
NO_FIXTURE = _("No fixture at %(path)s: give the path of a JSON fixture, or none for the demo catalogue.")
INVALID = _("%(fixture)s was not loaded: correct these records in it and load it again.")
HOLDS = _(
    "This catalogue holds %(contents)s. To try the demo beside it, give the demo a database of "
    "its own: DATABASE_URL=sqlite:///demo.sqlite3 make run"
)

# A fixture load skips the models' save() and the receivers, so it is checked here instead, the
# way the admin would check the same records (full_clean: field rules, then each model's clean).
CHECKED_MODELS = ("catalog.collection", "catalog.authority", "catalog.item", "catalog.statement")


class Command(TranslatedCommand):
    help = _(
        "Load the demo catalogue about Eastern Finnmark, 1944-1945, into an empty catalogue, and "
        "check that every record in it is valid. Nothing is loaded if one is not, or if the "
        "catalogue already holds records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fixture", nargs="?", default=str(DEMO_FIXTURE),
            help=_("A JSON fixture to load instead of fixtures/demo.json."),
        )

    def handle(self, *args, fixture, verbosity=1, **options):
        path = Path(fixture)
        if not path.is_file():
            raise CommandError(NO_FIXTURE % {"path": path})
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
            models = [apps.get_model(entry["model"]) for entry in entries]
        except (ValueError, TypeError, KeyError, LookupError) as problem:
            raise CommandError(str(NOT_A_FIXTURE % {"path": path, "problem": problem})) from None
        with transaction.atomic():
            held = rows_held(models)
            if held:
                self.stdout.write(str(NOT_EMPTY % {"fixture": path.name}))
                self.stdout.write(str(HOLDS % {"contents": ", ".join(held)}))
                return
            try:
                entries = with_level_pks(entries)
            except LookupError as unknown:
                raise CommandError(str(UNKNOWN_LEVEL % {"path": path, "code": unknown.args[0], "codes": ", ".join(
                    Level.objects.values_list("code", flat=True))})) from None
            with tempfile.TemporaryDirectory() as folder:
                # Under its own name, so that what loaddata says names the fixture given.
                resolved = Path(folder) / path.name
                resolved.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
                call_command("loaddata", str(resolved), verbosity=verbosity, stdout=self.stdout)
            # A unit's reference code, the units above it and its visibility are derived from
            # its parent: worked out here, before the checks and the tombstones that read them.
            problems = arrangement_problems()
            if not problems:
                place_units()
                problems = list(invalid_records(entries))
            if problems:
                raise CommandError("\n".join([INVALID % {"fixture": path.name}, *problems]))
            keep_the_tombstone_rule()
        call_command("refresh_catalog", stdout=self.stdout)


def with_level_pks(entries):
    """The entries with each unit's level named by its primary key in this database.

    A fixture may name a level by its code ("series"), as the demo does: level rows are data,
    whose keys differ between databases (and a test database that was flushed has none). The
    levels Arkiv ships are made if missing, as Level.default() makes the item level; a code
    this catalogue does not know raises LookupError(code)."""
    codes = {entry["fields"]["level"] for entry in entries
             if entry["model"] == "catalog.item" and isinstance(entry["fields"].get("level"), str)}
    if not codes:
        return entries
    pks = Level.ensure(codes)
    resolved = []
    for entry in entries:
        level = entry["fields"].get("level") if entry["model"] == "catalog.item" else None
        if isinstance(level, str):
            if level not in pks:
                raise LookupError(level)
            entry = {**entry, "fields": {**entry["fields"], "level": pks[level]}}
        resolved.append(entry)
    return resolved


def rows_held(models):
    """“16 items”, … for each table the fixture writes that already holds rows: loaddata
    would overwrite those that share a primary key with the fixture's."""
    held = []
    for model in dict.fromkeys(models):
        count = model._default_manager.count()
        if count:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            held.append(f"{count} {name}")
    return held


def keep_the_tombstone_rule():
    """A fixture load skips the receivers, so the rule every other write keeps is applied here:
    a tombstone exists exactly while an item once published is not published now. A fixture
    that holds a published item and its tombstone would have OAI list it twice."""
    for item in Item.objects.prefetch_related("collections"):
        tombstone_sync(item)


def invalid_records(entries):
    """“model pk: problem” for every record of the fixture that fails full_clean()."""
    wanted = {}
    for entry in entries:
        if entry["model"] in CHECKED_MODELS:
            wanted.setdefault(entry["model"], []).append(entry["pk"])
    for label in CHECKED_MODELS:
        model = apps.get_model(label)
        for record in model.objects.filter(pk__in=wanted.get(label, [])).order_by("pk"):
            try:
                record.full_clean()
            except ValidationError as error:
                details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
                yield f"  {label} {record.pk} ({record}): {details}"
