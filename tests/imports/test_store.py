"""PlannedWrites: prepared batches kept between planning and writing, in memory up to a limit
of items and pickled to a file beyond it, read back in order, with a new authority record
named by several batches coming back as one object."""
from catalog.imports.apply import Batch
from catalog.imports.lookup import PendingAuthority
from catalog.imports.store import PlannedWrites


def batch(identifiers, authorities=()):
    made = Batch(states={identifier: None for identifier in identifiers})
    made.authorities = list(authorities)
    made.statements = [(identifier, "subject", "x", "", record, 0, None) for identifier in identifiers for record in authorities]
    return made


def test_batches_come_back_in_order_from_memory_and_file(monkeypatch):
    monkeypatch.setattr(PlannedWrites, "IN_MEMORY_ITEMS", 3)
    batches = [batch(["a", "b"]), batch(["c"]), batch(["d", "e"]), batch(["f"])]
    with PlannedWrites() as planned:
        for each in batches:
            planned.put(each)
        assert planned.in_memory_items == 3 and planned.batches == 2  # the third would pass the limit
        read = list(planned)
    assert [list(each.states) for each in read] == [["a", "b"], ["c"], ["d", "e"], ["f"]]
    assert read[0] is batches[0]  # kept as it was, not copied
    assert read[2] is not batches[2]  # pickled and read back


def test_a_new_record_named_by_batches_on_file_is_one_object(monkeypatch):
    monkeypatch.setattr(PlannedWrites, "IN_MEMORY_ITEMS", 1)
    record = PendingAuthority(kind="concept", label="Fiske")
    with PlannedWrites(by_reference=[PendingAuthority]) as planned:
        planned.put(batch(["a"], [record]))
        planned.put(batch(["b"], [record]))
        planned.put(batch(["c"]))  # names none: pickled without the by-reference check
        first, second, third = list(planned)
    assert first.authorities[0] is record
    assert second.authorities[0] is record and second.statements[0][4] is record
    record.pk = 7  # created once, while the first batch is written: every batch sees its id
    assert second.statements[0][4].pk == 7
    assert list(third.states) == ["c"] and third.authorities == []
