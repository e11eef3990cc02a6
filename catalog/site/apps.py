from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The public website, an app of its own so that its templates, static files and template
    tags live in its folder."""

    name = "catalog.site"
    label = "site"
    verbose_name = "Public website"
