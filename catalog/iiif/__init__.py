"""The IIIF face of the archive: the Image API (image/) and the Presentation API (presentation/),
both under /iiif/3/."""
