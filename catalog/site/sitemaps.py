"""sitemap.xml: published items, collections, and authority records that some published item
names. Everything here goes through `Item.objects.published()`, like every public output."""
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef

from ..models import Authority, Collection, Item, Statement


class CatalogSitemap(Sitemap):
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
