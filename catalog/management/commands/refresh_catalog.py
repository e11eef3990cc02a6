"""Recompute every item's derived caches (title, date range) from its statements."""
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext_lazy as _, ngettext

from catalog.management.translated import TranslatedCommand
from catalog.models import Item, Statement


class Command(TranslatedCommand):
    help = _("Recompute the sort titles and date ranges of all items (after loaddata, for example).")

    def handle(self, *args, **options):
        fields = ["sort_title", "date_text", "date_earliest", "date_latest", "date_unparsed"]
        unparsed = 0
        with transaction.atomic():
            batch = []
            for item in Item.objects.only("pk").iterator(chunk_size=2000):
                batch.append(item)
                if len(batch) == 2000:
                    unparsed += self._refresh(batch, fields)
                    batch = []
            unparsed += self._refresh(batch, fields)
        count = Item.objects.count()
        self.stdout.write(ngettext(
            "Refreshed %(count)d item; %(unparsed)d with an unreadable date.",
            "Refreshed %(count)d items; %(unparsed)d with an unreadable date.", count,
        ) % {"count": count, "unparsed": unparsed})
        call_command("rebuild_search_index", stdout=self.stdout)  # fixture loads skip the receivers

    def _refresh(self, items, fields):
        statements = {}
        for statement in Statement.objects.filter(item__in=items).only("item_id", "term", "value", "position"):
            statements.setdefault(statement.item_id, []).append(statement)
        for item in items:
            for field, value in item.derived_fields(statements.get(item.pk, [])).items():
                setattr(item, field, value)
        Item.objects.bulk_update(items, fields)
        return sum(item.date_unparsed for item in items)
