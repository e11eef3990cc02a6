"""IIIF Image API 3.0 at compliance level 2: /iiif/3/<file id>/info.json and
/iiif/3/<file id>/{region}/{size}/{rotation}/{quality}.{format}.

    errors.py    one error class that carries the HTTP status (400, 404, 501)
    request.py   parses the four path parameters without opening an image, in the spec's order
    geometry.py  the region and size a request asks of an image of a known size (pure arithmetic)
    service.py   which image a reader gets: the visibility rule, the full pyramid or a capped one
    render.py    cuts the answer out of the pyramid with libvips, reading only the tiles it needs
    info.py      the image information document (info.json)
    cache.py     made images kept on disk, least recently used removed past a size
    views.py     HTTP: CORS, ETag and 304, Cache-Control, file sending; urls.py its routes

The pixels come from the image's pyramid (catalog/pyramids.py), never from a decoded original.
A visitor sees an image only where the delivery view would give its file (DigitalFile.objects.
visible_to and DigitalFile.stored); where the original is private the service is the image at
the display copy's size, so no region of it is ever served at full resolution.
"""
