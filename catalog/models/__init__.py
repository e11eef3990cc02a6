from .authorities import Agent, Authority, AuthorityLink, AuthorityVariant, Concept, Place
from .files import DigitalFile
from .items import Collection, Item, Statement, Tombstone
from .levels import Level
from .preferences import Preference
from ..search.models import SearchEntry  # noqa: E402  (after Item, which it keys on)

__all__ = [
    "Agent", "Authority", "AuthorityLink", "AuthorityVariant", "Collection", "Concept",
    "DigitalFile", "Item", "Level", "Place", "Preference", "Statement", "Tombstone",
]
