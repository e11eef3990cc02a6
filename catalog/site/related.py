"""Relations between items as the item page shows them (catalog/relations.py says which).

A relation statement that names another item links to that item's page when the reader may see
it (Item.is_public, or staff who preview drafts: querysets.previews); a relation to a draft, to a
withdrawn item or to one under a draft unit is shown as the text it keeps, never as a link, so a
visitor learns nothing of it but what the cataloguer wrote.

From the other end: the page of a cited item lists the items whose relations name it, under the
inverse term ("Referenced by" for their "References"), read in one query of at most
relations.INVERSE_LIMIT + 1 rows whatever the number of citing items, and only those the reader
may see. A relation the item already states itself, to the same item under the inverse term, is
not listed twice.

API:
    target_url(statement, user) -> str           the linked item's page, or "" (shown as text)
    inverse_relations(item, user) -> Inverse     what other items' relations say of `item`
"""
from typing import NamedTuple

from .. import relations
from ..models import Item, Statement
from ..querysets import ItemQuerySet, previews

class Citing(NamedTuple):
    """An item that names the page's item in one of its relations."""

    key: str  # the inverse term (or relations.SOURCE_OF) the page lists it under
    text: str
    url: str


class Inverse(NamedTuple):
    values: list  # [Citing], by title
    more: bool  # more citing items than relations.INVERSE_LIMIT


def may_see(item, user):
    return previews(user) or item.is_public


def target_url(statement, user):
    """The page of the item a relation statement names, if `user` may see it; else ""."""
    if not statement.target_id or not relations.is_relation(statement.term):
        return ""
    target = statement.target
    return target.get_absolute_url() if may_see(target, user) else ""


def inverse_relations(item, user):
    """The relations of other items (that `user` may see) naming `item`: one query."""
    citing = Statement.objects.filter(target_id=item.pk, term__in=relations.RELATION_TERMS).exclude(item_id=item.pk)
    if not previews(user):
        citing = citing.filter(ItemQuerySet.published_q("item__"))
    rows = list(
        citing.order_by("item__sort_title", "item__identifier", "position", "id")
        .values_list("term", "item_id", "item__identifier", "item__sort_title")[: relations.INVERSE_LIMIT + 1]
    )
    # What the item already says itself (under the inverse term, naming the same item).
    stated = {(statement.term, statement.target_id) for statement in item.statements.all() if statement.target_id}
    seen, values = set(), []
    for term, item_id, identifier, title in rows[: relations.INVERSE_LIMIT]:
        key = relations.inverse(term)
        if (key, item_id) in stated or (key, item_id) in seen:
            continue
        seen.add((key, item_id))
        values.append(Citing(key, title or identifier, Item(identifier=identifier).get_absolute_url()))
    return Inverse(values, len(rows) > relations.INVERSE_LIMIT)
