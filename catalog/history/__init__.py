"""History with revert: who changed what, when and through what, and a way back.

django-reversion keeps the record: a Revision is one change set (one admin request, one CSV or
EAD import, one batch edit, one merge, one restore or undo), with its user, time and comment; a
ChangeSet beside it (models.py) says through what it was made. An item's Version holds the whole
item as it stood after the change set: its fields, its collections, and, embedded by the
serializer of format "arkiv" (serializer.py), its statements and digital files, so that one
indexed row answers "what did this item look like then" (see serializer.py for why not
reversion's `follow`). Authority records embed their variants and links the same way.

    recording.changes(source=..., user=...)   a change set around single saves (admin, commands)
    bulk.BulkRecorder                          the import engine's change sets, written in bulk
    states.py / diff.py                        an item's versions read back and compared
    restore.py / undo.py                       an item put back as it was; a change set undone

History is never shown to visitors: only the admin reads it. Versions name objects by id and
have no foreign key to them, so an item's history survives the item's purge.
"""
