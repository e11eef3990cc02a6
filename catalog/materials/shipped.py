"""The templates Arkiv ships: three kinds of single item and the arrangement levels above them.

Migration 0002 writes these rows into a catalogue that lacks them; from then on they are the
archive's data, edited in the admin. Each element is (term, required for publishing); a required
term stands for its editor section, so “created” is met by any date. The names are marked for
translation here so that `make messages` finds them.
"""
from django.utils.translation import pgettext_lazy

CNE = "http://rightsstatements.org/vocab/CNE/1.0/"  # Copyright not evaluated: nobody has checked yet

# (code, name, DCMI type, level code, rights URI, language (empty: ARKIV_CATALOGUE_LANGUAGE at
# migration time, the language the archive catalogues in), elements)
SHIPPED = (
    ("photograph", pgettext_lazy("kind of material", "Photograph"), "StillImage", "item", CNE, "", (
        ("title", True), ("creator", False), ("created", True), ("spatial", True),
        ("subject", False), ("description", True), ("extent", False), ("rightsHolder", False),
    )),
    ("letter", pgettext_lazy("kind of material", "Document or letter"), "Text", "item", CNE, "", (
        ("title", True), ("creator", True), ("contributor", False), ("created", True),
        ("spatial", False), ("language", True), ("subject", False), ("abstract", False),
        ("extent", False),
    )),
    ("clipping", pgettext_lazy("kind of material", "Article or clipping"), "Text", "item", CNE, "", (
        ("title", True), ("creator", False), ("issued", True), ("source", True),
        ("language", True), ("subject", False), ("spatial", False), ("abstract", False),
        ("bibliographicCitation", False),
    )),
    ("fonds", pgettext_lazy("kind of material", "Fonds"), "Collection", "fonds", "", "", (
        ("title", True), ("creator", True), ("created", True), ("extent", True),
        ("abstract", True), ("provenance", False), ("accessRights", False), ("language", False),
    )),
    ("series", pgettext_lazy("kind of material", "Series"), "Collection", "series", "", "", (
        ("title", True), ("created", True), ("extent", False), ("abstract", False),
    )),
    ("file", pgettext_lazy("kind of material", "File"), "Collection", "file", "", "", (
        ("title", True), ("created", True), ("extent", False), ("description", False),
    )),
)


def write(Template, Element, Level):
    """Write every shipped template whose code the catalogue lacks (an archive's own edits are
    never overwritten). Takes the models as arguments, so that migration 0002 passes its
    historical ones, and the receiver after a `flush` the live ones."""
    from django.conf import settings
    from django.utils import translation

    levels = dict(Level.objects.values_list("code", "pk"))
    with translation.override(None):  # names stored in English, as written
        for position, (code, name, dcmi_type, level, rights_uri, language, elements) in enumerate(SHIPPED):
            if Template.objects.filter(code=code).exists():
                continue
            template = Template.objects.create(
                code=code, name=str(name), position=position, dcmi_type=dcmi_type,
                level_id=levels.get(level), rights_uri=rights_uri,
                language=language or settings.ARKIV_CATALOGUE_LANGUAGE,
            )
            Element.objects.bulk_create(
                Element(template=template, term=term, required=required, position=number)
                for number, (term, required) in enumerate(elements)
            )
