"""The row plan's stored diff (catalog/imports/plan.py, RowPlan.diff_text)."""
import json

from catalog.imports.plan import Change, RowPlan


def _plan(*changes):
    return RowPlan(row=2, identifier="kirkenes-1944", changes=list(changes))


def test_the_diff_is_the_changes_as_json_letters_beyond_ascii_as_they_are():
    plan = _plan(
        Change("dc:title@nb", ["Kirkenes frigjort"], ['«Kirkenes» "frigjort" 25. oktober 1944 – Освобождение']),
        Change("rights_uri", [], ["http://rightsstatements.org/vocab/CNE/1.0/"], ["note"]),
    )
    assert json.loads(plan.diff_text) == [change.as_json() for change in plan.changes]
    assert "Освобождение" in plan.diff_text  # not \\u-escaped: the store keeps text as people read it


def test_a_lone_surrogate_is_written_as_json_writes_it_not_refused():
    plan = _plan(Change("dc:description", [], ["broken \ud800 text"]))
    assert plan.diff_text == json.JSONEncoder(ensure_ascii=False).encode([plan.changes[0].as_json()])


def test_no_changes_no_diff():
    assert _plan().diff_text is None
    failed = _plan(Change("dc:title", [], ["x"]))
    failed.fail("dc:title", "wrong")
    assert failed.diff_text is None
