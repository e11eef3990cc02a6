"""Items, their Dublin Core statements, collections, and the tombstones of deleted items."""
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import dates, dublincore, relations, rights
from ..lookups import StartsWithExactly
from ..querysets import ItemQuerySet, TombstoneQuerySet
from ..validators import normalise_language, validate_identifier, validate_language, validate_local_code
from .authorities import Authority
from .levels import Level

SET_SPEC_PART = r"^[A-Za-z0-9_.!~*'()-]+$"  # OAI-PMH setSpec component, minus ':'
TYPE_SET = "type"  # setSpec prefix of the sets made from DCMI types: type:StillImage
FONDS_SET = "fonds"  # setSpec prefix of the sets of arrangements: fonds:<identifier of the top unit>
RESERVED_SETS = (TYPE_SET, FONDS_SET)


def fonds_set(identifier):
    """The setSpec of the arrangement whose top unit has `identifier`: everything below it."""
    return f"{FONDS_SET}:{identifier}"

RESERVED_IDENTIFIER = _("“%(code)s” names sets of OAI-PMH's own (DCMI types, fonds): choose another code.")
COLLECTION_CYCLE = _("A collection cannot be inside itself: choose another parent.")
EMPTY_STATEMENT = _("Write a value, or link an authority record.")
TERM_NOT_CONTROLLED = _(
    "%(term)s is not authority-controlled: remove the link, or choose creator, contributor, "
    "publisher, subject, coverage, spatial or temporal."
)
WRONG_AUTHORITY_KIND = _(
    "%(term)s takes %(kinds)s records, and “%(record)s” is %(a_kind)s: link another record or "
    "change the term."
)
ARRANGEMENT_CYCLE = _(
    "%(parent)s is below %(unit)s in the arrangement (or is %(unit)s itself): a unit cannot be "
    "placed inside itself. Choose a unit outside it."
)
ARRANGEMENT_TOO_DEEP = _("An arrangement can have at most %(limit)d levels: place this unit higher up.")
REFERENCE_TAKEN = _(
    "The reference code %(reference)s is already %(other)s's: give this unit another local code."
)
NOT_A_RELATION = _(
    "%(term)s does not relate records: remove the linked item, or choose a relation term "
    "(dc:relation, dc:source, dcterms:references, isPartOf, hasVersion …)."
)
RELATION_TO_ITSELF = _("An item cannot be related to itself: choose another item.")
MAX_DEPTH = 12  # EAD numbers its components c01 to c12; the arrangement goes no deeper
TOMBSTONE = _("%(identifier)s (deleted %(date)s)")
# The archivist reads the type in their language, beside the vocabulary's own term, which is
# what the CSV import takes and OAI and the exports give.
DCMI_TYPE_CHOICES = [
    (dcmi_type, format_lazy("{} ({})", dublincore.TYPE_LABELS[dcmi_type], dcmi_type))
    for dcmi_type in dublincore.DCMI_TYPES
]


