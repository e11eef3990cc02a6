"""Export the catalogue as XML: `manage.py export_xml --out FILE [--format PREFIX]`.

Stopped halfway (Ctrl-C, `kill`, a closed terminal, systemd or docker stopping it) the export
removes its partial file and leaves the last complete one where it was.
"""
import signal
import sys
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import formats as number_formats
from django.utils.translation import gettext, gettext_lazy as _, ngettext, pgettext
from tqdm import tqdm

from catalog.exports import static
from catalog.management.translated import TranslatedCommand
from catalog.oai import formats

HELP = _(
    "Write the whole catalogue to one XML file: an OAI-PMH Static Repository with every "
    "published item in every metadata format that can describe it (edm: the items Europeana "
    "would take), or with --format one format's complete ListRecords (oai_dc, qdc or edm), "
    "deleted records included. The file is replaced only once it is complete."
)
INTERRUPTED = _("The export was stopped before it finished: %(out)s is as it was before, and no partial file is left.")
NO_SITE_URL = _(
    "Records link to the public site, so the export needs its address: pass "
    "--site-url https://archive.example.org, or set ARKIV_BASE_URL."
)


class _Stopped(BaseException):
    """A signal that ends the export: raised, like KeyboardInterrupt, so that the export unwinds
    and removes its partial file on the way out (by default SIGTERM and SIGHUP end Python at
    once, cleaning up nothing)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _stopping_cleanly():
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals; a caller's thread keeps the defaults
        return

    def stop(signum, frame):
        raise _Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    except KeyboardInterrupt:
        raise _Stopped(signal.SIGINT) from None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Command(TranslatedCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help=_("The file to write (replaced atomically)."))
        parser.add_argument(
            "--format", metavar="PREFIX", choices=[f.prefix for f in formats.all_formats()],
            help=_("Write one format's records as a ListRecords response instead of a static repository."),
        )
        parser.add_argument(
            "--site-url", default=settings.ARKIV_BASE_URL,
            help=_("The public site's address, for the links in the records (default: ARKIV_BASE_URL)."),
        )
        parser.add_argument(
            "--base-url",
            help=_(
                "The baseURL the file declares (default: the site's /oai). For a Static Repository "
                "Gateway, give the gateway's URL followed by the file's address without http(s)://."
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("Do not show a progress bar."))

    def handle(self, *args, **options):
        site_url = (options["site_url"] or "").rstrip("/")
        if not site_url:
            raise CommandError(str(NO_SITE_URL))
        base_url = options["base_url"] or site_url + reverse("oai")
        prefix = options["format"]
        started = time.perf_counter()
        written = 0
        with tqdm(
            total=static.count(prefix), unit=" " + pgettext("progress bar unit", "records"), file=sys.stderr,
            disable=options["no_progress"], desc=gettext("Exporting"),
        ) as bar:

            def progress(n):
                nonlocal written
                written += n
                bar.update(n)

            try:
                with _stopping_cleanly():
                    if prefix:
                        static.write_list_records(options["out"], prefix, base_url=base_url, site_url=site_url, progress=progress)
                    else:
                        static.write_static_repository(options["out"], base_url=base_url, site_url=site_url, progress=progress)
            except static.NothingToExport as problem:
                raise CommandError(str(problem)) from None
            except _Stopped as stopped:
                # The shell's convention for a process ended by a signal: 128 + its number.
                raise CommandError(str(INTERRUPTED % {"out": options["out"]}), returncode=128 + stopped.signum) from None
        done = {
            "count": written, "prefix": prefix, "out": options["out"],
            "seconds": number_formats.number_format(time.perf_counter() - started, 1),
        }
        if prefix:
            wrote = ngettext(
                "Wrote %(count)d %(prefix)s record to %(out)s in %(seconds)s s.",
                "Wrote %(count)d %(prefix)s records to %(out)s in %(seconds)s s.", written,
            )
        else:
            wrote = ngettext(
                "Wrote %(count)d record (all formats) to %(out)s in %(seconds)s s.",
                "Wrote %(count)d records (all formats) to %(out)s in %(seconds)s s.", written,
            )
        self.stdout.write(wrote % done)
