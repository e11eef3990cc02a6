"""Which image service a reader gets for a file id: the visibility rule of catalog/delivery/.

A reader sees the image only where the delivery view would give them the file: its item is
visible to them (DigitalFile.objects.visible_to: published and under published units, or a
member of staff previewing), and it is an image. Anything else is the same 404 as an unknown id.

What size the service is follows the original's rule (DigitalFile.stored): where the reader may
have the original, the service is the full image, cut from its pyramid; where the original is
private (or has a GPS position and no public copy), the service is the image scaled to fit
ARKIV_DISPLAY_SIZE, the display copy's size, still cut from the pyramid, so that no region of it
is ever served at a finer scale than the display copy's. Until the pyramid is made, the service
is the display copy itself, for everyone.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ... import pyramids
from ...models import DigitalFile
from ...querysets import previews
from .errors import IIIFError
from .geometry import Limits

NO_SUCH_IMAGE = _("No such image.")
PYRAMID, DISPLAY = "pyramid", "display"


@dataclass(frozen=True)
class Service:
    digital_file: DigitalFile
    width: int
    height: int
    source: str  # the path of the pyramid, or of the display copy
    source_kind: str  # PYRAMID or DISPLAY
    public: bool  # anyone gets this same service: shared caches may keep its answers

    @property
    def long_lived(self):
        """Answers that stay right for long: a public image cut from its pyramid (the display
        copy stands in only until the pyramid is made, and then the service grows)."""
        return self.public and self.source_kind == PYRAMID

    @property
    def version(self):
        """What an answer depends on besides the request: the file, the source, the size."""
        return f"{self.digital_file.sha256[:24]}-{self.source_kind}-{self.width}x{self.height}"


def limits():
    return Limits(settings.ARKIV_IIIF_MAX_WIDTH, settings.ARKIV_IIIF_MAX_HEIGHT, settings.ARKIV_IIIF_MAX_AREA)


def service_for(user, identifier):
    """The Service of file `identifier` (the path's text) for `user`; IIIFError 404 if there is
    none they may see."""
    if not (identifier.isascii() and identifier.isdigit()) or len(identifier) > 18:
        raise not_found()
    digital_file = DigitalFile.objects.visible_to(user).select_related("item").filter(pk=int(identifier)).first()
    if digital_file is None or not digital_file.is_image or not digital_file.width or not digital_file.height:
        raise not_found()
    preview = previews(user)
    full = digital_file.stored("original", preview=preview) is not None
    visitors_same = digital_file.item.is_public and full == (digital_file.stored("original") is not None)
    pyramid = pyramids.pyramid_path(digital_file)
    if pyramid:
        width, height = (digital_file.width, digital_file.height) if full else display_size(digital_file)
        return Service(digital_file, width, height, pyramid, PYRAMID, visitors_same)
    if digital_file.display:
        width, height = _image_size(digital_file.display.path)
        return Service(digital_file, width, height, digital_file.display.path, DISPLAY, digital_file.item.is_public)
    raise not_found()


def display_size(digital_file):
    """The image's size scaled to fit ARKIV_DISPLAY_SIZE on its longer side, as its display copy."""
    width, height = digital_file.width, digital_file.height
    scale = min(1.0, settings.ARKIV_DISPLAY_SIZE / max(width, height))
    return max(1, int(width * scale + 0.5)), max(1, int(height * scale + 0.5))


def _image_size(path):
    import pyvips

    try:
        image = pyvips.Image.new_from_file(path)  # reads the header only
    except pyvips.Error:
        raise not_found() from None
    return image.width, image.height


def not_found():
    return IIIFError(404, str(NO_SUCH_IMAGE))
