"""Load the demo catalogue (fixtures/demo.json), check every record in it, compute its caches."""
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"

# A fixture load skips the models' save() and the receivers, so it is checked here instead, the
# way the admin would check the same records (full_clean: field rules, then each model's clean).
CHECKED_MODELS = ("catalog.collection", "catalog.authority", "catalog.item", "catalog.statement")


class Command(BaseCommand):
    help = (
        "Load (or reload) the demo catalogue about Eastern Finnmark, 1944-1945, and check that every "
        "record in it is valid. Nothing is loaded if one is not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fixture", nargs="?", default=str(DEMO_FIXTURE),
            help="A JSON fixture to load instead of fixtures/demo.json.",
        )

    def handle(self, *args, fixture, verbosity=1, **options):
        path = Path(fixture)
        if not path.is_file():
            raise CommandError(f"No fixture at {path}: give the path of a JSON fixture, or none for the demo catalogue.")
        with transaction.atomic():
            call_command("loaddata", str(path), verbosity=verbosity)
            problems = list(invalid_records(path))
            if problems:
                raise CommandError(
                    f"{path.name} was not loaded: correct these records in it and load it again.\n"
                    + "\n".join(problems)
                )
        call_command("refresh_catalog", stdout=self.stdout)


def invalid_records(path):
    """“model pk: problem” for every record of the fixture that fails full_clean()."""
    wanted = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
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
