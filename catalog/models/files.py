"""Digital files attached to items: originals with their checksums, EXIF and derivatives."""
from django.db import models


def original_path(instance, filename):
    # Keyed by item so an archivist can find an item's files on disk; the name is sanitised by
    # the storage, and collisions get a suffix.
    return f"originals/{instance.item.identifier}/{filename}"


class DigitalFile(models.Model):
    item = models.ForeignKey("catalog.Item", on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=original_path, max_length=500)
    label = models.CharField(max_length=255, blank=True, help_text="Caption of this file (“recto”, “page 2”).")
    position = models.PositiveIntegerField(default=0)
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    mime_type = models.CharField(max_length=100, editable=False, help_text="Sniffed from the content.")
    size = models.BigIntegerField(editable=False, help_text="In bytes.")
    sha256 = models.CharField("SHA-256", max_length=64, editable=False, db_index=True)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    # EXIF is kept for the archive's own use only: it may hold GPS positions and camera serial
    # numbers, so no public output reads this field.
    exif = models.JSONField(default=dict, blank=True, editable=False)
    thumbnail = models.FileField(max_length=500, blank=True, editable=False)
    display = models.FileField(max_length=500, blank=True, editable=False)
    original_public = models.BooleanField(
        "original downloadable", default=False,
        help_text="Let visitors download the original file (only where its rights allow).",
    )
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = "digital file"

    def __str__(self):
        return self.label or self.original_name or self.file.name

    @property
    def is_image(self):
        return self.mime_type.startswith("image/")

    @property
    def public_image(self):
        """The image visitors may see and outputs may link to: the display derivative, else the
        thumbnail, else the original where it may be downloaded; None if there is none."""
        if not self.is_image:
            return None
        for field in (self.display, self.thumbnail):
            if field:
                return field
        return self.file if self.original_public and self.file else None