class Collection(models.Model):
    """A group of items (a fonds, series or theme); nestable. Each collection is an OAI set."""

    identifier = models.SlugField(
        _("identifier"), max_length=60, unique=True,
        help_text=_("Short code used in addresses and as the OAI set name (“finnmark-1944”)."),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("part of"), help_text=_("The collection this one is part of, if any."),
    )
    set_spec = models.CharField(_("OAI set"), max_length=255, unique=True, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order among its siblings."))
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["set_spec"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self):
        return self.title

    def clean(self):
        if self.identifier in RESERVED_SETS:
            raise ValidationError({"identifier": ValidationError(
                RESERVED_IDENTIFIER, code="reserved_identifier", params={"code": self.identifier},
            )})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": ValidationError(COLLECTION_CYCLE, code="collection_cycle")})
            ancestor = ancestor.parent

    def compute_set_spec(self):
        return f"{self.parent.set_spec}:{self.identifier}" if self.parent else self.identifier

    def save(self, *args, **kwargs):
        self.set_spec = self.compute_set_spec()
        super().save(*args, **kwargs)

    def descendants_and_self(self):
        """This collection and every collection below it."""
        return Collection.objects.filter(
            # letter case included on every database (SQLite's LIKE ignores it): "Press" is
            # not above "press:clippings"
            models.Q(pk=self.pk) | models.Q(StartsWithExactly(models.F("set_spec"), self.set_spec + ":"))
        )

    def ancestors(self):
        """The collections this one is inside, outermost first (read from the setSpec)."""
        parts = self.set_spec.split(":")
        specs = [":".join(parts[:n]) for n in range(1, len(parts))]
        return Collection.objects.filter(set_spec__in=specs).order_by("set_spec")

    def get_absolute_url(self):
        return reverse("catalog:collection", kwargs={"identifier": self.identifier})


class Item(models.Model):
    """A unit of description at any level, from a fonds to a single item, described by its
    statements.

    One model for every level (AtoM's information object): a fonds is described, published,
    harvested and withdrawn as an item is. Its place in the arrangement is `parent` and
    `position`; `ancestry`, `reference` and `ancestors_public` are derived from that place by
    catalog/arrangement/, which alone writes them.
    """

    DRAFT, PUBLISHED, WITHDRAWN = "draft", "published", "withdrawn"
    STATUSES = [
        (DRAFT, pgettext_lazy("item status", "Draft")),
        (PUBLISHED, pgettext_lazy("item status", "Published")),
        (WITHDRAWN, pgettext_lazy("item status", "Withdrawn")),
    ]

    identifier = models.CharField(
        _("identifier"), max_length=100, unique=True, validators=[validate_identifier],
        help_text=_("Accession identifier: stable forever, part of the item's address and OAI identifier."),
    )
    dcmi_type = models.CharField(
        _("DCMI type"), max_length=30, choices=DCMI_TYPE_CHOICES, db_index=True,
        help_text=_("The nature of the item in the DCMI Type Vocabulary (StillImage for photographs)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=DRAFT, db_index=True)
    collections = models.ManyToManyField(
        Collection, blank=True, related_name="items", verbose_name=_("collections")
    )
    full_text = models.TextField(
        _("full text"), blank=True,
        help_text=_("Transcription or full text of the item, searchable on the public site."),
    )
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False, db_index=True)
    modified = models.DateTimeField(
        _("modified"), default=timezone.now, editable=False,
        help_text=_("Changes whenever anything a harvester sees changes: the OAI datestamp."),
    )
    ever_published = models.BooleanField(_("ever published"), default=False, editable=False)

    # The arrangement (ISAD(G) levels). catalog/arrangement/ keeps the derived fields true.
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="units",
        verbose_name=_("level of description"),
        help_text=_("Fonds, series, file, item …: the unit's place in an arrangement (ISAD(G) 3.1.4)."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", db_index=False,
        verbose_name=_("part of"), help_text=_("The unit this one is arranged under: a series in its fonds, a file in its series."),
    )
    # Defaults in the database too: the bulk writers (CSV import, generate_catalog) insert rows
    # without them.
    position = models.PositiveIntegerField(
        _("position"), default=0, db_default=0, help_text=_("Order among the units under the same parent."),
    )
    local_code = models.CharField(
        _("local reference code"), max_length=50, blank=True, default="", db_default="", validators=[validate_local_code],
        help_text=_("This unit's own code (“A”, “3”); the full reference code is composed from its "
                    "fonds down. Empty: the identifier is used."),
    )
    reference = models.CharField(
        _("reference code"), max_length=255, unique=True, null=True, editable=False,
        help_text=_("The local codes from the top of the arrangement down, joined by “/”."),
    )
    ancestry = models.CharField(
        _("ancestry"), max_length=255, default="/", db_default="/", editable=False,
        help_text=_("Ids of the units above, outermost first (“/12/345/”): a whole subtree is one prefix."),
    )
    ancestors_public = models.BooleanField(
        _("units above published"), default=True, db_default=True, editable=False,
        help_text=_("Whether every unit above this one is published: a draft unit hides all below it."),
    )
    arrangement = models.TextField(
        _("system of arrangement"), blank=True, default="", db_default="",
        help_text=_("How the material below this unit is arranged (ISAD(G) 3.3.4)."),
    )
    # The machine-readable rights, one URI of the controlled list (catalog/rights.py); free-text
    # notes on the rights stay statements (dc:rights) beside it.
    rights_uri = models.CharField(
        _("rights statement"), max_length=200, blank=True, default="", db_default="", choices=rights.choices,
        help_text=_("The rights statement or licence from the controlled list (rightsstatements.org, "
                    "Creative Commons): harvesters and visitors read its address. Write any further "
                    "detail as a rights statement in the description."),
    )

    # Caches derived from the statements by refresh_derived(); never edited directly.
    sort_title = models.CharField(_("title"), max_length=255, blank=True, editable=False, db_index=True)
    date_text = models.CharField(_("date as written"), max_length=255, blank=True, editable=False)
    date_earliest = models.DateField(_("earliest date"), null=True, blank=True, editable=False, db_index=True)
    date_latest = models.DateField(_("latest date"), null=True, blank=True, editable=False)
    date_unparsed = models.BooleanField(
        _("date unreadable"), default=False, editable=False,
        help_text=_("The item's date could not be read: it is kept as written, but not sorted or faceted."),
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["identifier"]
        verbose_name = pgettext_lazy("catalogue item", "item")
        verbose_name_plural = _("items")
        # Permission names are data (stored once, as Django stores its own): not translated.
        permissions = [
            ("publish_item", "Can publish and withdraw items"),
            ("import_items", "Can import items from CSV"),
        ]
        # The visibility rule is status and ancestors_public together (ItemQuerySet.published_q):
        # every index a public list reads starts with both.
        indexes = [
            models.Index(fields=["status", "ancestors_public", "modified", "identifier"], name="item_datestamp_idx"),
            models.Index(fields=["status", "ancestors_public", "date_earliest"], name="item_date_idx"),
            # The browse's default order (by title), alone and within a type, read from the index
            # instead of sorting every published item: the first page costs the same at any size.
            models.Index(fields=["status", "ancestors_public", "sort_title", "id"], name="item_title_idx"),
            models.Index(fields=["status", "ancestors_public", "dcmi_type", "sort_title", "id"], name="item_type_title_idx"),
            # Recent additions (the home page, the browse's "recently added"): 280 ms at 1M
            # items when every published item was sorted by date of entry.
            models.Index(fields=["status", "ancestors_public", "created", "id"], name="item_recent_idx"),
            # The browse's "Can I reuse this?" facet: published items counted per rights URI, and
            # filtered by a group of them, from the index alone.
            models.Index(fields=["status", "ancestors_public", "rights_uri"], name="item_rights_idx"),
            # A unit's children in arrangement order: for staff (all of them), and for visitors
            # (the published ones, whose units above are the same as their siblings').
            models.Index(fields=["parent", "position", "id"], name="item_children_idx"),
            models.Index(fields=["parent", "status", "position", "id"], name="item_public_children_idx"),
            # A subtree is one prefix of ancestry (moves, the sets of fonds, search within a fonds).
            models.Index(
                fields=["ancestry", "status"], name="item_ancestry_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return f"{self.identifier}: {self.title}" if self.title else self.identifier

    # Written only by refresh_derived() and the bulk writers, from the stored statements.
    DERIVED_FIELDS = frozenset({"sort_title", "date_text", "date_earliest", "date_latest", "date_unparsed"})

    PLACE_FIELDS = frozenset({"ancestry", "reference", "ancestors_public"})

    def clean(self):
        self.check_place()

    def check_place(self):
        """The parent must exist above this unit, not below it, and the composed reference code
        must be free."""
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if self.pk is not None and (parent.pk == self.pk or f"/{self.pk}/" in parent.ancestry):
                raise ValidationError({"parent": ValidationError(
                    ARRANGEMENT_CYCLE, code="arrangement_cycle", params={"unit": self.identifier, "parent": parent.identifier},
                )})
            if parent.depth + 1 >= MAX_DEPTH:
                raise ValidationError({"parent": ValidationError(
                    ARRANGEMENT_TOO_DEEP, code="arrangement_too_deep", params={"limit": MAX_DEPTH},
                )})
        reference = self.composed_reference(parent)
        clash = Item.objects.filter(reference=reference).exclude(pk=self.pk).values_list("identifier", flat=True).first()
        if clash:
            raise ValidationError({"local_code": ValidationError(
                REFERENCE_TAKEN, code="reference_taken", params={"reference": reference, "other": clash},
            )})

    def composed_reference(self, parent):
        code = self.local_code or self.identifier
        return f"{parent.reference or parent.identifier}/{code}" if parent is not None else code

    def place(self):
        """Derive ancestry, reference and ancestors_public from the parent (units below are
        catalog/arrangement/'s to update)."""
        parent = Item.objects.filter(pk=self.parent_id).first() if self.parent_id else None
        self.ancestry = f"{parent.ancestry}{parent.pk}/" if parent else "/"
        self.reference = self.composed_reference(parent)[:255]
        self.ancestors_public = parent.is_public if parent else True

    def save(self, *args, **kwargs):
        self.modified = timezone.now()
        self.place()
        if self.level_id is None:
            self.level = Level.default()
        if self.status == self.PUBLISHED:
            self.ever_published = True
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "modified", "ever_published", *self.PLACE_FIELDS}
        elif not self._state.adding:
            # An instance loaded before its statements changed holds stale caches: saving it
            # must not put an old title or date back.
            kwargs["update_fields"] = [
                field.name for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("catalog:item", kwargs={"identifier": self.identifier})

    @property
    def is_published(self):
        return self.status == self.PUBLISHED

    @property
    def is_public(self):
        """Published, and so is every unit above it: what visitors and harvesters see."""
        return self.status == self.PUBLISHED and self.ancestors_public

    @property
    def depth(self):
        """0 for a unit at the top of an arrangement."""
        return self.ancestry.count("/") - 1

    def ancestor_ids(self):
        return [int(part) for part in self.ancestry.strip("/").split("/") if part]

    @property
    def subtree_prefix(self):
        """The ancestry every unit below this one starts with."""
        return f"{self.ancestry}{self.pk}/"

    @property
    def reference_code(self):
        """ISAD(G) 3.1.1: country code, repository code, then the local codes from the top down."""
        from django.conf import settings

        return f"{settings.ARKIV_COUNTRY_CODE} {settings.ARKIV_REPOSITORY_CODE} {self.reference or self.identifier}"

    @property
    def title(self):
        return self.sort_title

    def values(self, term):
        """The statements of one term, in order (uses the prefetch of with_description())."""
        return [s for s in self.statements.all() if s.term == term]

    def set_specs(self):
        """The OAI setSpecs this item belongs to: its collections, its DCMI type, and the fonds
        at the top of its arrangement."""
        specs = {collection.set_spec for collection in self.collections.all()}
        if self.dcmi_type:
            specs.add(f"{TYPE_SET}:{self.dcmi_type}")
        top = self.ancestor_ids()[:1]
        if top:
            specs.add(fonds_set(Item.objects.filter(pk=top[0]).values_list("identifier", flat=True).first()))
        elif self.pk and self.children.exists():
            specs.add(fonds_set(self.identifier))
        return sorted(specs)

    DERIVING_TERMS = frozenset({"title", "alternative", *dublincore.DATE_TERMS})
    """The terms derived_fields() reads: a change to others leaves the caches as they are."""

    def derived_fields(self, statements):
        """The cached sort title and date range, computed from a list of statements (of the
        DERIVING_TERMS; others are passed over)."""
        by_term = {}
        for statement in sorted(statements, key=lambda s: s.position):
            by_term.setdefault(statement.term, []).append(statement.value)
        title = (by_term.get("title") or by_term.get("alternative") or [""])[0]
        date_text = next((by_term[t][0] for t in dublincore.DATE_TERMS if by_term.get(t)), "")
        parsed = dates.parse(date_text) if date_text else None
        return {
            "sort_title": title[:255],
            "date_text": date_text[:255],
            "date_earliest": parsed.earliest if parsed else None,
            "date_latest": parsed.latest if parsed else None,
            "date_unparsed": bool(date_text) and parsed is None,
        }

    def refresh_derived(self):
        """Recompute the caches from the stored statements, and bump the datestamp."""
        fields = self.derived_fields(Statement.objects.filter(item_id=self.pk))
        fields["modified"] = timezone.now()
        Item.objects.filter(pk=self.pk).update(**fields)
        for field, value in fields.items():
            setattr(self, field, value)


class Statement(models.Model):
    """One Dublin Core value of an item: a term, a value, its language, maybe an authority."""

    # No index of its own: statement_facet_idx (item, term, authority) starts with the item.
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="statements", db_index=False,
        verbose_name=pgettext_lazy("catalogue item", "item"),
    )
    term = models.CharField(_("term"), max_length=40, choices=dublincore.term_choices())
    value = models.TextField(
        _("value"), blank=True,
        help_text=_("The value as written; for linked values, the form the source uses."),
    )
    lang = models.CharField(
        _("language"), max_length=35, blank=True, validators=[validate_language],
        help_text=_("BCP 47 tag of the value's language (“en”, “nb”, “ru”), if it has one."),
    )
    # No index of its own: statement_authority_item_idx (authority, item) starts with it.
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements",
        db_index=False, verbose_name=_("authority record"),
        help_text=_("The authority record this value stands for; outputs show its preferred label."),
    )
    # SET_NULL, not PROTECT: deleting a draft or a duplicate must not wait on every record that
    # cites it; the statement keeps its value, the other item's title, as plain text.
    target = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by",
        verbose_name=_("related item"),
        help_text=_(
            "For relation terms (references, part of, version of, source …): the item of this "
            "catalogue the value names. Its page then shows the relation from its own end."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            models.Index(fields=["term", "authority"]),
            # Every read of an item's statements, and the browse's record facets
            # (catalog/facets.py), which read each matching item's linked statements from this
            # index alone without visiting the statement rows. Each statement is one write in
            # every index: two more that began with the item slowed imports for nothing.
            models.Index(fields=["item", "term", "authority"], name="statement_facet_idx"),
            # The items a record names, counted from the index alone: the admin's authority list
            # counts them for each record it shows (1.5 s cold, 0.3 s warm at a million items
            # from the statement rows; 2 ms from this index), merges and renames find them.
            models.Index(fields=["authority", "item"], name="statement_authority_item_idx"),
        ]

    def __str__(self):
        return f"{dublincore.qualified_name(self.term)}: {self.display_value}"

    @property
    def display_value(self):
        """What every output shows: the authority's preferred label, else the value."""
        return self.authority.preferred_label if self.authority_id else self.value

    @property
    def element(self):
        return dublincore.element_of(self.term)

    def clean(self):
        self.lang = normalise_language(self.lang)
        if not self.value.strip() and not self.authority_id and not self.target_id:
            raise ValidationError({"value": ValidationError(EMPTY_STATEMENT, code="empty_statement")})
        if self.target_id:
            self.clean_target()
        if self.authority_id:
            allowed = dublincore.AUTHORITY_KINDS.get(self.term)
            if not allowed:
                raise ValidationError({"authority": ValidationError(
                    TERM_NOT_CONTROLLED, code="term_not_controlled",
                    params={"term": dublincore.qualified_name(self.term)},
                )})
            if self.authority.kind not in allowed:
                raise ValidationError({"authority": ValidationError(
                    WRONG_AUTHORITY_KIND, code="wrong_authority_kind", params={
                        "term": dublincore.qualified_name(self.term), "kinds": Authority.kind_names(allowed),
                        "record": self.authority, "a_kind": self.authority.a_kind,
                    },
                )})
        if not self.value.strip() and self.authority_id:
            self.value = self.authority.preferred_label

    def clean_target(self):
        """A linked item only on a relation term, and never the item itself; the value, if
        left empty, is the other item's title, which outputs that know no links show."""
        if not relations.is_relation(self.term):
            raise ValidationError({"target": ValidationError(
                NOT_A_RELATION, code="not_a_relation", params={"term": dublincore.qualified_name(self.term)},
            )})
        if self.item_id is not None and self.target_id == self.item_id:
            raise ValidationError({"target": ValidationError(RELATION_TO_ITSELF, code="relation_to_itself")})
        if not self.value.strip():
            self.value = self.target.title or self.target.identifier


class Tombstone(models.Model):
    """What OAI-PMH still reports of an item that was published and no longer is.

    It exists exactly while its item was once published and is not published now (withdrawn,
    returned to draft, or deleted). It is never erased, so harvesters learn of every deletion
    (`deletedRecord` persistent); republishing the item removes it.
    """

    identifier = models.CharField(_("identifier"), max_length=100, unique=True)
    datestamp = models.DateTimeField(_("datestamp"), help_text=_("When the item stopped being published."))
    set_specs = models.TextField(
        _("OAI sets"), blank=True,
        help_text=_("The item's setSpecs when it was deleted, separated by spaces."),
    )
    item = models.OneToOneField(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="tombstone",
        verbose_name=pgettext_lazy("catalogue item", "item"),
    )

    objects = TombstoneQuerySet.as_manager()

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        indexes = [models.Index(fields=["datestamp", "identifier"], name="tombstone_datestamp_idx")]

    def __str__(self):
        return TOMBSTONE % {"identifier": self.identifier, "date": f"{self.datestamp:%Y-%m-%d}"}

    def set_spec_list(self):
        return self.set_specs.split()

    @staticmethod
    def pack_set_specs(specs):
        return f" {' '.join(specs)} " if specs else ""
