"""search_items(): narrow a queryset of items to those matching a visitor's words, ranked.

SQLite: items are kept whose id is among the rowids the FTS5 table matches, with an expression
made only of quoted words; bm25() ranks, with a title word worth ten words of the full text and
a word of another statement or of a linked record's names worth three.

PostgreSQL: the weighted tsvector (A title, B other statements and names, C full text) is
matched with a tsquery made only of quoted lexemes, over its GIN index; ts_rank ranks with the
default weights (A 1.0, B 0.4, C 0.2).
"""
from contextlib import contextmanager

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, transaction
from django.db.models import BooleanField, Expression, F, FloatField, Func, Value
from django.db.models.expressions import RawSQL

from . import vocabulary
from .query import parse, to_tsquery

BM25_WEIGHTS = (10.0, 3.0, 1.0)  # title, body, full_text: the column order of the FTS5 table


def matching_rowids(query):
    """SQLite: (SQL selecting the rowid of every row of the FTS5 table matching the parsed
    `query`, its parameters)."""
    sql, params = vocabulary.match(query)
    return f"SELECT rowid FROM catalog_search WHERE catalog_search MATCH {sql}", params


def search_items(queryset, query):
    """The items of `queryset` that match `query`, annotated with `search_rank` (higher is better).

    Never raises on what a visitor types: a query with no searchable word gives no items.
    The queryset is only narrowed, so whatever it excludes (drafts, say) stays excluded.
    """
    parsed = parse(query or "")
    if not parsed:
        # Still annotated, so that ordering by search_rank works on the empty result too.
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField())).none()
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, parsed)
    return _search_sqlite(queryset, parsed)


def _search_sqlite(queryset, parsed):
    # The FTS5 table is not joined: SQLite's planner, lacking statistics, would scan the items
    # and run the full-text query once per item. A subquery runs it once, and so does the rank.
    return queryset.filter(pk__in=RawSQL(*matching_rowids(parsed))).annotate(search_rank=Bm25Rank(parsed))


def _search_postgresql(queryset, parsed):
    vector = IndexColumn("vector", SearchVectorField())
    tsquery = SearchQuery(to_tsquery(parsed), config="simple", search_type="raw")
    return queryset.filter(Match(vector, tsquery), search_entry__isnull=False).annotate(
        search_rank=SearchRank(vector, tsquery)
    )


class IndexColumn(Expression):
    """A column of the search table, which Django's SearchEntry model does not declare.

    It is written with the alias Django gives the join to that table, so it stays right when
    the queryset is relabelled (used as a subquery, combined with another).
    """

    def __init__(self, column, output_field):
        super().__init__(output_field=output_field)
        self.column = column
        self.entry = F("search_entry")

    def get_source_expressions(self):
        return [self.entry]

    def set_source_expressions(self, expressions):
        (self.entry,) = expressions

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.entry.alias)
        return f"{table}.{connection.ops.quote_name(self.column)}", []


class Bm25Rank(Expression):
    """FTS5's bm25() of the item, negated (bm25 is lowest for the best match).

    The matches and their scores are computed once per query into a materialized table that
    each item looks itself up in; bm25() called once per item would recount the whole match.
    """

    output_field = FloatField()

    def __init__(self, query):
        super().__init__()
        self.query = query  # parsed
        self.item = F("pk")

    def get_source_expressions(self):
        return [self.item]

    def set_source_expressions(self, expressions):
        (self.item,) = expressions

    def as_sql(self, compiler, connection):
        item, params = compiler.compile(self.item)
        weights = ", ".join(map(str, BM25_WEIGHTS))
        expression, expression_params = vocabulary.match(self.query)
        return (
            "(WITH hits AS MATERIALIZED ("
            f"SELECT rowid AS item_id, -bm25(catalog_search, {weights}) AS rank "
            f"FROM catalog_search WHERE catalog_search MATCH {expression}"
            f") SELECT rank FROM hits WHERE item_id = {item})",
            [*expression_params, *params],
        )


class Match(Func):
    """vector @@ tsquery."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()
    conditional = True


def matching_ids(query):
    """(SQL selecting `item_id`, the id of every item whose words match `query`, drafts too: the
    index holds every item; its parameters), or None for a query with no searchable word."""
    parsed = parse(query or "")
    if not parsed:
        return None
    if connections["default"].vendor == "postgresql":
        return (
            "SELECT rowid AS item_id FROM catalog_search WHERE vector @@ to_tsquery('simple'::regconfig, %s)",
            [to_tsquery(parsed)],
        )
    expression, params = vocabulary.match(parsed)
    return f"SELECT rowid AS item_id FROM catalog_search WHERE catalog_search MATCH {expression}", params


@contextmanager
def all_matches_read():
    """Where every match of a search is read (matching_ids): on PostgreSQL, in a transaction
    whose statements may hold ARKIV_SEARCH_WORK_MEM (64 MB by default) for each sort or bitmap.

    PostgreSQL reads a word's matches from its GIN index as a bitmap of the table's pages, then
    visits the pages. At the default work_mem (4 MB) the bitmap of a word in half of a million
    items can no longer hold a bit per row, and the planner reads the whole table instead,
    testing every vector: 1,040-1,130 ms against 665-740 ms with an exact bitmap, for 482,513
    matches in the benchmarks' catalogue of a million (that statement alone, EXPLAIN ANALYZE).
    64 MB holds an exact bitmap for about ten million items.
    set_config(..., true) is SET LOCAL: it ends with the transaction, and the rest of a request
    (autocommit) keeps the server's setting."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.ARKIV_SEARCH_WORK_MEM])
        yield


def matching_condition(query, column, items):
    """(SQL condition: the item whose id is in `column` matches `query`; its parameters), for
    about `items` items. `query` must have a searchable word. A few are looked up one by one (a
    word's list of items is searched for each); more, against the list of every match, read once
    (FTS5 re-reads a common word's whole list for each lookup: 800 items renamed at once took
    0.5 s at 100,000 items one by one)."""
    parsed = parse(query or "")
    if items > FEW_ITEMS:
        sql, params = matching_ids(query)
        return f"{column} IN (SELECT item_id FROM ({sql}) m)", params
    if connections["default"].vendor == "postgresql":
        return (
            f"EXISTS (SELECT 1 FROM catalog_search s WHERE s.rowid = {column} "
            "AND s.vector @@ to_tsquery('simple'::regconfig, %s))",
            [to_tsquery(parsed)],
        )
    expression, params = vocabulary.match(parsed)
    return f"EXISTS (SELECT 1 FROM catalog_search WHERE catalog_search MATCH {expression} AND rowid = {column})", params


FEW_ITEMS = 32
"""Changed items looked up one by one in the search index (matching_condition)."""
