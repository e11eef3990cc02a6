"""Resumption tokens: signed, self-contained and long-lived.

A token carries everything needed to produce the next page: the original arguments, a keyset
cursor (the datestamp and identifier of the last record delivered, or the last setSpec), how
many records came before, and the size of the complete list. Nothing is kept on the server, so
a token survives restarts and any number of workers, and sending it again yields the same page.
It is signed with SECRET_KEY and salted with the verb, so it cannot be forged or used with
another verb; it expires after ARKIV_OAI_TOKEN_LIFETIME seconds (a week by default), long
enough for the slowest harvester to come back.
"""
from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.core import signing

from .errors import BadResumptionToken

_SALT = "arkiv.oai.{verb}"

EXPIRED = (
    "This resumptionToken expired (tokens live {days} days): start the harvest again without "
    "one; a harvest with from= the last datestamp you received picks up where you were."
)
FORGED = (
    "This resumptionToken was not issued by this repository for {verb}: send the token exactly "
    "as the last {verb} response gave it, with verb={verb}."
)


def issue(verb, state: dict) -> tuple[str, datetime]:
    """A token for `state` (a JSON-serialisable dict) and the moment it expires."""
    token = signing.dumps(state, salt=_SALT.format(verb=verb), compress=True)
    lifetime = timedelta(seconds=settings.ARKIV_OAI_TOKEN_LIFETIME)
    return token, datetime.now(timezone.utc) + lifetime


def redeem(verb, token) -> dict:
    """The state a token carries, or BadResumptionToken if it is forged, altered or expired."""
    try:
        return signing.loads(
            token, salt=_SALT.format(verb=verb), max_age=settings.ARKIV_OAI_TOKEN_LIFETIME
        )
    except signing.SignatureExpired:
        days = settings.ARKIV_OAI_TOKEN_LIFETIME / 86400
        raise BadResumptionToken(EXPIRED.format(days=f"{days:g}")) from None
    except (signing.BadSignature, ValueError):
        raise BadResumptionToken(FORGED.format(verb=verb)) from None
