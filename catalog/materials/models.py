"""Templates per kind of material, their elements, and which template an item was started from.

The shipped templates (shipped.py) are rows like any other: an archive edits them, or adds its
own, in the admin. Their names are stored in English as written and shown in the reader's
language where the translations have them (as levels of description are).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from .. import dublincore, rights
from ..models import Collection, Item, Level
from ..models.items import DCMI_TYPE_CHOICES
from ..validators import validate_language

CONTEXT = "kind of material"


class MaterialTemplate(models.Model):
    code = models.SlugField(
        _("code"), max_length=40, unique=True,
        help_text=_("Short code used in addresses: /admin/catalog/item/add/?template=photograph."),
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("The kind of material, in English (“Photograph”)."))
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order in lists of templates."))
    dcmi_type = models.CharField(_("DCMI type"), max_length=30, choices=DCMI_TYPE_CHOICES, blank=True)
    level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("level of description"),
    )
    rights_uri = models.CharField(
        _("rights statement"), max_length=200, blank=True, choices=rights.choices,
        help_text=_("The rights statement a new item starts with."),
    )
    language = models.CharField(
        _("language of the values"), max_length=35, blank=True, validators=[validate_language],
        help_text=_("BCP 47 tag the new item's text values start with (“nb”, “en”); empty for none."),
    )
    collection = models.ForeignKey(
        Collection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("collection"), help_text=_("The collection a new item starts in, if any."),
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The name in the reader's language, where the translations have it."""
        return pgettext(CONTEXT, self.name) if self.name else self.code


class TemplateElement(models.Model):
    template = models.ForeignKey(
        MaterialTemplate, on_delete=models.CASCADE, related_name="elements", verbose_name=_("template"),
    )
    term = models.CharField(_("term"), max_length=40, choices=dublincore.term_choices())
    required = models.BooleanField(
        _("required for publishing"), default=False,
        help_text=_("The item cannot be published until this element has a value."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["template", "position", "id"]
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        constraints = [
            models.UniqueConstraint(fields=["template", "term"], name="template_element_once"),
        ]

    def __str__(self):
        return str(dublincore.LABELS[self.term])


class TemplateUse(models.Model):
    """The template an item was started from (or given later in its form)."""

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="template_use",
        verbose_name=pgettext_lazy("catalogue item", "item"),
    )
    template = models.ForeignKey(
        MaterialTemplate, on_delete=models.CASCADE, related_name="uses", verbose_name=_("template"),
    )

    class Meta:
        verbose_name = _("template of an item")
        verbose_name_plural = _("templates of items")
