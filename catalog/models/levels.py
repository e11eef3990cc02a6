"""Levels of description (ISAD(G) 3.1.4): which place a unit holds in an arrangement.

The levels are rows, not code: an archive that describes "subfiles" or "pieces" adds one in the
admin. Arkiv ships the seven ISAD(G) names (migration 0014). A level's name is stored as
written; the public site and the admin show it in the reader's language where the catalogue of
translations has it (the shipped names are marked below so that `make messages` finds them),
and as written otherwise.
"""
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _, pgettext, pgettext_lazy

# EAD's closed list of @level values (EAD 2002 and EAD3 agree); anything else is "otherlevel"
# with the level's own name in @otherlevel.
EAD_LEVELS = (
    "collection", "fonds", "class", "recordgrp", "series", "subfonds", "subgrp", "subseries",
    "file", "item", "otherlevel",
)

CONTEXT = "level of description"  # the same English word names other things ("Item", "File")

# (code, name, EAD @level), broadest first: the data migration writes these rows.
SHIPPED = (
    ("collection", pgettext_lazy("level of description", "Collection"), "collection"),
    ("fonds", pgettext_lazy("level of description", "Fonds"), "fonds"),
    ("subfonds", pgettext_lazy("level of description", "Subfonds"), "subfonds"),
    ("series", pgettext_lazy("level of description", "Series"), "series"),
    ("subseries", pgettext_lazy("level of description", "Subseries"), "subseries"),
    ("file", pgettext_lazy("level of description", "File"), "file"),
    ("item", pgettext_lazy("level of description", "Item"), "item"),
)
ITEM = "item"
"""The level of a unit nobody gave one: a single item, as every item was before arrangement."""


class Level(models.Model):
    code = models.SlugField(
        _("code"), max_length=30, unique=True,
        help_text=_("Short code used in CSV files and addresses (“series”)."),
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("The level's name in English (“Series”)."))
    ead_level = models.CharField(
        _("EAD level"), max_length=20, choices=[(level, level) for level in EAD_LEVELS], default="otherlevel",
        help_text=_("The value of @level in EAD finding aids; “otherlevel” writes the name instead."),
    )
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order from the broadest level."))

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("level of description")
        verbose_name_plural = _("levels of description")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The name in the reader's language, where the translations have it."""
        return pgettext(CONTEXT, self.name) if self.name else self.code

    @classmethod
    def ensure(cls, codes=None):
        """{code: pk} of the levels `codes` (default: every shipped one), making any shipped
        level the catalogue lacks as migration 0014 made it (name in English). A code that is
        neither in the catalogue nor shipped is left out of the answer."""
        codes = set(codes) if codes is not None else {code for code, _name, _ead in SHIPPED}
        found = dict(cls.objects.filter(code__in=codes).values_list("code", "pk"))
        missing = [
            (position, code, name, ead_level) for position, (code, name, ead_level) in enumerate(SHIPPED)
            if code in codes and code not in found
        ]
        if missing:
            with translation.override(None):
                for position, code, name, ead_level in missing:
                    level, _created = cls.objects.get_or_create(
                        code=code, defaults={"name": str(name), "ead_level": ead_level, "position": position},
                    )
                    found[code] = level.pk
        return found

    @classmethod
    def seed(cls):
        """The shipped levels, in a catalogue that has none: a new database, or one emptied by
        `flush` (a transactional test's), which keeps the schema but not the rows migration
        0014 seeded. A catalogue with levels keeps them as they are: the list is the archive's."""
        if not cls.objects.exists():
            cls.ensure()

    @classmethod
    def default(cls):
        return cls.objects.get(pk=cls.ensure([ITEM])[ITEM])
