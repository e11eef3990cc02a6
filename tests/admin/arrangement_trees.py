"""A small arrangement for the admin's tests: fonds KF with series A and B, file A/1, item A/1/7."""
from catalog.models import Item, Level
from tests.factories import ItemFactory


def level(code):
    return Level.objects.get(code=code)


def unit(identifier, *, parent=None, level_code="item", code="", status=Item.PUBLISHED, position=None):
    made = ItemFactory(identifier=identifier, status=status, dcmi_type="Collection", title=f"Title of {identifier}")
    made.parent, made.level, made.local_code = parent, level(level_code), code
    if position is not None:
        made.position = position
    made.save()
    return made


def make_tree():
    fonds = unit("kf", level_code="fonds", code="KF")
    series_a = unit("kf-a", parent=fonds, level_code="series", code="A", position=0)
    series_b = unit("kf-b", parent=fonds, level_code="series", code="B", position=1)
    file_1 = unit("kf-a-1", parent=series_a, level_code="file", code="1")
    note = unit("note-0924", parent=file_1, code="7")
    return {"fonds": fonds, "a": series_a, "b": series_b, "file": file_1, "note": note}


def fresh(item):
    return Item.objects.get(pk=item.pk)
