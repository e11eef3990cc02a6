"""The metadata formats records are disseminated in, keyed by metadataPrefix.

A format is one module in this package that calls `register()` with a MetadataFormat; the
modules are found and imported when this package is, so a third format needs nothing but its
own module. The static export uses the same registry.

A format's `write(parent, description)` is a pure function: it adds one element describing the
item (a Description from catalog.oai.records) under `parent`, and returns it.

A format that cannot describe every published item says which it can: `admits()` returns the
condition (a Q on Item) those items meet, and the lists, GetRecord and the static export apply it
in the query, so paging and resumption work on what the format serves (EDM leaves out what
Europeana would reject); `admitted_count()`, where given, says how many items that is without
counting them. A format whose writer needs more than a Description holds reads it
for a whole page at once in `prepare(descriptions)`, in a fixed number of queries.
"""
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

from django.urls import reverse
from lxml import etree

from catalog.dublincore import NS_XSI

from ..markup import XSI_SCHEMA_LOCATION


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    namespace: str
    write: Callable[[etree._Element, object], etree._Element]
    schema: str = ""  # the schema's public URL, when it has one
    schema_file: str = ""  # else: a file of catalog/oai/schemas/, which the endpoint serves
    nsmap: dict = field(default_factory=dict)  # prefixes its records use
    admits: Callable[[], object] | None = None  # -> Q on Item: the items it can describe; None: all
    # -> how many published items `admits` takes, without counting them (a list's first page
    # announces it); None: counted by the query.
    admitted_count: Callable[[], int] | None = None
    prepare: Callable[[list], None] | None = None  # reads more for a page of Descriptions

    @property
    def declared(self):
        """The prefixes in scope where a list response's records stand: xsi on the OAI-PMH
        root, and the format's own, declared once on the verb element (verbs._verb_element).
        Stored records leave these declarations out (cache/fragments.py), so a page does not
        repeat them on every record: for edm, some 700 bytes and nine declarations a record
        that every harvester would parse again."""
        return {"xsi": NS_XSI, **self.nsmap}

    def condition(self):
        """The Q on Item that this format's records meet, or None when it takes every item."""
        return self.admits() if self.admits else None

    def read_more(self, records):
        """Let the format read what it needs beyond the Descriptions of these records."""
        if self.prepare:
            descriptions = [record.description for record in records if record.description is not None]
            if descriptions:
                self.prepare(descriptions)

    def schema_url(self, site_url):
        if self.schema:
            return self.schema
        return site_url.rstrip("/") + reverse("oai-schema", kwargs={"name": self.schema_file})

    def record(self, parent, description, *, schema_url):
        """Write `description` under `parent`, with the schemaLocation validators look for."""
        element = self.write(parent, description)
        element.set(XSI_SCHEMA_LOCATION, f"{self.namespace} {schema_url}")
        return element


_registry: dict[str, MetadataFormat] = {}


def register(metadata_format: MetadataFormat) -> MetadataFormat:
    if metadata_format.prefix in _registry:
        raise ValueError(
            f"Two formats claim the metadataPrefix “{metadata_format.prefix}”: rename one of them."
        )
    _registry[metadata_format.prefix] = metadata_format
    return metadata_format


def get(prefix) -> MetadataFormat | None:
    return _registry.get(prefix)


def all_formats() -> list[MetadataFormat]:
    return list(_registry.values())


# oai_dc first, the format every repository must offer (ListMetadataFormats and the static
# export list the formats in this order), then the others by name.
for _name in sorted((module.name for module in pkgutil.iter_modules(__path__)), key=lambda name: (name != "oai_dc", name)):
    importlib.import_module(f"{__name__}.{_name}")
