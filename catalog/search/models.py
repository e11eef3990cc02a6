"""The search index: one row per item, keyed by the item's id.

Django knows only the key, so that deleting an item deletes its row, `flush` empties the table
and joins from Item work; the searchable columns differ by engine and are created by the
migration (0003_search_index): an FTS5 virtual table on SQLite, whose integer key is its rowid
(hence the column name), and a table with a weighted tsvector and a GIN index on PostgreSQL.
"""
from django.db import models


class SearchEntry(models.Model):
    item = models.OneToOneField(
        "catalog.Item", on_delete=models.CASCADE, primary_key=True, db_column="rowid",
        related_name="search_entry",
    )

    class Meta:
        app_label = "catalog"
        db_table = "catalog_search"
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"Search entry of item {self.item_id}"
