"""Writing the search index: one row per item, rebuilt from the item's document.

The text handed to either engine is already folded and split by text.words() and joined by
spaces, so what FTS5 and PostgreSQL store are exactly the words the query side looks for.
Documents are read from the database (reindex_items), or handed over by a bulk writer that has
just written them (index_documents).

Every write logs the items whose words it rewrites in the change log (catalog/facets/changes.py),
in its own transaction, so that the counts of a search are brought up to date by the items that
changed (catalog/site/searched.py); a write of more than changes.ITEMS items logs a marker.
"""
from django.db import connection, transaction
from django.db.models import Max

from ..facets import changes
from ..models import Item
from . import vocabulary
from .documents import authority_labels, documents, documents_between
from .text import words

BATCH_SIZE = 2000
"""Items read and written per round trip when reindexing."""

STATISTICS_AFTER = BATCH_SIZE
"""Reindexing this many items (a bulk load, an import) also refreshes the planner's statistics."""

KNOWN_TEXTS = 50_000
KNOWN_TEXT_CHARACTERS = 120
"""_words_of() remembers the words of up to this many texts of up to this many characters."""

MAX_FIELD_CHARACTERS = 400_000
"""Text indexed per field of an item (a long transcription is cut here). A PostgreSQL tsvector
holds at most 1 MB; 400,000 characters of prose stay well below that."""


def reindex_items(item_ids=None, *, statistics=True):
    """Rebuild the index rows of these items (None: of every item); returns how many were indexed.

    Ids of items that no longer exist lose their rows. Call it after writes that bypass the
    model signals: bulk_create, QuerySet.update, raw fixture loads. `statistics=False` leaves the
    planner's statistics to a caller that reindexes batch after batch and refreshes them once
    at the end (refresh_statistics()).
    """
    writer = _WRITERS[connection.vendor]
    if item_ids is None:
        indexed = _reindex_all(writer)
    else:
        item_ids = sorted(set(item_ids))
        indexed, logged = 0, len(item_ids) <= changes.ITEMS
        for start in range(0, len(item_ids), BATCH_SIZE):
            indexed += _reindex_batch(writer, item_ids[start:start + BATCH_SIZE], logged)
    if statistics and (item_ids is None or indexed >= STATISTICS_AFTER):
        writer.refresh_statistics()
    return indexed


def refresh_statistics():
    """Refresh the planner's statistics of the index and the tables a search joins."""
    _WRITERS[connection.vendor].refresh_statistics()


def index_documents(found):
    """Write the index rows of {item id: Document}, replacing any rows of those ids; returns how
    many were indexed.

    For a bulk writer that holds its items' statements already (an import that has just created
    them): it builds their documents as documents() would read them back, and spares the
    reading. Statistics are refreshed as reindex_items() would refresh them.
    """
    writer = _WRITERS[connection.vendor]
    item_ids = sorted(found)
    for start in range(0, len(item_ids), BATCH_SIZE):
        batch = item_ids[start:start + BATCH_SIZE]
        # No savepoint: its one caller writes inside its own transaction, which any error
        # here rolls back whole, and within a savepoint SQLite also copies every page it
        # changes to a journal of the savepoint.
        with transaction.atomic(savepoint=False):
            changes.log_text(batch if len(item_ids) <= changes.ITEMS else None)
            writer.delete(batch)
            writer.insert(_Rows({pk: found[pk] for pk in batch}))
    if len(item_ids) >= STATISTICS_AFTER:
        writer.refresh_statistics()
    return len(item_ids)


def _reindex_all(writer):
    with transaction.atomic():
        changes.log_text(None)
        writer.clear()
    labels = authority_labels()
    indexed, last = 0, 0
    while True:
        batch = Item.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]
        batch_last = batch.aggregate(last=Max("pk"))["last"]
        if batch_last is None:
            # Again at the end: a count made between the batches is made afresh after them.
            with transaction.atomic():
                changes.log_text(None)
            return indexed
        with transaction.atomic():
            indexed += writer.insert(_Rows(documents_between(last + 1, batch_last, labels)))
        last = batch_last


