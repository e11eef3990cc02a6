"""IIIF Presentation API 3.0: a manifest for every public item with images, and IIIF
Collections for thematic collections and for units of the arrangement.

    addresses.py    the URLs of manifests, collections and image services (one place)
    text.py         language maps: statements by their language, interface strings in every language
    manifests.py    manifest(item, base_url): canvases, description, rights, links
    collections.py  the Collection of a thematic collection or a unit, paged by nested Collections
    views.py        JSON-LD responses with CORS; urls.py their routes under /iiif/3/

The documents are built with iiif-prezi3's models (generated from the same JSON Schema the
tests validate against), never as hand-written dicts, so a wrong property fails at build time.
What a visitor may see is decided by Item.objects.published() and DigitalFile.public_image,
exactly as on the item page.
"""
