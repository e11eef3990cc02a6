"""Recompute what is derived and stored: every unit's place in its arrangement (reference code,
units above, visibility), every item's caches (title, date range), then the search index.

Fixture loads (`loaddata`, `load_demo`) and other raw writes skip Item.save() and the receivers
that keep these true, so this command makes them true again from what the rows say: a unit's
parent, local code, identifier and status; an item's statements.

The place of every unit is worked out top-down from the units that have units below them (a few
thousand in a catalogue of a million: they are read whole), then written in batches with
catalog.bulk.update_rows while every unit is read once in primary-key order, so memory stays
flat. A catalogue whose places are right already is read and not written. Nothing is written if
a unit is inside itself, deeper than MAX_DEPTH, or would take another's reference code: each such
unit is named instead. Datestamps are not moved (a fixture carries its own), but the tombstone
rule is kept for every unit whose visibility the pass changed.
"""
from collections import namedtuple

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Case, Count, F, When
from django.utils.translation import gettext_lazy as _, ngettext

from catalog import bulk
from catalog.management.translated import TranslatedCommand
from catalog.models import Item, Statement
from catalog.models.items import ARRANGEMENT_CYCLE, ARRANGEMENT_TOO_DEEP, MAX_DEPTH, REFERENCE_TAKEN
from catalog.services import tombstone_sync

BATCH = 2000

NOT_PLACED = _("The arrangement was not recomputed: correct these units and run the command again.")

Place = namedtuple("Place", "ancestry reference public")
"""A unit's derived place: ancestry and reference as Item stores them, and whether the unit itself
is visible (published, and so is every unit above it): what its children's ancestors_public is."""


