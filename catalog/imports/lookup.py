"""What rows are matched against: authority labels, collections and levels of description,
loaded once per import.

Authority matching ignores case and runs of spaces (format.fold). Two queries load every label;
a catalogue has far fewer authority records than rows to import.
"""
import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .. import dublincore
from ..models import Authority, AuthorityVariant, Collection, Level
from ..models.levels import ITEM as ITEM_LEVEL
from .format import fold, reference, split_reference

AMBIGUOUS = _(
    "“{value}” matches {count} {kind} records ({slugs}): name the one you mean by its address, "
    "as in “{example}”, or merge the duplicates in the admin."
)
NO_SUCH_RECORD = _(
    "No authority record has the address “{slug}”: copy it from the record's page, or remove "
    "the <…> to match by name."
)
WRONG_KIND = _("“{slug}” is {a_kind} record, and {column} takes {kinds} records: name another record.")
NOT_FOUND = _(
    "“{value}” is not the name or a variant of any {kinds} record: correct the spelling, add the "
    "record (or the variant) in the admin, or import with “create authorities” to add it."
)
LABEL_TOO_LONG = _("“{value}…” is too long for a new authority record: use at most 255 characters.")
# The kinds of record as sentences name them, shared with the admin's messages.
KIND_NAMES = Authority.KIND_NAMES
# Notes on how a name was matched, shown beside the change in the preview.
MATCHED = _("“{value}” is the {kind} record “{label}”")
MATCHED_VARIANT = _("“{value}” (a variant) is the {kind} record “{label}”")
MATCHED_ADDRESS = _("“{value}” is the {kind} record “{label}” ({slug})")
WILL_BE_NEW = _("“{value}” will be a new {kind} record")


@dataclass
class PendingAuthority:
    """An authority record the import will create, once, for every row that names it."""

    kind: str
    label: str
    pk: int | None = None  # set when created


@dataclass
class Match:
    authority_id: int | None = None
    pending: PendingAuthority | None = None
    note: str = ""


@dataclass
class Authorities:
    records: dict = field(default_factory=dict)  # pk -> (kind, preferred label, slug)
    by_label: dict = field(default_factory=dict)  # folded label -> [(pk, is preferred)]
    labels: dict = field(default_factory=dict)  # pk -> {folded labels}
    by_slug: dict = field(default_factory=dict)  # slug -> pk
    pending: dict = field(default_factory=dict)  # (kind, folded label) -> PendingAuthority
    resolved: dict = field(default_factory=dict)  # (value, term, create) -> Match or message

    @classmethod
    def load(cls):
        found = cls()
        for pk, kind, label, slug in Authority.objects.values_list("pk", "kind", "preferred_label", "slug").iterator(chunk_size=5000):
            found.records[pk] = (kind, label, slug)
            found.by_slug[slug] = pk
            found._index(pk, label, preferred=True)
        for pk, label in AuthorityVariant.objects.values_list("authority_id", "label").iterator(chunk_size=5000):
            found._index(pk, label, preferred=False)
        return found

    def _index(self, pk, label, preferred):
        folded = fold(label)
        self.by_label.setdefault(folded, []).append((pk, preferred))
        self.labels.setdefault(pk, set()).add(folded)

    def names(self, pk, value):
        """Whether `value` names record `pk`: by its address, or by its preferred label or a
        variant."""
        label, slug = split_reference(value)
        if slug is not None:
            return self.by_slug.get(slug) == pk
        return fold(label) in self.labels.get(pk, ())

    def preferred_label(self, pk):
        return self.records[pk][1]

    def resolve(self, value, term, *, create):
        """The record a value of `term` stands for. Raises ValueError with a message to show.

        Names repeat from row to row, and the answer for a name cannot change during an import
        (a record it creates is found the same way each time), so each is worked out once."""
        key = (value, term, create)
        if key not in self.resolved:
            try:
                self.resolved[key] = self._resolve(value, term, create=create)
            except ValueError as error:
                self.resolved[key] = str(error)
        found = self.resolved[key]
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def _resolve(self, value, term, *, create):
        kinds = dublincore.AUTHORITY_KINDS[term]
        value, slug = split_reference(value)
        if slug is not None:
            return self._by_address(value, slug, term, kinds)
        folded = fold(value)
        candidates = [(pk, preferred) for pk, preferred in self.by_label.get(folded, ()) if self.records[pk][0] in kinds]
        if candidates:
            # A preferred label beats a variant; then the first kind the term prefers.
            best = min((not preferred, kinds.index(self.records[pk][0])) for pk, preferred in candidates)
            chosen = sorted({pk for pk, preferred in candidates if (not preferred, kinds.index(self.records[pk][0])) == best})
            kind, label, _ = self.records[chosen[0]]
            if len(chosen) > 1:
                slugs = ", ".join(self.records[pk][2] for pk in chosen)
                raise ValueError(AMBIGUOUS.format(
                    value=value, count=len(chosen), kind=KIND_NAMES[kind], slugs=slugs,
                    example=reference(value, self.records[chosen[0]][2]),
                ))
            note = MATCHED_VARIANT if best[0] else MATCHED
            return Match(authority_id=chosen[0], note=note.format(value=value, kind=KIND_NAMES[kind], label=label))
        for kind in kinds:
            if (kind, folded) in self.pending:
                return Match(pending=self.pending[(kind, folded)], note=WILL_BE_NEW.format(value=value, kind=KIND_NAMES[kind]))
        if not create:
            raise ValueError(NOT_FOUND.format(value=value, kinds=Authority.kind_names(kinds)))
        if len(value) > 255:
            raise ValueError(LABEL_TOO_LONG.format(value=value[:40]))
        pending = self.pending[(kinds[0], folded)] = PendingAuthority(kinds[0], value)
        return Match(pending=pending, note=WILL_BE_NEW.format(value=value, kind=KIND_NAMES[kinds[0]]))

    def _by_address(self, value, slug, term, kinds):
        pk = self.by_slug.get(slug)
        if pk is None:
            raise ValueError(NO_SUCH_RECORD.format(slug=slug))
        kind, label, _ = self.records[pk]
        if kind not in kinds:
            raise ValueError(WRONG_KIND.format(
                slug=slug, a_kind=Authority.KIND_WITH_ARTICLE[kind], column=dublincore.qualified_name(term),
                kinds=Authority.kind_names(kinds),
            ))
        return Match(authority_id=pk, note=MATCHED_ADDRESS.format(value=value, kind=KIND_NAMES[kind], label=label, slug=slug))


