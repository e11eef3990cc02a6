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

serialized_items() makes these for many items in four queries a chunk of ids; the import engine writes
its versions with it (bulk.py), and single saves through Serializer, so both write the same thing.
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
    return {pk: orjson.loads(text) for pk, (_, text) in serialized_items(pks).items()}


def serialized_items(pks):
    """{pk: (fields, text)} of the items `pks` as they stand now: the item's field values and its
    document as JSON text (a version holds it in a list). Missing items are left out.

    The database writes each statement and file as a JSON object (json_object /
    json_build_object), which the text takes in as it comes (orjson.Fragment): statements are
    most of a document, and building them in Python, a dict a row, cost twice as much (10,000
    items of 20 statements: 0.54 -> 0.30 CPU s), read once before and once after a batch edit.
    Raw SQL by ids (catalog.bulk.select_in): the ORM's preparing of long IN lists cost more than
    the reading.
    """
    pks = list(pks)
    found = {}
    for values in Item.objects.filter(pk__in=pks).values("pk", *item_field_names()):
        values["collections"] = []
        found[values.pop("pk")] = (values, [], [])
    if not found:
        return {}
    memberships = f"SELECT item_id, collection_id FROM {table(Item.collections.through)} WHERE item_id IN ({{ids}}) ORDER BY item_id, collection_id"
    for item_id, collection_id in select_in(memberships, found):
        found[item_id][0]["collections"].append(collection_id)
    for model, names, at in ((Statement, STATEMENT_FIELDS, 1), (DigitalFile, FILE_FIELDS, 2)):
        rows = f"SELECT item_id, {_json_object(model, names)} FROM {table(model)} WHERE item_id IN ({{ids}}) ORDER BY item_id, {_quote('position')}, id"
        for item_id, text in select_in(rows, found):
            found[item_id][at].append(text)
    return {
        pk: (fields, _encoded({
            "model": "catalog.item", "pk": pk, "fields": fields,
            "statements": orjson.Fragment(f"[{','.join(statements)}]"), "files": orjson.Fragment(f"[{','.join(files)}]"),
        }))
        for pk, (fields, statements, files) in found.items()
    }


def _quote(name):
    return connection.ops.quote_name(name)


def _json_object(model, names):
    """SQL for a row's fields `names` as the text of one JSON object, in the database's own
    JSON functions (a boolean as true or false, as the ORM would give it)."""
    pairs = []
    for name in names:
        field = model._meta.get_field(name)
        column = _quote(field.column)
        if connection.vendor == "sqlite" and field.get_internal_type() == "BooleanField":
            column = f"json(CASE WHEN {column} THEN 'true' ELSE 'false' END)"
        pairs.append(f"'{name}', {column}")
    if connection.vendor == "sqlite":
        return f"json_object({', '.join(pairs)})"
    return f"json_build_object({', '.join(pairs)})::text"  # text: psycopg would parse json


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
                text = serialized_items([obj.pk]).get(obj.pk, (None, None))[1]
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
