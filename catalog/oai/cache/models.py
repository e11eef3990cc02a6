"""One stored fragment per published item and metadata format, and one of its OAI header
(headers.HEADER): the cache's only table."""
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class Fragment(models.Model):
    """An item's metadata element in one format, or its header, serialised, as of the item's
    datestamp.

    Valid only while `datestamp` equals the item's and `context` the writers' (fragments.py):
    anything else is rebuilt from the description, never served.
    """

    item = models.ForeignKey(
        "catalog.Item", on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=pgettext_lazy("catalogue item", "item"),
    )
    prefix = models.CharField(_("metadata prefix"), max_length=32)
    datestamp = models.DateTimeField(_("datestamp"))
    context = models.CharField(_("writer context"), max_length=32)
    xml = models.BinaryField(_("XML"))

    class Meta:
        verbose_name = _("record fragment")
        verbose_name_plural = _("record fragments")
        constraints = [
            # Also the index a page reads its fragments by (item_id IN (...) AND prefix = ...).
            models.UniqueConstraint(fields=["item", "prefix"], name="oai_fragment_item_prefix"),
        ]
