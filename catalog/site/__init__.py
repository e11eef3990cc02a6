"""The public website: browse with facets and search, item, collection and authority pages,
citations, embedded metadata (HTML meta, JSON-LD) and sitemaps.

Thin views over the core's querysets (`Item.objects.published()` is the one visibility rule)
and the browse FilterSet. Nothing in `catalog/`'s core imports this package; the core names its
pages by URL name only (namespace `catalog`, kept from before the site had a folder of its own,
so that every permalink and every reverse() stays as it was).
"""