def _reindex_batch(writer, item_ids, logged):
    """`logged`: the items are logged one by one (else a marker: the whole write is too many)."""
    with transaction.atomic():
        changes.log_text(item_ids if logged else None)
        writer.delete(item_ids)
        return writer.insert(_Rows(documents(item_ids)))


class _Rows(list):
    """Index rows [(item id, title, body, full text)], each text words joined by spaces, and
    `words`: the set of every word they hold, gathered as they were made (vocabulary.py)."""

    def __init__(self, found):
        super().__init__()
        self.words = held = set()
        for pk, document in found.items():
            self.append((
                pk, _field(document.title, held), _field(document.body_texts(), held), _field([document.full_text], held),
            ))


def _field(texts, held=None):
    """The words of these texts joined by spaces; each word also goes into the set `held`."""
    held = set() if held is None else held
    if sum(map(len, texts)) + len(texts) > MAX_FIELD_CHARACTERS:
        found = words("\n".join(texts)[:MAX_FIELD_CHARACTERS])
        held.update(found)
        return " ".join(found)
    # No word runs across a line break, so the words of the texts joined are the words of each.
    joined = []
    for text in texts:
        its_words, its_joined = _words_of(text)
        if its_joined:
            held.update(its_words)
            joined.append(its_joined)
    return " ".join(joined)


_known_words = {}


def _words_of(text):
    """(The words of `text`, the same joined by spaces), remembered for short texts: names,
    subjects and phrases recur from item to item, and reindexing a catalogue folds the same ones
    again and again. Joined once here rather than word by word in _field: a batch edit of 10,000
    items passed 700,000 words one at a time. The words are kept too, for the table of words
    (vocabulary.py), which a row's words are then gathered for without splitting it again."""
    if len(text) > KNOWN_TEXT_CHARACTERS:
        found = words(text)
        return found, " ".join(found)
    known = _known_words.get(text)
    if known is None:
        if len(_known_words) >= KNOWN_TEXTS:
            _known_words.clear()
        found = words(text)
        known = _known_words[text] = (tuple(found), " ".join(found))
    return known


class SQLiteWriter:
    """The FTS5 table catalog_search(title, body, full_text); its rowid is the item's id. The
    words written are added to the table of words (vocabulary.py); a deleted row's stay."""

    @staticmethod
    def refresh_statistics():
        # SQLite plans without statistics until ANALYZE writes them, and then guesses that
        # status = 'published' or term = 'subject' picks ten rows: a search narrowed to 169
        # items had its facets scan every subject statement (0.6 s at 100,000 items, 2 ms after).
        # analysis_limit samples each index instead of reading it whole (50 ms at 100,000).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")

    @staticmethod
    def clear():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_search")
        vocabulary.clear()

    @staticmethod
    def delete(item_ids):
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM catalog_search WHERE rowid IN ({', '.join(['%s'] * len(item_ids))})", item_ids
            )

    @staticmethod
    def insert(rows):
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO catalog_search (rowid, title, body, full_text) VALUES (%s, %s, %s, %s)", rows
            )
        vocabulary.add(rows.words)
        return len(rows)


class PostgreSQLWriter:
    """The table catalog_search(rowid, vector): title words weigh A, the rest B, full text C."""

    @staticmethod
    def refresh_statistics():
        # Autovacuum would get there; after a bulk load the planner should not have to wait.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_item, catalog_statement, catalog_search")

    @staticmethod
    def clear():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE catalog_search")

    @staticmethod
    def delete(item_ids):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_search WHERE rowid = ANY(%s)", [list(item_ids)])

    @staticmethod
    def insert(rows):
        if not rows:
            return 0
        # 'simple' only lower-cases: the words arrive folded and split already (see text.py),
        # and stemming is left out on purpose, since one catalogue mixes Norwegian, Russian and
        # English and no single language's stemmer would be right for all of its values.
        columns = [list(column) for column in zip(*rows)]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO catalog_search (rowid, vector)
                SELECT id, setweight(to_tsvector('simple', title), 'A')
                        || setweight(to_tsvector('simple', body), 'B')
                        || setweight(to_tsvector('simple', full_text), 'C')
                FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS d(id, title, body, full_text)
                """,
                columns,
            )
        return len(rows)


_WRITERS = {"sqlite": SQLiteWriter, "postgresql": PostgreSQLWriter}
