"""Case-sensitive `startswith` and `contains`, the same on every database.

Django's `__startswith` and `__contains` are LIKE, and SQLite's LIKE ignores the case of ASCII
letters while PostgreSQL's does not: an OAI set name matched with them finds "fonds:series"
for "FONDS" on SQLite only. These lookups are used as expressions,
`Collection.objects.filter(StartsWithExactly(F("set_spec"), "fonds:"))`, and need no
registration.

On SQLite they are GLOB, which compares case-sensitively and, unlike a LIKE made
case-sensitive by `PRAGMA case_sensitive_like` (which would change every other LIKE of the
connection, `__iexact` and `__icontains` included), can still read a prefix from an index
built with the default BINARY collation, as set_spec's unique index is. A range comparison
(`>= "fonds:" AND < "fonds;"`) would do as well on SQLite but not on PostgreSQL, whose
linguistic collations do not order punctuation by code point. Elsewhere they are Django's own
lookups: PostgreSQL's LIKE is case-sensitive already and reads the `_like` index Django makes
for indexed text columns.
"""
from django.db.models.lookups import Contains, StartsWith


def glob_escape(text):
    """`text` as a GLOB pattern matching only itself: GLOB has no ESCAPE clause, but a
    metacharacter inside brackets stands for itself."""
    return "".join(f"[{char}]" if char in "*?[" else char for char in text)


class _Glob:
    pattern = "%s"  # where the escaped value goes in the GLOB pattern

    def as_sqlite(self, compiler, connection):
        if not isinstance(self.rhs, str):
            raise TypeError(f"{type(self).__name__} compares with a string, not {self.rhs!r}.")
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} GLOB %s", [*params, self.pattern % glob_escape(self.rhs)]


class StartsWithExactly(_Glob, StartsWith):
    """The field begins with the value, letter case included."""

    pattern = "%s*"


class ContainsExactly(_Glob, Contains):
    """The field contains the value, letter case included."""

    pattern = "*%s*"
