"""What can be wrong with an EAD file, one class per fault, each with a message that says the fix.

Reading stops at the first fault of the file as a whole (too large, not XML, hostile, not EAD).
Faults of the description (an unknown level, a unitid used twice among siblings, a tree too
deep) are gathered: the reader checks every unit and raises them together in an ExceptionGroup,
so that one upload shows everything to correct. `faults()` flattens either into a list, which
is how the import pipeline stores them (run.py) and the command prints them.

Messages are module constants (tests reuse them) with %(name)s placeholders, translated when
the fault is raised, in the language of whoever runs the import. Each fault knows where it is:
`line` (and `column` for malformed XML) in the file.
"""
from django.utils.translation import gettext_lazy as _

TOO_LARGE = _(
    "The file is %(size)s MB, and an EAD import reads at most %(limit)s MB: split the finding aid "
    "into several files (one per series, say), or ask the administrator to raise ARKIV_MAX_EAD_BYTES."
)
EMPTY = _("The file is empty: export the finding aid again as EAD XML.")
MALFORMED = _(
    "The file is not well-formed XML at line %(line)d, column %(column)d (%(problem)s): correct it "
    "there (an XML editor shows the spot) and import it again."
)
ENTITY_DECLARATIONS = _(
    "The file declares entities (%(names)s) in its document type: Arkiv refuses them, since an "
    "entity can read files on the server or expand into gigabytes. Delete the declarations between "
    "[ and ] in <!DOCTYPE …> and write the characters themselves."
)
INTERNAL_SUBSET = _(
    "The file's document type has declarations of its own (<!DOCTYPE … [ … ]>), which Arkiv does "
    "not read: delete them (the part between [ and ]), or the whole <!DOCTYPE …> line."
)
EXTERNAL_DTD = _(
    "The document type names the DTD “%(url)s”, which is not EAD's: Arkiv reads no DTD but EAD's "
    "own name for it. Delete the <!DOCTYPE …> line at the top of the file."
)
ENTITY_REFERENCE = _(
    "Line %(line)d uses the entity &%(name)s;, which only a DTD defines, and Arkiv reads no DTD: "
    "write the character itself instead (a space for &nbsp;, for example)."
)
NOT_EAD = _(
    "The file's root element is <%(tag)s>, not <ead>: this is not an EAD finding aid. Export the "
    "description as EAD (in AtoM: Export → EAD 2002 XML; in ArchivesSpace: Export → EAD)."
)
UNKNOWN_NAMESPACE = _(
    "The <ead> element is in the namespace “%(namespace)s”, which is not EAD's: Arkiv reads EAD "
    "2002 (%(ead2002)s, or no namespace, as AtoM writes it) and EAD3 (%(ead3)s)."
)
NO_ARCHDESC = _(
    "The file has no <archdesc>: an EAD finding aid describes its fonds or collection in "
    "<archdesc>, after <eadheader> (EAD 2002) or <control> (EAD3)."
)
UNKNOWN_LEVEL = _(
    "Line %(line)d: “%(level)s” is not a level of description Arkiv knows (%(known)s): add it "
    "in the admin (Levels of description, with that EAD level or name), or change the level."
)
NO_OTHERLEVEL = _(
    "Line %(line)d: level=\"otherlevel\" needs an otherlevel attribute naming the level, one of "
    "%(known)s."
)
DUPLICATE_UNITID = _(
    "Line %(line)d: the unitid “%(unitid)s” is also that of the unit on line %(first)d, under the "
    "same parent, and reference codes must be unique: give one of them another unitid."
)
BAD_UNITID = _(
    "Line %(line)d: the unitid “%(unitid)s” cannot be a local reference code, which is at most 50 "
    "letters, digits, dots, hyphens and underscores: shorten it."
)
TOO_DEEP = _(
    "Line %(line)d: this unit lies %(depth)d levels below the top, and an arrangement has at most "
    "%(limit)d levels (EAD's c01 to c12): move it higher up."
)
NO_FONDS_IDENTIFIER = _(
    "Give the new fonds an identifier: the finding aid has no unitid or eadid that could be one."
)
FONDS_IDENTIFIER_TOO_LONG = _(
    "“%(identifier)s” is too long: the %(count)d units below the fonds get its identifier followed "
    "by -1, -2 … -%(count)d, and an identifier has at most 100 characters. Choose a shorter one."
)
IDENTIFIER_TAKEN = _(
    "%(identifier)s is already an item's identifier, and an EAD import makes a new fonds: choose "
    "a fonds identifier no item has (the units below it get the identifier followed by -1, -2 …)."
)

# Notes: not faults, but what the preview should say about how the file was read.
UNITID_CHANGED = _("Line %(line)d: the unitid “%(unitid)s” becomes the local code “%(code)s”.")
NO_LEVEL = _("Line %(line)d: the unit has no level; it is imported as a single item.")
NOT_IMPORTED = _("Not imported (Arkiv has no place for them in a unit's description): %(elements)s.")
ONE_ELEMENT = _("<%(tag)s> ×%(count)d")


class EadError(Exception):
    """A fault of an EAD file; `message` is translated text, `line`/`column` where it is."""

    def __init__(self, message, *, line=None, column=None):
        self.message = str(message)
        super().__init__(self.message)
        self.line = line
        self.column = column


class TooLarge(EadError):
    """The file is larger than ARKIV_MAX_EAD_BYTES."""


class Empty(EadError):
    """The file holds nothing but white space."""


class Malformed(EadError):
    """The file is not well-formed XML (lxml's message, with its line and column)."""


class Hostile(EadError):
    """Entity declarations, entity references, or a DTD other than EAD's: refused unread."""


class NotEad(EadError):
    """The root is not <ead>, or <ead> is in a namespace of neither EAD version."""


class NoArchdesc(EadError):
    """The finding aid describes nothing."""


class UnknownLevel(EadError):
    """A @level (or @otherlevel) that no Level row stands for."""


class DuplicateUnitid(EadError):
    """Two siblings would get the same reference code."""


class BadUnitid(EadError):
    """A unitid that no local code can be made of."""


class TooDeep(EadError):
    """A unit below Item.MAX_DEPTH levels."""


class FondsIdentifier(EadError):
    """The identifier the new fonds would get is missing, invalid, too long or taken."""


def faults(error):
    """The EadErrors in `error`: itself, or those of an ExceptionGroup, in order."""
    if isinstance(error, BaseExceptionGroup):
        return [fault for inner in error.exceptions for fault in faults(inner)]
    return [error]
