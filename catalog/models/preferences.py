"""What an archivist chooses for themselves: the language of the admin (and of the site while
signed in)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Preference(models.Model):
    SESSION_KEY = "arkiv_language"
    """Where the language is kept for a signed-in session (archive/language.py reads it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="arkiv_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=35, blank=True,
        help_text=_("The language Arkiv speaks to you in after you sign in; empty: your browser's."),
    )

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")

    def __str__(self):
        return str(self.user)
