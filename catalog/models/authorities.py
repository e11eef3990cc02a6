"""Authority records: the people, organisations, places and concepts items are linked to.

One table holds every kind (so a statement links to one foreign key, facets count one column and
search looks in one place); Agent, Place and Concept are proxies that the admin and the public
site use to speak of each kind by name.
"""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..validators import validate_language

COORDINATES_NOT_PLACE = _(
    "Only places have coordinates: clear latitude and longitude, or make this a place."
)
COORDINATES_INCOMPLETE = _("Give both latitude and longitude, or neither.")
AGENT_TYPE_NOT_AGENT = _("Only agents have an agent type: clear it, or make this an agent.")


class AuthorityQuerySet(models.QuerySet):
    def matching_label(self, label):
        """Records whose preferred label or any variant equals `label`, ignoring case."""
        label = label.strip()
        return self.filter(
            models.Q(preferred_label__iexact=label) | models.Q(variants__label__iexact=label)
        ).distinct()


class Authority(models.Model):
    AGENT, PLACE, CONCEPT = "agent", "place", "concept"
    KINDS = [
        (AGENT, pgettext_lazy("authority kind", "Agent (person or organisation)")),
        (PLACE, pgettext_lazy("authority kind", "Place")),
        (CONCEPT, pgettext_lazy("authority kind", "Concept or event")),
    ]
    # The kinds as sentences name them ("takes agent records", "Kirkenes is a place"); not
    # choices, so no migration follows their wording.
    KIND_NAMES = {
        AGENT: pgettext_lazy("authority kind, in a sentence", "agent"),
        PLACE: pgettext_lazy("authority kind, in a sentence", "place"),
        CONCEPT: pgettext_lazy("authority kind, in a sentence", "concept"),
    }
    KIND_WITH_ARTICLE = {
        AGENT: pgettext_lazy("authority kind, in a sentence", "an agent"),
        PLACE: pgettext_lazy("authority kind, in a sentence", "a place"),
        CONCEPT: pgettext_lazy("authority kind, in a sentence", "a concept"),
    }
    AGENT_TYPES = [
        ("person", pgettext_lazy("agent type", "Person")),
        ("organisation", pgettext_lazy("agent type", "Organisation")),
        ("family", pgettext_lazy("agent type", "Family")),
    ]

    kind = models.CharField(_("kind"), max_length=10, choices=KINDS, db_index=True)
    preferred_label = models.CharField(
        _("preferred label"), max_length=255,
        help_text=_("The form of the name the catalogue displays and counts under."),
    )
    slug = models.SlugField(
        _("address name"), max_length=120, unique=True, blank=True,
        help_text=_("The record's address on the public site; made from the label if left empty."),
    )
    agent_type = models.CharField(
        _("agent type"), max_length=20, choices=AGENT_TYPES, blank=True,
        help_text=_("For agents only: person, organisation or family."),
    )
    dates = models.CharField(
        _("dates"), max_length=100, blank=True,
        help_text=_("Life dates, or dates of existence (“1915-1999”)."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Scope and sources of this record."))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("For places only: WGS 84 latitude in decimal degrees."),
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("For places only: WGS 84 longitude in decimal degrees."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = AuthorityQuerySet.as_manager()

    KIND = None  # set by the proxies, which fix the kind of every record they create

    class Meta:
        ordering = ["preferred_label"]
        verbose_name = _("authority record")
        verbose_name_plural = _("authority records")
        indexes = [models.Index(fields=["kind", "preferred_label"])]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.KIND:
            self.kind = self.KIND

    def __str__(self):
        return self.preferred_label

    def clean(self):
        self.kind = self.KIND or self.kind
        if self.kind != self.PLACE and (self.latitude is not None or self.longitude is not None):
            raise ValidationError(COORDINATES_NOT_PLACE, code="coordinates_not_place")
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(COORDINATES_INCOMPLETE, code="coordinates_incomplete")
        if self.agent_type and self.kind != self.AGENT:
            raise ValidationError(AGENT_TYPE_NOT_AGENT, code="agent_type_not_agent")

    def save(self, *args, **kwargs):
        self.kind = self.KIND or self.kind
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self):
        base = slugify(self.preferred_label)[:100] or self.kind
        slug, n = base, 1
        while Authority.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def get_absolute_url(self):
        return reverse("catalog:authority", kwargs={"kind": self.kind, "slug": self.slug})

    @property
    def a_kind(self):
        """What the record is, in a sentence (“Kirkenes is a place”), read when shown."""
        return self.KIND_WITH_ARTICLE.get(self.kind, self.kind)

    @classmethod
    def kind_names(cls, kinds):
        """Several kinds in a sentence (“takes agent or place records”), read when shown."""
        names = [cls.KIND_NAMES.get(kind, kind) for kind in kinds]
        return lazy(lambda: get_text_list([str(name) for name in names], _("or")), str)()

    @property
    def labels(self):
        """The preferred label and every variant: what search matches on."""
        return [self.preferred_label, *(variant.label for variant in self.variants.all())]


class AuthorityVariant(models.Model):
    """Another spelling or form of the name (Diakonov, Dyakonov for Diakonoff)."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="variants", verbose_name=_("authority record")
    )
    label = models.CharField(_("label"), max_length=255)
    lang = models.CharField(
        _("language"), max_length=35, blank=True, validators=[validate_language],
        help_text=_("BCP 47 tag of the language or script of this form (“ru-Latn”, “nb”)."),
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("variant label")
        verbose_name_plural = _("variant labels")
        constraints = [
            models.UniqueConstraint(fields=["authority", "label"], name="unique_variant_per_authority")
        ]

    def __str__(self):
        return self.label


class AuthorityLink(models.Model):
    """The same entity in an external authority file."""

    SOURCES = [
        ("wikidata", "Wikidata"), ("viaf", "VIAF"), ("geonames", "GeoNames"),
        ("lcsh", "Library of Congress"), ("other", pgettext_lazy("authority file", "Other")),
    ]  # the others are names, the same in every language
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="links", verbose_name=_("authority record")
    )
    source = models.CharField(_("authority file"), max_length=20, choices=SOURCES)
    uri = models.URLField("URI", max_length=500)

    class Meta:
        ordering = ["source", "uri"]
        verbose_name = _("external link")
        verbose_name_plural = _("external links")
        constraints = [models.UniqueConstraint(fields=["authority", "uri"], name="unique_link_per_authority")]

    def __str__(self):
        return self.uri


class KindManager(models.Manager):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return AuthorityQuerySet(self.model, using=self._db).filter(kind=self.kind)


class Agent(Authority):
    KIND = Authority.AGENT
    objects = KindManager(Authority.AGENT)

    class Meta:
        proxy = True
        verbose_name = _("agent (person or organisation)")
        verbose_name_plural = _("agents (people and organisations)")


class Place(Authority):
    KIND = Authority.PLACE
    objects = KindManager(Authority.PLACE)

    class Meta:
        proxy = True
        verbose_name = _("place")
        verbose_name_plural = _("places")


class Concept(Authority):
    KIND = Authority.CONCEPT
    objects = KindManager(Authority.CONCEPT)

    class Meta:
        proxy = True
        verbose_name = _("concept or event")
        verbose_name_plural = _("concepts and events")
