"""How many items a search finds, and how many of them each facet value has: counted once, then
kept true by the change log.

A word in half of a catalogue of a million items is in 500,000 items, which have five million
facet-index rows: counting them takes seconds (SQLite's GROUP BY sorts them all). Cached under
the catalogue version, the counts were thrown away by any edit, so the first visitor to search a
common word after an archivist saved anything waited for all of it again. Instead the counts of a
search (whose other filters, if any, are ones the index holds) are kept with a token of the
change log (catalog/facets/changes.py), as the counts under index filters are (facets.patched),
and with the set of items its words matched then: a compressed bitmap (pyroaring), at most about
125 KB at a million items.

A reader brings them up to date by the items logged since the token. Each is looked at twice:
as it was (it matched if it is in the set; its old index rows say whether it was visible and
passed the filters) and as it is (the search index says now whether it matches; its rows now);
the counts move by the difference and the set by its matching now. Both the facet index and the
search index log every item they rewrite (a write of more than changes.ITEMS items logs a marker,
and the counts are then made afresh), so every item whose words or rows moved is looked at.

Counted afresh, the counts are intersections of the matches with the facet index held in memory
(catalog/facets/bitmaps.py), which is brought up to date in the statement that reads the matches
and the token; an index too large to hold is grouped in the database, in one statement with the
matches and the token. Brought up to date, the changes, the changed items' matching now and the
new token are one statement too: what is kept and its token are always of one snapshot.
"""
from pyroaring import BitMap

from ..facets import bitmaps, changes
from ..search.matching import all_matches_read, matching_condition, matching_ids
from .caching import keep, recall


def search_counts(filterset, groups, chosen, count_items):
    """{"count": items found, "facets": {facet: {key: count}}} of the search of `filterset` under
    its other filters, all of them ones the index holds, counted once per filterset.

    `groups`: [(facet names, their other filters as {facet: chosen keys})] for every facet (each
    group is counted over the same items); `chosen`: {facet: chosen keys} of every active index
    filter; `count_items(names)`: the subquery of the items a group is counted over."""
    found = getattr(filterset, "_search_counts", None)
    if found is None:
        found = filterset._search_counts = _kept_or_counted(filterset, groups, chosen, count_items)
    return {"count": found["count"], "facets": found["facets"]}


def visible_matches(filterset, chosen):
    """The ids of the visible items that match the search of `filterset` (search_counts() has
    counted it) and have a chosen key of every facet of `chosen`, as a BitMap: its kept matches
    against the facet bitmaps, so that the best-match candidates (search/topk.py) are not read
    from the search index a second time (at a million items, 80 ms for a word in 5% of the
    items); None where the bitmaps are not held. Every visible item has one type row, and only
    visible items have rows."""
    held, _ = bitmaps.brought_up_to_date()
    if held is None:
        return None
    visible = BitMap.union(BitMap(), *held.bitmaps.get("type", {}).values())
    matches = BitMap.deserialize(filterset._search_counts["matches"]) & visible
    within = held.having(chosen)
    return matches if within is None else matches & within


def _kept_or_counted(filterset, groups, chosen, count_items):
    parts = ("search counts", filterset.signature())
    kept = recall(parts)
    if kept is not None:
        brought = _brought_up_to_date(kept, filterset.query, groups, chosen)
        if brought is not None:
            if brought is not kept:
                keep(parts, brought)
            return brought
    counted = _counted(filterset.query, groups, chosen, count_items)
    keep(parts, counted)
    return counted


def _counted(query, groups, chosen, count_items):
    """Everything counted afresh, with the set of matches and the token: from the facet index
    held in memory (facets/bitmaps.py), brought up to date in the statement that reads the
    matches; else (an index too large to hold) in one statement in the database."""
    sql, params = matching_ids(query)
    with all_matches_read():
        held, found = bitmaps.brought_up_to_date(including=(sql, params))
        if held is None:
            return _counted_in_database(sql, params, groups, chosen, count_items)
    matches, facets = BitMap(found.including), {}
    for names, others in groups:
        within = held.having(others)
        facets.update(held.counts(names, matches if within is None else matches & within))
    return {"token": found.token, "matches": matches.serialize(), "facets": facets, "count": _count(facets, chosen)}


def _counted_in_database(sql, params, groups, chosen, count_items):
    """As _counted, by a GROUP BY over the index rows of the matches, in one statement."""
    from .facets import grouped  # the site's facets use this module

    parts = [f"SELECT -1, NULL, NULL, m.item_id FROM ({sql}) m"]
    for number, (names, _others) in enumerate(groups):
        group_sql, group_params = grouped(names, count_items(names)).query.sql_with_params()
        parts.append(f"SELECT {number}, g.* FROM ({group_sql}) g")
        params = [*params, *group_params]
    rows, token = changes.counted_with_token(" UNION ALL ".join(parts), params, width=4)
    matches, facets = BitMap(), {name: {} for names, _others in groups for name in names}
    for group, facet, key, count in rows:
        if group == -1:
            matches.add(count)
        elif facet in facets:
            facets[facet][key] = count
    return {"token": token, "matches": matches.serialize(), "facets": facets, "count": _count(facets, chosen)}


def _count(facets, chosen):
    """Items found: every visible item has one type row, so the sum of the type counts (of the
    chosen types, if a type is chosen: the type facet is then counted without it)."""
    types = facets["type"]
    return sum(types.get(key, 0) for key in chosen["type"]) if "type" in chosen else sum(types.values())


def _brought_up_to_date(kept, query, groups, chosen):
    """`kept` brought up to date by the items changed since its token; itself if none did; None
    if they cannot be applied (too many, a marker, a token of another log)."""
    changed, token, matching_now, _ = changes.read_since(
        kept["token"], words=True, matching=lambda items: matching_condition(query, "l.item_id", items),
    )
    if changed is None:
        return None
    if not changed:
        return kept
    matches = BitMap.deserialize(kept["matches"])
    facets = {name: dict(counts) for name, counts in kept["facets"].items()}
    for item_id, (old, new) in changed.items():
        for rows, matched, sign in ((old, item_id in matches, -1), (new, item_id in matching_now, 1)):
            if matched:
                for names, others in groups:
                    changes.moved(facets, rows, sign, names, others)
        if item_id in matching_now:
            matches.add(item_id)
        else:
            matches.discard(item_id)
    facets = {name: {key: n for key, n in counts.items() if n > 0} for name, counts in facets.items()}
    return {"token": token, "matches": matches.serialize(), "facets": facets, "count": _count(facets, chosen)}
