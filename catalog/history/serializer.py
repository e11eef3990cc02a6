"""The "arkiv" serialization format of versions: an item with its statements and files, an
authority record with its variants and links, in one JSON document each.

reversion's `follow` would record each statement as a Version of its own, in the same
revision as its item. Reading an item's history back then means finding, for every revision,
the statements of that item among all the versions of the revision, and no index leads from an
item to its statements' versions (a revision of a CSV import holds millions). Embedding them
keeps one Version per item and change set: the history page reads an item's versions through
reversion's own (content type, object id) index, and a bulk import writes one row per item.

The document is Django's JSON serialization of the object (so reversion's field_dict and
Version.revert() read it as usual) with extra keys, which Django's deserializer ignores:

    [{"model": "catalog.item", "pk": 7, "fields": {..., "collections": [2, 5]},
      "statements": [{"id": 31, "term": "title", "value": "…", "lang": "nb", "authority": null,
                      "target": null, "position": 0}, …],
      "files": [{"id": 4, "label": "recto", "original_name": "a.tif", "file": "originals/…",
                 "position": 0, "rights_uri": "", "original_public": false}, …]}]

serialized_items() has the database write these for many items, one statement a chunk of ids;
the import engine writes its versions with it (bulk.py), and single saves through Serializer, so
both write the same thing.
"""
import json

import orjson
from django.core.serializers import json as django_json
from django.core.serializers.base import Serializer as BaseSerializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from ..bulk import select_in, table
from ..models import Authority, DigitalFile, Item, Statement

STATEMENT_FIELDS = ("id", "term", "value", "lang", "authority", "target", "position")
FILE_FIELDS = ("id", "label", "original_name", "file", "position", "rights_uri", "original_public")
# orjson writes the documents (3x the standard encoder's speed), with Django's JSON forms of
# dates and times (`default`), so a document reads back as it did when json wrote it.
_DJANGO_FORMS = DjangoJSONEncoder().default
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME

Deserializer = django_json.Deserializer


def item_field_names():
    return [f.name for f in Item._meta.concrete_fields if not f.primary_key]


def item_documents(pks):
    """{pk: document} of the items `pks` as they stand now (missing ones left out), in JSON's
    types (a date as its text), as a version holds them."""
    return {pk: orjson.loads(text) for pk, text in serialized_items(pks).items()}


def serialized_items(pks):
    """{pk: document as JSON text} of the items `pks` as they stand now; missing items are left
    out (a version holds the document in a list).

    The database writes each whole document (document_sql()) and Python only passes the text
    on: a document is read for every item a batch edit touches, before and after, and building
    it from rows in Python (a dict a row, dates through the ORM's converters) cost more than the
    database's reading of them. Raw SQL by ids (catalog.bulk.select_in): the ORM's preparing of
    long IN lists cost more than the reading.
    """
    return dict(select_in(f"SELECT i.id, {document_sql()} FROM {table(Item)} i WHERE i.id IN ({{ids}})", pks))


def document_sql():
    """SQL for the document of the item `i` (a row of the item table under that name) as JSON
    text, written by the database's own JSON functions (json_object / json_build_object): its
    fields, collections, statements and files, each list in its order."""
    item = Item._meta
    fields = [(f.name, _json_value(f, f"i.{_quote(f.column)}")) for f in item.concrete_fields if not f.primary_key]
    through = Item.collections.through._meta
    fields.append(("collections", _json_array(
        table(Item.collections.through), through.get_field("collection").column,
        f"{through.get_field('item').column} = i.id", through.get_field("collection").column,
    )))
    text = _json_object([
        ("model", "'catalog.item'"), ("pk", "i.id"), ("fields", _json_object(fields)),
        ("statements", _rows_array(Statement, STATEMENT_FIELDS)), ("files", _rows_array(DigitalFile, FILE_FIELDS)),
    ])
    return f"{text}::text" if connection.vendor == "postgresql" else text  # text: psycopg would parse json


