"""Bring every translation file up to date with the code: Django's makemessages over Arkiv's
own sources, for each language of LANGUAGES but English (the source), obsolete entries dropped.

One command, so that developers, `make messages` and the test that fails on a stale .po file
(tests/test_translations.py) extract strings the same way. Needs GNU gettext (xgettext).
"""
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

IGNORED = [".venv", ".venv/*", "tests", "tests/*", "benchmarks", "benchmarks/*", "staticfiles", "staticfiles/*",
           "media", "media/*", "fixtures", "fixtures/*", "test-artifacts", "test-artifacts/*", "build", "build/*"]


class Command(BaseCommand):
    help = "Update the .po files of every language from the strings marked in the code."

    def add_arguments(self, parser):
        parser.add_argument("--language", "-l", action="append", help="only these languages")

    def handle(self, *args, **options):
        languages = options["language"] or [code for code, _ in settings.LANGUAGES if code != "en"]
        for domain in ("django", "djangojs"):
            call_command(
                "makemessages", locale=languages, domain=domain, ignore_patterns=IGNORED,
                no_obsolete=True, add_location="file", verbosity=options["verbosity"],
                extensions=["html", "txt", "py", "xsl"] if domain == "django" else ["js"],
            )
