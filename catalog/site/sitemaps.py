"""sitemap.xml: published items, collections, and authority records that some published item
names. Everything here goes through `Item.objects.published()`, like every public output.

Each address is listed once, as the plain permalink, with an xhtml:link alternate for each
language of the interface (the same address with `?lang=xx`, see addresses.py) and x-default
to the plain one: a page has one address in every language, so Django's i18n sitemaps, which
expect a language prefix in the path, do not apply.
"""
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef

from ..models import Authority, Collection, Item, Statement
from .addresses import in_language


class CatalogSitemap(Sitemap):
    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["alternates"] = [
                *({"lang_code": code, "location": in_language(url["location"], code)} for code, _ in settings.LANGUAGES),
                {"lang_code": "x-default", "location": url["location"]},
            ]
        return urls

    def lastmod(self, obj):
        return obj.modified

    def get_latest_lastmod(self):
        # Django's default walks every object of the section; one aggregate answers the same.
        return self.items().order_by().aggregate(latest=Max("modified"))["latest"]


class ItemSitemap(CatalogSitemap):
    changefreq = "monthly"
    priority = 0.8
    # The protocol allows 50,000 addresses a file; Django renders those in about ten seconds,
    # and a crawler reads ten files of 5,000 as easily (the index lists every page).
    limit = 5000

    def items(self):
        return Item.objects.published().only("identifier", "modified").order_by("pk")


class CollectionSitemap(CatalogSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Collection.objects.only("identifier", "modified").order_by("set_spec")


class AuthoritySitemap(CatalogSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        # A join to each statement's item, which EXISTS leaves at the first published one;
        # `item__in=published()` listed every published item first (10 s at 1M items).
        named = Statement.objects.filter(authority=OuterRef("pk")).filter(Item.objects.published_q(prefix="item__"))
        return Authority.objects.filter(Exists(named)).only("kind", "slug", "modified").order_by("pk")


SITEMAPS = {"items": ItemSitemap, "collections": CollectionSitemap, "authorities": AuthoritySitemap}