class Command(TranslatedCommand):
    help = _(
        "Recompute the reference codes, the units above each unit and their visibility, the sort "
        "titles and date ranges of all items, and the search index (after loaddata, for example)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            problems = arrangement_problems()
            if problems:
                raise CommandError("\n".join([str(NOT_PLACED), *problems]))
            placed, shown_or_hidden = place_units()
            for item in Item.objects.filter(pk__in=shown_or_hidden).prefetch_related("collections"):
                tombstone_sync(item)
        self.stdout.write(ngettext(
            "Arrangement: the place of %(count)d unit was recomputed.",
            "Arrangement: the places of %(count)d units were recomputed.", placed,
        ) % {"count": placed})
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
        call_command("rebuild_facet_index", stdout=self.stdout)  # and its bulk updates send no signal

    def _refresh(self, items, fields):
        statements = {}
        for statement in Statement.objects.filter(item__in=items).only("item_id", "term", "value", "position"):
            statements.setdefault(statement.item_id, []).append(statement)
        for item in items:
            for field, value in item.derived_fields(statements.get(item.pk, [])).items():
                setattr(item, field, value)
        Item.objects.bulk_update(items, fields)
        return sum(item.date_unparsed for item in items)


# --- The arrangement --------------------------------------------------------------------------

def _code(local_code, identifier):
    return local_code or identifier


def _parents():
    """{pk: (parent_id, code, identifier, published)} of every unit that has units below it.
    A parent's own parent has a unit below it too, so every chain upwards stays in here."""
    above = Item.objects.filter(pk__in=Item.objects.exclude(parent=None).values("parent_id"))
    return {
        pk: (parent_id, _code(local_code, identifier), identifier, status == Item.PUBLISHED)
        for pk, parent_id, local_code, identifier, status in above.values_list(
            "pk", "parent_id", "local_code", "identifier", "status",
        ).iterator(chunk_size=BATCH)
    }


def _places_of_parents(parents):
    """({pk: Place} of every parent that can be placed, {pk: problem} of those that cannot)."""
    places, problems = {}, {}
    for start in parents:
        chain, pk = [], start
        while pk is not None and pk not in places and pk not in problems:
            if pk in chain:  # the chain came back to a unit already on it: a cycle
                for unit in chain[chain.index(pk):]:
                    problems[unit] = ("parent", ARRANGEMENT_CYCLE % {"unit": parents[unit][2], "parent": parents[parents[unit][0]][2]})
                break
            chain.append(pk)
            pk = parents[pk][0]
        # Walk back down the chain from the highest unit placed (or the top).
        for unit in reversed(chain):
            if unit in problems:
                continue
            parent_id, code, _identifier, published = parents[unit]
            if parent_id in problems:
                problems[unit] = problems[parent_id]
                continue
            places[unit] = _place_under(places.get(parent_id), parent_id, code, published)
    for unit, place in list(places.items()):
        if _depth(place.ancestry) >= MAX_DEPTH:
            problems[unit] = ("parent", ARRANGEMENT_TOO_DEEP % {"limit": MAX_DEPTH})
    return places, problems


def _depth(ancestry):
    return ancestry.count("/") - 1


def _place_under(parent_place, parent_id, code, published):
    """The Place of a unit with `code` and status `published` under a parent placed at
    `parent_place` (None: at the top)."""
    ancestry, reference, above_public = _derived(parent_place, parent_id, code)
    return Place(ancestry, reference, published and above_public)


def _derived(parent_place, parent_id, code):
    """(ancestry, reference, ancestors_public) of a unit with `code` under a parent placed at
    `parent_place` (None: at the top), as Item.place() derives them."""
    if parent_place is None:
        return "/", code[:255], True
    return f"{parent_place.ancestry}{parent_id}/", f"{parent_place.reference}/{code}"[:255], parent_place.public


def arrangement_problems():
    """“  catalog.item pk (identifier): field: problem” for every unit that cannot be placed: a
    cycle, a depth beyond MAX_DEPTH, or two units under one parent with the same code (the same
    reference code). Codes cannot hold "/", so reference codes clash only between siblings."""
    places, problems = _places_of_parents(_parents())
    lines = {pk: f"{field}: {message}" for pk, (field, message) in problems.items()}
    # Units that are not parents themselves, under a parent at the deepest level allowed.
    deepest = [pk for pk, place in places.items() if pk not in problems and _depth(place.ancestry) == MAX_DEPTH - 1]
    for pk in Item.objects.filter(parent_id__in=deepest).values_list("pk", flat=True):
        lines.setdefault(pk, "parent: " + str(ARRANGEMENT_TOO_DEEP % {"limit": MAX_DEPTH}))
    code = Case(When(local_code="", then=F("identifier")), default=F("local_code"))
    clashes = (
        Item.objects.order_by().annotate(code=code).values("parent_id", "code").annotate(n=Count("pk")).filter(n__gt=1)
        .values_list("parent_id", "code")
    )
    for parent_id, clash in clashes:
        units = list(
            Item.objects.annotate(code=code).filter(parent_id=parent_id, code=clash).order_by("pk").values_list("pk", "identifier")
        )
        above = places.get(parent_id) if parent_id is not None else None
        reference = f"{above.reference}/{clash}" if above else clash
        for pk, identifier in units[1:]:
            lines.setdefault(pk, "local_code: " + str(REFERENCE_TAKEN % {"reference": reference, "other": units[0][1]}))
    identifiers = dict(Item.objects.filter(pk__in=lines).values_list("pk", "identifier"))
    return [f"  catalog.item {pk} ({identifiers[pk]}): {lines[pk]}" for pk in sorted(lines)]


def place_units():
    """Write every unit's ancestry, reference and ancestors_public as its parents say, top-down,
    in bulk. Returns (how many units changed, pks of units that became visible or hidden).
    Call arrangement_problems() first: a unit that cannot be placed is left as it is."""
    places, problems = _places_of_parents(_parents())
    changed, shown_or_hidden = 0, []
    # Reference codes are unique: a unit taking the code another still holds would fail even
    # though that one is about to change too, so changing codes are cleared in this reading and
    # written in a second one.
    recode = False
    for rows in _units_in_batches():
        updates = []
        for pk, stored, new, published in _compared(rows, places, problems):
            if stored == new:
                continue
            changed += 1
            if published and stored[2] != new[2]:
                shown_or_hidden.append(pk)
            reference = new[1]
            if stored[1] not in (None, new[1]):
                reference, recode = None, True
            updates.append((pk, new[0], reference, new[2]))
        bulk.update_rows(Item, ["ancestry", "reference", "ancestors_public"], updates)
    if recode:
        for rows in _units_in_batches():
            bulk.update_rows(Item, ["reference"], [
                (pk, new[1]) for pk, stored, new, _published in _compared(rows, places, problems) if stored[1] != new[1]
            ])
    return changed, shown_or_hidden


def _compared(rows, places, problems):
    """(pk, stored (ancestry, reference, ancestors_public), derived, published) of each unit
    of `rows` that can be placed."""
    for pk, parent_id, local_code, identifier, status, ancestry, reference, ancestors_public in rows:
        if pk in problems or parent_id in problems:
            continue
        new = _derived(places.get(parent_id), parent_id, _code(local_code, identifier))
        if _depth(new[0]) >= MAX_DEPTH:
            continue
        yield pk, (ancestry, reference, ancestors_public), new, status == Item.PUBLISHED


def _units_in_batches():
    after = 0
    while True:
        rows = list(
            Item.objects.filter(pk__gt=after).order_by("pk")
            .values_list("pk", "parent_id", "local_code", "identifier", "status", "ancestry", "reference", "ancestors_public")[:BATCH]
        )
        if not rows:
            return
        after = rows[-1][0]
        yield rows
