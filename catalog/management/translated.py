"""Management commands whose help is translated.

A command speaks the active language, LANGUAGE_CODE unless something else is activated (an
archivist sets LANGUAGE_CODE=nb for Norwegian output). Its `help` may then be a lazy translation,
but argparse reformats the description with regular expressions, which need text: it is made
text here, when the command runs.
"""
from django.core.management.base import BaseCommand


class TranslatedCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if parser.description is not None:
            parser.description = str(parser.description)
        return parser
