"""What the arrangement admin checks before it changes a unit's place, and what it tells the
archivist a move will change.

Who may move what: moving a unit needs the permission to change items. A move that shows or
hides published units (out from under a draft unit, or under one) publishes or withdraws them in
effect, so it needs the Editors' permission to publish as well (catalog.publish_item), whether it
is made through the Move page or by changing “part of” on the unit's form. A move of published
units that keeps them public changes their reference codes and datestamps but not what is
public: changing items is enough, as for any edit of a published description.

The checks of the place itself (a cycle, a depth beyond MAX_DEPTH, a reference code already
taken) are Item.check_place()'s, raised on the field they concern; this module only runs them
before a move is confirmed, so that the confirmation never offers a move that would fail.
"""
import copy
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import arrangement, services
from ..arrangement import jobs
from ..models import Item

NO_SUCH_UNIT = _(
    "No unit has the identifier or reference code “%(value)s”: copy it from the unit's page or "
    "from the list of items."
)
ALREADY_THERE = _("%(unit)s is already there: choose another place.")
ALREADY_AT_TOP = _("%(unit)s is already at the top of an arrangement of its own: choose a unit to place it under.")
MOVE_NEEDS_PUBLISH = _(
    "This move would show or hide published units for visitors and harvesters, which only Editors "
    "may do: ask an Editor to move it, or choose a place that keeps them as they are."
)
BEING_CHANGED = _(
    "%(unit)s is being moved or changed in the background right now: wait until that has finished, "
    "then try again."
)
PLACE_UNCLEAR = _("Choose one unit to move with its buttons.")
NUMBER_INVALID = _("“%(value)s” is not a number: write the number the unit should have, from 1.")


def find_unit(text):
    """The unit whose identifier or reference code is `text` ("kf-b", "KF/B", or the full
    reference code "NO ARKIV KF/B"), or None."""
    text = text.strip()
    prefix = f"{settings.ARKIV_COUNTRY_CODE} {settings.ARKIV_REPOSITORY_CODE} "
    if text.startswith(prefix):
        text = text[len(prefix):].strip()
    if not text:
        return None
    found = Item.objects.filter(Q(identifier=text) | Q(reference=text)).select_related("level")
    # An identifier names one unit forever; it wins over another unit's reference code.
    return sorted(found, key=lambda unit: unit.identifier != text)[0] if found else None


def top_identifier(unit):
    """The identifier of the unit at the top of `unit`'s arrangement (its fonds set)."""
    ids = unit.ancestor_ids()
    if not ids:
        return unit.identifier
    return Item.objects.filter(pk=ids[0]).values_list("identifier", flat=True).first()


@dataclass(frozen=True)
class MovePlan:
    """What moving `unit` under `parent` (None: to the top) changes, for the confirmation."""

    unit: Item
    parent: Item | None
    count: int  # records that change: the unit and every unit below it
    old_reference: str
    new_reference: str
    old_fonds: str
    new_fonds: str
    hides: int  # public units that the move hides (a draft unit above them)
    shows: int  # published units that the move may make public (at most this many)

    @property
    def background(self):
        """Too large to move while the browser waits (settings.ARKIV_MOVE_INLINE_UNITS)."""
        return self.count > settings.ARKIV_MOVE_INLINE_UNITS

    @property
    def needs_publish(self):
        return bool(self.hides or self.shows)

    @property
    def changes_fonds(self):
        return self.old_fonds != self.new_fonds


def plan_move(unit, parent):
    """The MovePlan of moving `unit` under `parent`, read from the database as it is now."""
    below = arrangement.subtree(unit, including=True)
    public_now, public_after = unit.ancestors_public, (parent.is_public if parent else True)
    hides = below.published().count() if public_now and not public_after else 0
    shows = 0
    if public_after and not public_now and unit.status == Item.PUBLISHED:
        shows = below.filter(status=Item.PUBLISHED).count()
    return MovePlan(
        unit=unit, parent=parent, count=arrangement.subtree_size(unit) + 1,
        old_reference=unit.reference or unit.identifier, new_reference=unit.composed_reference(parent),
        old_fonds=top_identifier(unit), new_fonds=top_identifier(parent) if parent else unit.identifier,
        hides=hides, shows=shows,
    )


def check_place(unit, parent):
    """Item.check_place() for `unit` under `parent`, on a copy: `unit` is left as it was."""
    trial = copy.copy(unit)
    trial.parent = parent
    trial.check_place()


def may_publish(user):
    return user.has_perm(services.PUBLISH_PERMISSION)


class MoveForm(forms.Form):
    """Where to move a unit. Valid only for a move that would succeed now: the place is checked
    as Item.clean() checks it, and the permission to publish when the move shows or hides."""

    parent = forms.CharField(
        label=_("New place: under"), required=False, max_length=300,
        help_text=_(
            "The identifier or reference code of the unit to place it under (“kf-b” or “KF/B”). "
            "Leave empty to make it the top of an arrangement of its own."
        ),
    )

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit, self.user = unit, user
        self.plan = None

    def clean_parent(self):
        text = self.cleaned_data["parent"].strip()
        if not text:
            if self.unit.parent_id is None:
                raise ValidationError(ALREADY_AT_TOP, code="already_there", params={"unit": self.unit.identifier})
            return None
        parent = find_unit(text)
        if parent is None:
            raise ValidationError(NO_SUCH_UNIT, code="no_such_unit", params={"value": text})
        if parent.pk == self.unit.parent_id:
            raise ValidationError(ALREADY_THERE, code="already_there", params={"unit": self.unit.identifier})
        return parent

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        parent = data["parent"]
        if jobs.Job.running_for(self.unit.pk):
            raise ValidationError(BEING_CHANGED, code="being_changed", params={"unit": self.unit.identifier})
        try:
            check_place(self.unit, parent)
        except ValidationError as error:
            # The cycle and the depth are about the new parent; a taken code is the unit's own.
            for field, errors in error.error_dict.items():
                self.add_error("parent" if field == "parent" else NON_FIELD_ERRORS, errors)
            return data
        self.plan = plan_move(self.unit, parent)
        if self.plan.needs_publish and not may_publish(self.user):
            raise ValidationError(MOVE_NEEDS_PUBLISH, code="move_needs_publish")
        return data


class PlaceForm(forms.Form):
    """The reorder buttons of the arrangement page: one form around the list of children, whose
    buttons name the unit they move (up, down, first, last, or to the number written beside it)."""

    UP, DOWN, FIRST, LAST, TO = "up", "down", "first", "last", "to"
    ACTIONS = (UP, DOWN, FIRST, LAST, TO)

    def __init__(self, data, *, parent):
        super().__init__(data)
        self.parent = parent

    def clean(self):
        data = super().clean()
        chosen = [(action, self.data[action]) for action in self.ACTIONS if self.data.get(action)]
        if len(chosen) != 1 or not str(chosen[0][1]).isdigit():
            raise ValidationError(PLACE_UNCLEAR, code="place_unclear")
        action, pk = chosen[0]
        unit = Item.objects.filter(pk=int(pk), parent=self.parent).first()
        if unit is None:
            raise ValidationError(PLACE_UNCLEAR, code="place_unclear")
        number = None
        if action == self.TO:
            written = (self.data.get(f"number-{unit.pk}") or "").strip()
            if not written.isdigit() or int(written) < 1:
                raise ValidationError(NUMBER_INVALID, code="number_invalid", params={"value": written})
            number = int(written)
        data.update(action=action, unit=unit, number=number)
        return data

