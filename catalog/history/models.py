"""What a change set was made through: the meta model of a reversion Revision."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from reversion.models import Revision


class ChangeSet(models.Model):
    """One Revision's source, and whether it has been undone."""

    ADMIN, CSV_IMPORT, EAD_IMPORT, INGEST, BATCH_EDIT, MERGE, COMMAND, RESTORE, UNDO, BASELINE = (
        "admin", "csv", "ead", "ingest", "batch", "merge", "command", "restore", "undo", "baseline",
    )
    SOURCES = [
        (ADMIN, pgettext_lazy("change made through", "Admin")),
        (CSV_IMPORT, pgettext_lazy("change made through", "CSV import")),
        (EAD_IMPORT, pgettext_lazy("change made through", "EAD import")),
        (INGEST, pgettext_lazy("change made through", "Folder ingest")),
        (BATCH_EDIT, pgettext_lazy("change made through", "Batch edit")),
        (MERGE, pgettext_lazy("change made through", "Merge of authority records")),
        (COMMAND, pgettext_lazy("change made through", "Command")),
        (RESTORE, pgettext_lazy("change made through", "Restore of an earlier version")),
        (UNDO, pgettext_lazy("change made through", "Undo of a change set")),
        (BASELINE, pgettext_lazy("change made through", "State before the first recorded change")),
    ]
    # Change sets that can be undone as one (the bulk ones); a single edit is restored instead.
    UNDOABLE = frozenset({CSV_IMPORT, EAD_IMPORT, INGEST, BATCH_EDIT})

    revision = models.OneToOneField(
        Revision, on_delete=models.CASCADE, primary_key=True, related_name="change_set",
        verbose_name=_("revision"),
    )
    source = models.CharField(_("made through"), max_length=20, choices=SOURCES, default=ADMIN)
    detail = models.CharField(_("detail"), max_length=255, blank=True, help_text=_("The file imported, the edit made …"))
    items = models.PositiveIntegerField(_("items"), default=0, help_text=_("Items this change set changed."))
    undone_by = models.ForeignKey(
        Revision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-revision"]
        verbose_name = _("change set")
        verbose_name_plural = _("change sets")

    def __str__(self):
        return f"#{self.revision_id} {self.get_source_display()}"

    @property
    def undoable(self):
        return self.source in self.UNDOABLE and self.undone_by_id is None
