"""The image information document (info.json) of a service, as Image API 3.0 §5 describes it."""
import math

from ... import pyramids, rights
from .request import FORMATS, QUALITIES

CONTEXT = "http://iiif.io/api/image/3/context.json"
PROTOCOL = "http://iiif.io/api/image"
PROFILE = "level2"
PROFILE_DOCUMENT = "http://iiif.io/api/image/3/level2.json"
LEVEL2_FORMATS = ("jpg", "png")
EXTRA_FEATURES = ("mirroring", "sizeUpscaling", "profileLinkHeader")
"""Beyond level 2: the ! of rotation, the ^ of size, and the profile's Link header on images."""
SMALLEST_SIZE = 64
"""sizes lists the pyramid's levels down to this many pixels on the longer side."""


def info(service, service_id, limits):
    width, height = service.width, service.height
    document = {
        "@context": CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": PROTOCOL,
        "profile": PROFILE,
        "width": width,
        "height": height,
        "maxWidth": limits.width,
        "maxHeight": limits.height,
        "maxArea": limits.area,
        "sizes": sizes(width, height, limits),
        "tiles": [{"width": pyramids.TILE_SIZE, "height": pyramids.TILE_SIZE,
                   "scaleFactors": scale_factors(width, height, pyramids.TILE_SIZE)}],
        "extraQualities": [quality for quality in QUALITIES if quality != "default"],
        "extraFormats": [name for name in FORMATS if name not in LEVEL2_FORMATS],
        "extraFeatures": list(EXTRA_FEATURES),
    }
    rights_uri = service.digital_file.effective_rights_uri
    if rights_uri and rights.is_known(rights_uri):
        document["rights"] = rights_uri
    return document


def scale_factors(width, height, tile):
    """1, 2, 4 … up to the first factor at which one tile covers the whole image."""
    factors = [1]
    while math.ceil(max(width, height) / factors[-1]) > tile:
        factors.append(factors[-1] * 2)
    return factors


def sizes(width, height, limits):
    """The whole image at each level of the pyramid (ceil(side / 2^k), as the tiles count it),
    smallest first, within the server's limits."""
    found = []
    factor = 1
    while True:
        w, h = math.ceil(width / factor), math.ceil(height / factor)
        if w <= limits.width and h <= limits.height and w * h <= limits.area:
            found.append({"width": w, "height": h})
        if max(w, h) <= SMALLEST_SIZE:
            break
        factor *= 2
    return found[::-1]
