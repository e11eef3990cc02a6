"""Writing a finding aid: the nesting every EAD format shares, streaming, and the atomic file.

A format (ead3.py, apeead.py) is a `Writer` subclass that knows how one unit is described
(`header`, `description`) and what its elements are called; this module walks the `Unit`s of
model.walk() into <archdesc> and nested components, one unit at a time: each unit's description
is built as a small tree and written at once with lxml's incremental writer (`etree.xmlfile`),
while the components around it stay open. Nothing ever holds the whole fonds.

`Writer.document()` is a generator that yields after each unit it writes, so the same code
serves the three ways out: a file object (`write`), a download (`stream`: the response's
chunks are drained from a buffer between units), and a file replaced atomically (`atomic`).
"""
import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree

from ..static import partial_file, NothingToExport
from . import model

NO_FOLDER = _("There is no folder %(folder)s: create it, or write the finding aid elsewhere.")
NOT_WRITABLE = _("%(path)s cannot be written (%(reason)s): choose a file you may write.")

CHUNK = 64 * 1024
"""Bytes a download hands to the server at a time (about a hundred units)."""


class CannotWrite(Exception):
    """The destination cannot take the finding aid; the message says why and what to do."""


class NotExportable(Exception):
    """The settings keep a valid document of this format from being written; the message says
    which and how to fix them."""


class Writer:
    """The skeleton of an EAD document; a format fills in the names and the descriptions."""

    namespace = ""
    component = "c"  # unnumbered components: any depth, one name
    nsmap = {}  # declared on the root

    def __init__(self, xf):
        self.xf = xf
        self._names = {}
        # Each part of a unit is written as a tree of its own, which lxml's incremental writer
        # serialises with the declarations its nsmap holds: only the default namespace, or
        # every unit would repeat the root's (a dao declares xlink itself).
        self.part_nsmap = {None: self.namespace} if self.namespace else {}
        self.now = timezone.now().replace(microsecond=0)
        self.now_text = self.now.isoformat()
        self.agency_code = f"{settings.ARKIV_COUNTRY_CODE}-{settings.ARKIV_REPOSITORY_CODE}"

    def q(self, name):
        """The qualified name of an element of this format."""
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = etree.QName(self.namespace, name).text if self.namespace else name
        return found

    def E(self, name, text=None, /, **attributes):
        """The root element of one part of a unit's description (attributes whose value is
        None or "" are left out)."""
        element = etree.Element(self.q(name), _attributes(attributes), nsmap=self.part_nsmap)
        if text is not None:
            element.text = text
        return element

    def S(self, parent, name, text=None, /, **attributes):
        """An element under `parent` (which carries the namespace declaration)."""
        element = etree.SubElement(parent, self.q(name), _attributes(attributes))
        if text is not None:
            element.text = text
        return element

    # What a format defines.
    @classmethod
    def problems(cls):
        """What in the settings keeps this format from being written validly: messages."""
        return []

    def root_attributes(self, top):
        return {}

    def header(self, top):
        """The elements before <archdesc> (EAD3's <control>, EAD 2002's <eadheader>)."""
        raise NotImplementedError

    def archdesc_attributes(self, top):
        return self.level_attributes(top)

    def component_attributes(self, unit):
        return self.level_attributes(unit)

    def level_attributes(self, unit):
        level = unit.level
        if level is None:
            return {"level": "item"}
        if level.ead_level and level.ead_level != "otherlevel":
            return {"level": level.ead_level}
        return {"level": "otherlevel", "otherlevel": level.name or level.code}

    def dsc_attributes(self):
        return {}

    def description(self, unit, parent):
        """Add the elements that describe `unit` to `parent` (its <archdesc> or <c>), <did>
        first, in the order the schema wants."""
        raise NotImplementedError

    def _parts(self, unit, name):
        """The description's elements, for a unit whose element stays open (units follow inside
        it): each is written as a tree of its own."""
        holder = etree.Element(self.q(name), nsmap=self.part_nsmap)
        self.description(unit, holder)
        return list(holder)

    # The skeleton.
    def document(self, units):
        """Write the finding aid of the `Unit`s (the top one first, then depth first); yield
        after each unit written."""
        xf = self.xf
        top = next(units)
        with xf.element(self.q("ead"), self.root_attributes(top), nsmap=self.nsmap):
            for element in self.header(top):
                xf.write(element)
            with xf.element(self.q("archdesc"), self.archdesc_attributes(top)):
                for element in self._parts(top, "archdesc"):
                    xf.write(element)
                yield top
                if top.has_children:
                    with xf.element(self.q("dsc"), self.dsc_attributes()):
                        yield from self.components(units)

    def components(self, units):
        xf = self.xf
        name = self.q(self.component)
        open_components = []
        try:
            for unit in units:
                while len(open_components) >= unit.depth:
                    open_components.pop().__exit__(None, None, None)
                attributes = self.component_attributes(unit)
                if unit.has_children:
                    component = xf.element(name, attributes)
                    component.__enter__()
                    open_components.append(component)
                    for element in self._parts(unit, self.component):
                        xf.write(element)
                else:
                    # Most units are leaves: each is one small tree, written at once.
                    component = etree.Element(name, attributes, nsmap=self.part_nsmap)
                    self.description(unit, component)
                    xf.write(component)
                yield unit
        finally:
            # On an error the document is abandoned (and its file removed): close quietly.
            while open_components:
                open_components.pop().__exit__(None, None, None)