def label_sql():
    """SQL for the label of the item `i`'s versions: "identifier: title", or the identifier alone."""
    identifier, sort_title = f"i.{_quote('identifier')}", f"i.{_quote('sort_title')}"
    return f"CASE WHEN {sort_title} <> '' THEN {identifier} || ': ' || {sort_title} ELSE {identifier} END"


def _rows_array(model, names):
    """SQL for the JSON array of the item's rows of `model`, one object of fields `names` each,
    in their order."""
    pairs = [(name, _json_value(model._meta.get_field(name), _quote(model._meta.get_field(name).column))) for name in names]
    return _json_array(table(model), _json_object(pairs), "item_id = i.id", f"{_quote('position')}, id")


def _json_array(source, value, where, order):
    """SQL for the JSON array of `value` over the rows of `source` that match `where`, in `order`."""
    if connection.vendor == "postgresql":
        return f"(SELECT COALESCE(json_agg({value} ORDER BY {order}), '[]'::json) FROM {source} WHERE {where})"
    # SQLite 3.40 has no ORDER BY within an aggregate; it aggregates an ordered subquery in its
    # order (an aggregate's subquery with ORDER BY is never flattened). json(): a value read out
    # of a subquery loses its JSON subtype and would be taken as a string.
    return f"json((SELECT json_group_array(json(v)) FROM (SELECT {value} AS v FROM {source} WHERE {where} ORDER BY {order})))"


def _json_object(pairs):
    arguments = ", ".join(f"'{name}', {value}" for name, value in pairs)
    return f"json_build_object({arguments})" if connection.vendor == "postgresql" else f"json_object({arguments})"


def _quote(name):
    return connection.ops.quote_name(name)


def _json_value(field, column):
    """SQL for a column's value as a document holds it: as the ORM reads it, in Django's JSON forms
    (DjangoJSONEncoder: a time to the millisecond, none if it has no fraction, UTC as Z)."""
    kind = field.get_internal_type()
    if connection.vendor == "sqlite":
        if kind == "BooleanField":
            return f"json(CASE WHEN {column} THEN 'true' ELSE 'false' END)"
        if kind == "DateTimeField":
            # Stored by Django as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC (a raw write's '+00:00' after it is passed over).
            return (f"substr({column}, 1, 10) || 'T' || substr({column}, 12, 8) || "
                    f"CASE WHEN substr({column}, 20, 1) = '.' THEN substr({column}, 20, 4) ELSE '' END || 'Z'")
        return column
    if kind == "DateTimeField":
        utc = f"({column} AT TIME ZONE 'UTC')"
        return (f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
                f"CASE WHEN mod(extract(microseconds FROM {column})::bigint, 1000000) <> 0 THEN to_char({utc}, '.MS') ELSE '' END || 'Z'")
    return column


def authority_document(pk):
    fields = [f.name for f in Authority._meta.concrete_fields if not f.primary_key]
    values = Authority.objects.filter(pk=pk).values(*fields).first()
    if values is None:
        return None
    record = Authority.objects.get(pk=pk)
    return {
        "model": "catalog.authority", "pk": pk, "fields": values,
        "variants": [{"label": v.label, "lang": v.lang} for v in record.variants.all()],
        "links": [{"source": link.source, "uri": link.uri} for link in record.links.all()],
    }


def dumps(document):
    return _encoded([document])


def _encoded(documents):
    return orjson.dumps(documents, default=_DJANGO_FORMS, option=_OPTIONS).decode()


def loads(serialized):
    return json.loads(serialized)[0]


class Serializer(BaseSerializer):
    """What reversion calls for a single object; items and authority records get their
    documents, anything else Django's JSON."""

    def serialize(self, queryset, **options):
        documents = []
        for obj in queryset:
            if isinstance(obj, Item):
                text = serialized_items([obj.pk]).get(obj.pk)
                document = orjson.Fragment(text) if text is not None else None
            elif isinstance(obj, Authority):
                document = authority_document(obj.pk)
            else:
                document = json.loads(django_json.Serializer().serialize([obj], **options))[0]
            if document is not None:
                documents.append(document)
        self.value = _encoded(documents)
        return self.value

    def getvalue(self):
        return self.value
