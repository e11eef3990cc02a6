"""Digital files: uploaded on their item's page through imaging.ingest(), listed here for checks."""
import json

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..forms import DigitalFileForm, DigitalFileFormSet
from ..models import DigitalFile


class FileColumns:
    """The preview and the summary both the inline and the file list show."""

    @admin.display(description=_("preview"))
    def preview(self, digital_file):
        if not digital_file.thumbnail:
            return "—"
        link = digital_file.url("display" if digital_file.display else "original")
        return format_html(
            '<a href="{}" target="_blank"><img src="{}" alt="{}" style="max-width: 120px; '
            'max-height: 120px; border: 1px solid var(--hairline-color)"></a>',
            link, digital_file.url("thumbnail"), str(digital_file),
        )

    @admin.display(description=_("file details"))
    def details(self, digital_file):
        if not digital_file.pk:
            return gettext("Checked and described when saved.")
        parts = [digital_file.mime_type, filesizeformat(digital_file.size)]
        if digital_file.width:
            parts.append(f"{digital_file.width} × {digital_file.height} px")
        if digital_file.has_gps:
            parts.append(
                gettext("GPS position in EXIF (kept private; visitors get a copy without it)")
                if digital_file.public_copy else
                gettext("GPS position in EXIF (kept private; the original is never given to visitors)")
            )
        return format_html(
            '{}<br><span title="SHA-256">SHA-256 {}…</span>',
            " · ".join(parts), digital_file.sha256[:16],
        )


class DigitalFileInline(FileColumns, admin.TabularInline):
    model = DigitalFile
    form = DigitalFileForm
    formset = DigitalFileFormSet
    fields = ["preview", "file", "label", "position", "original_public", "rights_uri", "details"]
    readonly_fields = ["preview", "details"]
    extra = 1


@admin.register(DigitalFile)
class DigitalFileAdmin(FileColumns, admin.ModelAdmin):
    """Every file of the archive, for finding and checking them. Files are added on their
    item's page, so that each arrives with the item it belongs to."""

    form = DigitalFileForm
    list_display = ["preview", "__str__", "item_link", "mime_type", "file_size", "dimensions", "uploaded"]
    list_display_links = ["__str__"]
    list_filter = ["mime_type", "original_public", "rights_uri"]
    search_fields = ["item__identifier", "label", "original_name", "=sha256"]
    list_select_related = ["item"]
    fields = ["item_link", "preview", "file", "label", "position", "original_public", "rights_uri", "details", "exif_block"]
    readonly_fields = ["item_link", "preview", "details", "exif_block"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    @admin.display(description=pgettext_lazy("catalogue item", "item"), ordering="item__identifier")
    def item_link(self, digital_file):
        url = reverse("admin:catalog_item_change", args=[digital_file.item_id])
        return format_html('<a href="{}">{}</a>', url, digital_file.item.identifier)

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, digital_file):
        return filesizeformat(digital_file.size)

    @admin.display(description=_("pixels"))
    def dimensions(self, digital_file):
        return f"{digital_file.width} × {digital_file.height}" if digital_file.width else "—"

    @admin.display(description=_("EXIF (private: never published)"))
    def exif_block(self, digital_file):
        if not digital_file.exif:
            return "—"
        return format_html(
            '<pre style="white-space: pre-wrap; margin: 0">{}</pre>',
            json.dumps(digital_file.exif, indent=1, ensure_ascii=False),
        )
