"""Load the demo catalogue (fixtures/demo.json) and compute its derived caches."""
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


class Command(BaseCommand):
    help = "Load (or reload) the demo catalogue about Eastern Finnmark, 1944-1945."

    def handle(self, *args, **options):
        call_command("loaddata", str(DEMO_FIXTURE), verbosity=options["verbosity"])
        call_command("refresh_catalog", stdout=self.stdout)
