"""What search knows of an item: its statements, the names of the records they link to, its text.

The index and the snippets are both made from these documents, so a snippet can always show
the words that made an item match.
"""
from dataclasses import dataclass, field

from ..models import Authority, AuthorityVariant, Item, Statement

TITLE_TERMS = ("title", "alternative")
"""Statements that weigh most in the ranking."""


@dataclass
class Document:
    title: list = field(default_factory=list)  # values of TITLE_TERMS statements
    body: list = field(default_factory=list)  # every other value
    labels: list = field(default_factory=list)  # (preferred label, variants) of linked records
    full_text: str = ""

    def add(self, term, value):
        """Add a statement's value; statements are added in their item's order."""
        if value:
            (self.title if term in TITLE_TERMS else self.body).append(value)

    def link(self, authority_ids, labels):
        """Set the linked records, given their ids in statement order and authority_labels()."""
        self.labels = [labels[pk] for pk in dict.fromkeys(authority_ids) if pk in labels]

    def body_texts(self):
        """Body values, then each linked record as one text: "Diakonoff; Diakonov; Dyakonov"."""
        return self.body + ["; ".join([preferred, *variants]) for preferred, variants in self.labels]


def documents(item_ids):
    """{item id: Document} for the items of `item_ids` that exist, in four queries."""
    return _documents(
        Item.objects.filter(pk__in=item_ids), Statement.objects.filter(item_id__in=item_ids), labels=None
    )


def documents_between(first, last, labels):
    """{item id: Document} for the items with ids first to last, in two queries.

    For rebuilding the whole index: a range reads faster than a list of ids, and `labels`
    (authority_labels() of every record) is read once for all batches.
    """
    return _documents(
        Item.objects.filter(pk__range=(first, last)),
        Statement.objects.filter(item_id__gte=first, item_id__lte=last),
        labels=labels,
    )


def _documents(items, statements, labels):
    found = {pk: Document(full_text=text) for pk, text in items.values_list("pk", "full_text")}
    linked = {}
    rows = statements.order_by("item_id", "position", "id").values_list("item_id", "term", "value", "authority_id")
    for item_id, term, value, authority_id in rows:
        document = found.get(item_id)
        if document is None:  # its item was deleted between the two queries
            continue
        document.add(term, value)
        if authority_id:
            linked.setdefault(item_id, []).append(authority_id)
    if labels is None:
        labels = authority_labels({pk for pks in linked.values() for pk in pks})
    for item_id, authority_ids in linked.items():
        found[item_id].link(authority_ids, labels)
    return found


def authority_labels(authority_ids=None):
    """{authority id: (preferred label, [variant labels])} of these records (None: all), in two queries."""
    records = Authority.objects.all() if authority_ids is None else Authority.objects.filter(pk__in=authority_ids)
    labels = {pk: (label, []) for pk, label in records.values_list("pk", "preferred_label")}
    variants = AuthorityVariant.objects.all() if authority_ids is None else AuthorityVariant.objects.filter(
        authority_id__in=labels
    )
    for authority_id, label in variants.order_by("authority_id", "label").values_list("authority_id", "label"):
        if authority_id in labels:
            labels[authority_id][1].append(label)
    return labels
