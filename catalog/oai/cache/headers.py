"""Each published item's OAI header, stored as bytes, so that a list page reads it with the item.

A header is the record's identifier, datestamp and sets; its sets are its collections, its DCMI
type and the fonds at the top of its arrangement, which a page would otherwise read in two more
queries (collections, the units above) and assemble record by record. A ListIdentifiers page is
nothing but headers, so this was most of its cost: with the headers stored, a page of 500 costs
half the server time it did (benchmarks/harvest.py).

So the header is kept with the metadata fragments (models.Fragment, under HEADER), by the same
rule (fragments.py): valid only while it was written for the item's current datestamp and by
the current writer (`context`), since everything a header shows bumps the datestamp when it
changes (catalog/receivers.py: the item itself, its collections and theirs, a unit coming under
a top unit or the last one leaving it, a unit above renamed or moved). The rule is checked
in the page's own query (`stored`): an item's row comes with its header only if the header is
current, and records.page() reads the sets of the others; `keep` writes and stores theirs.
An empty table serves what the plain writers serve.
"""
import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import OuterRef, Subquery

from .. import response
from . import fragments
from .models import Fragment

# Not a metadataPrefix: ':' is outside their grammar (OAI-PMH 2.0, section 3.4).
HEADER = ":header"

_RESPONSE = Path(response.__file__)


@lru_cache(maxsize=1)
def _code_digest():
    """The metadata writers' sources (fragments.py), the header's writer and the sets' rules."""
    return hashlib.sha256(fragments.code_digest().encode() + _RESPONSE.read_bytes()).hexdigest()


def context() -> str:
    """What a header was written under: the repository's identifier (in every OAI identifier)
    and the code that writes it."""
    return hashlib.sha256(repr([HEADER, settings.ARKIV_REPOSITORY_ID, _code_digest()]).encode()).hexdigest()[:32]


def stored():
    """For records.page(): the item's stored header where it is current, else NULL."""
    current = Fragment.objects.filter(item=OuterRef("pk"), prefix=HEADER, datestamp=OuterRef("modified"), context=context())
    return Subquery(current.values("xml")[:1])


def keep(found):
    """Give each published record of `found` that came without a stored header its header,
    written now, and store them for the next page that holds them (best effort, as fragments)."""
    written = [record for record in found if not record.deleted and record.header is None]
    if not written:
        return
    headers = response.header_bytes(written)
    for record in written:
        record.header = headers[record.pk]
    fragments.store(written, headers, HEADER, context())
