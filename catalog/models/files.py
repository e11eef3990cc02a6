"""Digital files attached to items: originals with their checksums, EXIF and derivatives.

Every stored file is named by Arkiv, never by the uploader (`stored_name()`): an upload called
`evil.html` is kept as `originals/<item>/<item>-001.pdf` when its content is a PDF. Files reach
people only through the delivery view (catalog/delivery/), which asks `stored()` which file of a
role a visitor or a member of staff may have.
"""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import rights
from ..querysets import DigitalFileQuerySet

ROLES = ("original", "display", "thumbnail")
"""What a stored file is to its DigitalFile: the original as received, or a derivative."""


def stored_name(identifier, sequence, extension):
    """The name Arkiv gives the `sequence`-th file of item `identifier`: identifiers are URL-safe,
    and the extension is the one of the type sniffed from the content, so nothing the uploader
    chose (a name ending in .html, folders, odd characters) reaches storage or a URL."""
    return f"{identifier}-{sequence:03d}{extension}"


def original_path(instance, filename):
    # Keyed by item so an archivist can find an item's files on disk; `filename` is already
    # Arkiv's own (stored_name), and the storage gives a colliding name a suffix.
    return f"originals/{instance.item.identifier}/{filename}"


class DigitalFile(models.Model):
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.CASCADE, related_name="files",
        verbose_name=pgettext_lazy("catalogue item", "item"),
    )
    file = models.FileField(_("file"), upload_to=original_path, max_length=500)
    label = models.CharField(
        _("caption"), max_length=255, blank=True, help_text=_("Caption of this file (“recto”, “page 2”).")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True, editable=False)
    mime_type = models.CharField(
        _("MIME type"), max_length=100, editable=False, help_text=_("Sniffed from the content.")
    )
    size = models.BigIntegerField(_("size"), editable=False, help_text=_("In bytes."))
    sha256 = models.CharField("SHA-256", max_length=64, editable=False, db_index=True)
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    # EXIF is kept for the archive's own use only: it may hold GPS positions and camera serial
    # numbers, so no public output reads this field.
    exif = models.JSONField("EXIF", default=dict, blank=True, editable=False)
    thumbnail = models.FileField(_("thumbnail"), max_length=500, blank=True, editable=False)
    display = models.FileField(_("display copy"), max_length=500, blank=True, editable=False)
    public_copy = models.FileField(
        _("public copy"), max_length=500, blank=True, editable=False,
        help_text=_("The original without its GPS position, given to visitors in its place."),
    )
    original_public = models.BooleanField(
        _("original downloadable"), default=False,
        help_text=_("Let visitors download the original file (only where its rights allow)."),
    )
    rights_uri = models.CharField(
        _("rights statement"), max_length=200, blank=True, default="", db_default="", choices=rights.choices,
        help_text=_("Only where this file's rights differ from the item's (a photographer's licence "
                    "on a scan); empty: the item's rights statement."),
    )
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = DigitalFileQuerySet.as_manager()

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("digital file")
        verbose_name_plural = _("digital files")

    def __str__(self):
        return self.label or self.original_name or self.file.name

    @property
    def effective_rights_uri(self):
        """The file's own rights URI, else its item's."""
        return self.rights_uri or self.item.rights_uri

    @property
    def own_rights_uri(self):
        """The file's rights URI where it differs from its item's (what its caption names); ""
        where the item's rights hold."""
        return self.rights_uri if self.rights_uri != self.item.rights_uri else ""

    @property
    def is_image(self):
        return self.mime_type.startswith("image/")

    @property
    def has_gps(self):
        return bool(self.exif.get("GPSInfo"))

    def stored(self, role, *, preview=False):
        """The stored file of `role` that may be handed out, or None.

        Visitors get the derivatives, and the original only where `original_public` allows it,
        and then never with a GPS position: a file whose EXIF has one is given as its public
        copy, or not at all where none could be made. `preview` (staff, who may see drafts and
        private originals) gets every file as stored. Whether the item itself may be seen is
        the queryset's question (DigitalFile.objects.visible_to).
        """
        if role not in ROLES:
            return None
        if role != "original":
            return getattr(self, role) or None
        if preview:
            return self.file or None
        if not self.original_public:
            return None
        if self.has_gps:
            return self.public_copy or None
        return self.file or None

    def delivered_name(self, role):
        """The name a file of `role` is delivered under: the last part of its stored name."""
        stored = self.stored(role, preview=True)
        return stored.name.rsplit("/", 1)[-1] if stored else None

    def url(self, role):
        """Where the file of `role` is delivered; only the delivery view ever serves it."""
        name = self.delivered_name(role) or role
        return reverse("delivery:file", kwargs={"pk": self.pk, "role": role, "name": name})

    @property
    def downloadable(self):
        """The original may be offered to visitors for download."""
        return self.stored("original") is not None

    @property
    def public_image_url(self):
        """The URL of public_image, or None."""
        role = self.public_image
        return self.url(role) if role else None

    @property
    def public_image(self):
        """The role of the image visitors see and outputs link to: the display derivative, else
        the thumbnail, else the original where it may be downloaded; None if there is none."""
        if not self.is_image:
            return None
        for role in ("display", "thumbnail", "original"):
            if self.stored(role) is not None:
                return role
        return None