@dataclass
class Collections:
    by_name: dict  # identifier or set_spec -> pk
    identifiers: dict  # pk -> identifier
    set_specs: dict  # pk -> set_spec

    @classmethod
    def load(cls):
        rows = list(Collection.objects.values_list("pk", "identifier", "set_spec"))
        by_name = {set_spec: pk for pk, _, set_spec in rows}
        by_name.update({identifier: pk for pk, identifier, _ in rows})
        return cls(by_name, {pk: ident for pk, ident, _ in rows}, {pk: spec for pk, _, spec in rows})


LEVEL_UNKNOWN = _(
    "“{value}” is not a level of description{hint}: use one of {codes}, or add the level in the "
    "admin first."
)
LEVEL_DID_YOU_MEAN = _(" (did you mean “{code}”?)")


@dataclass
class Levels:
    """The levels of description by code. A cell names a level by its code in any letter case;
    a level's name (“Sub-fonds”, or a typo of a code) only earns a suggestion, since names are
    translated and a file must mean the same in every language."""

    by_code: dict  # code -> pk
    codes: dict  # pk -> code
    default: int  # the pk of the level of a unit nobody gave one (an item)
    names: dict = field(default_factory=dict)  # folded name -> code, for suggestions

    @classmethod
    def load(cls):
        rows = list(Level.objects.values_list("pk", "code", "name"))
        default = next((pk for pk, code, _name in rows if code == ITEM_LEVEL), None)
        if default is None:
            default = Level.default().pk
            rows.append((default, ITEM_LEVEL, "Item"))
        return cls(
            {code: pk for pk, code, _name in rows}, {pk: code for pk, code, _name in rows}, default,
            {fold(name): code for _pk, code, name in rows},
        )

    def code(self, pk):
        """The code of a level; None (a unit nobody gave a level) is an item."""
        return self.codes[pk if pk is not None else self.default]

    def resolve(self, value):
        """The pk of the level a cell names (empty: the default). Raises ValueError with a
        message to show."""
        value = value.strip()
        if not value:
            return self.default
        pk = self.by_code.get(value.lower())
        if pk is not None:
            return pk
        suggestion = self.names.get(fold(value)) or self.names.get(fold(value.replace("-", "")))
        if suggestion is None:
            close = difflib.get_close_matches(value.lower(), list(self.by_code), n=1, cutoff=0.6)
            suggestion = close[0] if close else None
        hint = LEVEL_DID_YOU_MEAN.format(code=suggestion) if suggestion else ""
        raise ValueError(LEVEL_UNKNOWN.format(value=value, hint=hint, codes=", ".join(self.by_code)))
