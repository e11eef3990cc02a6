"""Compile every .po file of Arkiv's translations into the .mo file Django reads.

Django's own compilemessages needs GNU gettext's msgfmt; this needs only polib, which the
set-up installs, so `make run` works on a machine without gettext. A .mo file is written only
where it is missing or older than its .po.
"""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

import polib


class Command(BaseCommand):
    help = "Compile the translations (.po) into the files Django reads (.mo)."

    def handle(self, *args, **options):
        compiled = 0
        for folder in settings.LOCALE_PATHS:
            for po_path in sorted(folder.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        if options["verbosity"]:
            self.stdout.write(_("Translations compiled: %(count)d.") % {"count": compiled})
