"""The whole catalogue as one XML file, for aggregators that take files rather than harvest.

Two layouts:
- `write_static_repository`: an OAI-PMH Static Repository (static-repository.xsd): Identify,
  ListMetadataFormats, and one ListRecords per metadata format, for a Static Repository
  Gateway to serve. Each format holds the items it can describe (MetadataFormat.condition:
  edm only those Europeana would take), and a format that can describe none is left out. The layout allows no deleted records, no sets and no finer granularity
  than days, so it holds the published items only, datestamped by day.
- `write_list_records`: one format's complete ListRecords response, as if a harvester had
  taken every page at once: deleted records and setSpecs included, datestamps to the second.

Both stream: records are read a batch at a time by keyset (catalog.oai.records) and written at
once with lxml's incremental writer, so memory stays flat whatever the size of the catalogue.
Both write atomically: into a partial file next to the destination (".catalogue.xml.part"),
renamed over it only when complete, so an interrupted export leaves the last good file where it
was. The partial file is removed on any exception, KeyboardInterrupt included (the command turns
SIGTERM and SIGHUP into one); only SIGKILL or a crash can leave it, and then the next export to
the same file takes it over. Its name is fixed for that reason, and an export holds a lock on it
while it writes, so that two exports to one file never write it together.
"""
import fcntl
import os
import re
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree

from catalog.dublincore import NS_XSI
from catalog.oai import formats, identify, response
from catalog.oai.markup import (
    NS_OAI, NS_STATIC_REPOSITORY, OAI_SCHEMA, STATIC_REPOSITORY_SCHEMA, XSI_SCHEMA_LOCATION, datestamp, day,
)
from catalog.oai.records import Cursor, Selection, page

BATCH = 1000
"""Records read and written per batch: enough to keep queries few, few enough to keep memory
small."""

NOTHING_PUBLISHED = _(
    "No item is published, and a static repository must hold at least one record: publish "
    "items first (or export one format with --format, which also lists deleted records)."
)
NO_SUCH_FORMAT = _("There is no format “%(prefix)s”: choose one of %(offered)s.")
NOTHING_TO_EXPORT = _("The catalogue has no published or deleted items to export yet.")
NO_FOLDER = _("There is no folder %(folder)s: create it, or write the file elsewhere.")


BEING_WRITTEN = _(
    "Another export is writing %(path)s right now: wait for it to finish, or write this one "
    "to another file."
)


class NothingToExport(Exception):
    pass


def write_static_repository(path, *, base_url, site_url, progress=None):
    """Write the static repository to `path`; `progress(n)` is told of every n records written."""
    published = Selection(include_deleted=False)
    if not published.items().exists():
        raise NothingToExport(str(NOTHING_PUBLISHED))
    # A ListRecords must hold a record: a format that can describe no published item (edm,
    # before any has a rights statement Europeana accepts) is left out, and not listed.
    all_formats = [
        metadata_format for metadata_format in formats.all_formats()
        if replace(published, condition=metadata_format.condition()).items().exists()
    ]
    with _atomic(path) as handle, etree.xmlfile(handle, encoding="UTF-8") as xf:
        xf.write_declaration()
        repository = etree.QName(NS_STATIC_REPOSITORY, "Repository")
        nsmap = {None: NS_STATIC_REPOSITORY, "oai": NS_OAI, "xsi": NS_XSI}
        location = {XSI_SCHEMA_LOCATION: f"{NS_STATIC_REPOSITORY} {STATIC_REPOSITORY_SCHEMA}"}
        with xf.element(repository, attrib=location, nsmap=nsmap):
            xf.write(_identify(base_url))
            e_formats = etree.Element(etree.QName(NS_STATIC_REPOSITORY, "ListMetadataFormats"), nsmap=nsmap)
            response.metadata_formats(e_formats, all_formats, site_url=site_url)
            xf.write(e_formats)
            for metadata_format in all_formats:
                list_records = etree.QName(NS_STATIC_REPOSITORY, "ListRecords")
                with xf.element(list_records, metadataPrefix=metadata_format.prefix):
                    schema_url = metadata_format.schema_url(site_url)
                    # Each format holds the items it can describe (edm: those Europeana takes).
                    selection = replace(published, condition=metadata_format.condition())
                    for batch in _batches(selection, site_url, metadata_format):
                        for record in batch:
                            xf.write(_static_record(record, metadata_format, schema_url))
                        _flush(xf, handle, progress, len(batch))


