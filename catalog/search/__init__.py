"""Full-text search of the catalogue: every statement, the names of linked records, full text.

    search_items(queryset, query)  the matching items of a queryset, annotated with search_rank
    snippets(items, query)         {item id: highlighted passage} for one page of results
    reindex_items(item_ids=None)   rebuild index rows after writes that bypass the signals

The index is kept in step by receivers.py; `manage.py rebuild_search_index` rebuilds it whole.
"""
from .index import reindex_items
from .matching import search_items
from .snippets import snippets

__all__ = ["reindex_items", "search_items", "snippets"]