def _attributes(given):
    """Attributes given as keywords, those without a value left out."""
    if not given:
        return None
    return {name: value for name, value in given.items() if value}


def write(writer_class, top, out, *, site_url=""):
    """Write the finding aid of `top` (a published Item) to `out`, a binary file object.
    Returns how many units it holds."""
    written = 0
    for _unit in units_written(writer_class, top, out, site_url=site_url):
        written += 1
    return written


def units_written(writer_class, top, out, *, site_url=""):
    """Write as `write` does, yielding each `Unit` once it is written (for progress)."""
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        writer = writer_class(xf)
        yield from writer.document(model.walk(top, site_url=site_url))


class _Buffer:
    def __init__(self):
        self.parts = []
        self.size = 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.size += len(data)

    def take(self):
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


def stream(writer_class, top, *, site_url=""):
    """The finding aid of `top` as chunks of bytes of about CHUNK each: a download's body."""
    buffer = _Buffer()
    for _unit in units_written(writer_class, top, buffer, site_url=site_url):
        if buffer.size >= CHUNK:
            yield buffer.take()
    if buffer.size:
        yield buffer.take()


@contextmanager
def atomic(path):
    """A binary file that replaces `path` only once it is completely written and on disk;
    on any error or interruption it is removed and `path` is left as it was.

    The partial file (".NAME.part" beside `path`) is the static export's: locked while written,
    so two exports to one file never write it together (static.partial_file)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise CannotWrite(str(NO_FOLDER % {"folder": path.parent}))
    if path.is_dir():
        raise CannotWrite(str(NOT_WRITABLE % {"path": path, "reason": os.strerror(21)}))
    try:
        with partial_file(path) as (descriptor, partial):
            try:
                os.ftruncate(descriptor, 0)  # what a killed export left
                with os.fdopen(os.dup(descriptor), "wb") as handle:
                    yield handle
                    handle.flush()
                    os.fsync(handle.fileno())
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(descriptor, 0o666 & ~umask)  # the partial file is private; the finding aid is not
                os.replace(partial, path)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
    except NothingToExport as busy:
        raise CannotWrite(str(busy)) from None
    except PermissionError as problem:
        raise CannotWrite(str(NOT_WRITABLE % {"path": path, "reason": problem.strerror})) from None