def write_list_records(path, prefix, *, base_url, site_url, progress=None):
    """Write every record in format `prefix`, deleted ones included, as one ListRecords."""
    metadata_format = formats.get(prefix)
    if metadata_format is None:
        offered = ", ".join(f.prefix for f in formats.all_formats())
        raise NothingToExport(NO_SUCH_FORMAT % {"prefix": prefix, "offered": offered})
    everything = Selection(condition=metadata_format.condition())
    if not everything.items().exists() and not everything.tombstones().exists():
        raise NothingToExport(str(NOTHING_TO_EXPORT))
    schema_url = metadata_format.schema_url(site_url)
    with _atomic(path) as handle, etree.xmlfile(handle, encoding="UTF-8") as xf:
        xf.write_declaration()
        nsmap = {None: NS_OAI, "xsi": NS_XSI}
        with xf.element(etree.QName(NS_OAI, "OAI-PMH"), attrib={XSI_SCHEMA_LOCATION: f"{NS_OAI} {OAI_SCHEMA}"}, nsmap=nsmap):
            xf.write(_element("responseDate", datestamp(timezone.now())))
            xf.write(_element("request", base_url, verb="ListRecords", metadataPrefix=prefix))
            with xf.element(etree.QName(NS_OAI, "ListRecords"), nsmap=metadata_format.nsmap):
                for batch in _batches(everything, site_url, metadata_format):
                    # Records are built under a scratch parent, written, and dropped with it.
                    e_scratch = etree.Element(etree.QName(NS_OAI, "ListRecords"), nsmap={**nsmap, **metadata_format.nsmap})
                    for record in batch:
                        xf.write(response.record(e_scratch, record, metadata_format, schema_url=schema_url))
                    _flush(xf, handle, progress, len(batch))


def count(prefix=None):
    """How many records an export writes: per format for the static repository, or for one
    format's ListRecords (deleted records included)."""
    if prefix:
        metadata_format = formats.get(prefix)
        if metadata_format is None:
            return Selection().count()
        return Selection(condition=metadata_format.condition(), admitted=metadata_format.admitted_count).count()
    return sum(
        Selection(include_deleted=False, condition=metadata_format.condition(), admitted=metadata_format.admitted_count).count()
        for metadata_format in formats.all_formats()
    )


def _batches(selection, site_url, metadata_format):
    cursor, more = Cursor(), True
    while more:
        records, more, cursor = page(selection, after=cursor, size=BATCH, describe=True, site_url=site_url)
        if records:
            metadata_format.read_more(records)
            yield records


def _flush(xf, handle, progress, written):
    """Hand a finished batch to the file, so that what is written is on its way to disk and
    out of memory, then report it."""
    xf.flush()
    handle.flush()
    if progress:
        progress(written)


def _identify(base_url):
    e_identify = etree.Element(etree.QName(NS_STATIC_REPOSITORY, "Identify"), nsmap={None: NS_STATIC_REPOSITORY, "oai": NS_OAI})
    earliest = identify.earliest_datestamp(include_deleted=False)
    return identify.write(e_identify, base_url=base_url, earliest=day(earliest), granularity="YYYY-MM-DD", deleted_record="no")


def _static_record(record, metadata_format, schema_url):
    """A record as static-repository.xsd restricts it: identifier and day datestamp only."""
    e_record = etree.Element(etree.QName(NS_OAI, "record"), nsmap={"oai": NS_OAI, **metadata_format.nsmap})
    e_header = etree.SubElement(e_record, etree.QName(NS_OAI, "header"))
    etree.SubElement(e_header, etree.QName(NS_OAI, "identifier")).text = identify.oai_identifier(record.identifier)
    etree.SubElement(e_header, etree.QName(NS_OAI, "datestamp")).text = day(record.datestamp)
    e_metadata = etree.SubElement(e_record, etree.QName(NS_OAI, "metadata"))
    metadata_format.record(e_metadata, record.description, schema_url=schema_url)
    return e_record


def _element(name, value, **attributes):
    element = etree.Element(etree.QName(NS_OAI, name), attributes, nsmap={None: NS_OAI})
    element.text = value
    return element


@contextmanager
def _atomic(path):
    """A file that replaces `path` only once it is completely written."""
    path = Path(path)
    if not path.parent.is_dir():
        raise NothingToExport(NO_FOLDER % {"folder": path.parent})
    with partial_file(path) as (descriptor, partial):
        _remove_earlier_partial_files(path)
        try:
            os.ftruncate(descriptor, 0)  # what a killed export left
            with os.fdopen(os.dup(descriptor), "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(descriptor, 0o666 & ~umask)  # the partial file is private; the export is not
            os.replace(partial, path)  # still locked: no other export can open it meanwhile
        except BaseException:
            partial.unlink(missing_ok=True)
            raise


@contextmanager
def partial_file(path):
    """The partial file of an export to `path`, created if need be and locked for this export:
    (descriptor, path of the partial file). NothingToExport if another export holds it."""
    partial = path.with_name(f".{path.name}.part")
    while True:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise NothingToExport(str(BEING_WRITTEN % {"path": path})) from None
        # The export that held the lock may have renamed or removed the file between our open
        # and our lock: then the lock is on a file no longer called `partial`, so start again.
        try:
            if os.path.samestat(os.fstat(descriptor), os.stat(partial)):
                break
        except FileNotFoundError:
            pass
        os.close(descriptor)
    try:
        yield descriptor, partial
    finally:
        os.close(descriptor)  # releases the lock


def _remove_earlier_partial_files(path):
    """Partial files of exports by earlier versions of Arkiv, which named them at random
    (tempfile.mkstemp: eight letters, digits or underscores) and so never took them over."""
    earlier = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.part")
    for leftover in path.parent.glob(f".{path.name}.*.part"):
        if earlier.fullmatch(leftover.name):
            leftover.unlink(missing_ok=True)
