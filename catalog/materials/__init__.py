"""Templates per kind of material: what a photograph, a letter, a clipping or a fonds ought to be
described with, and what it must have before it is published.

A template (MaterialTemplate) names Dublin Core terms in order (TemplateElement), marks some of
them required for publishing, and gives defaults for a new unit (DCMI type, level, rights
statement, the language of its values, a collection). An item started from a template keeps the
link (TemplateUse), and every way of publishing it (the admin's status field and list action,
services.item_publish) refuses while one of the required elements has no value (rules.py).

A required term stands for its editor section (dublincore.EDITOR_SECTIONS): a photograph's
required “created” is met by any date, since the archivist may choose another refinement of the
same element in the editor.

An app of its own, with its own tables, so that the catalog app's migrations stay untouched; it
sits beside the models (services may ask it), below the admin, which edits it.
"""
