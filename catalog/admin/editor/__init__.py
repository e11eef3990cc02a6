"""The item editor: statements grouped by element, and templates per kind of material.

statements.py   the statement form and formset the editor renders by section (sections(), the
                required elements a publish misses, empty rows that are not saved)
inline.py       StatementEditor, the mixin that turns the item page's statement inline into the
                editor (template admin/catalog/item/statement_editor.html, script
                catalog/editor.js), with the empty rows of the item's template
item_form.py    TemplateChoice, the item form's “template” field: a new item's defaults, and the
                TemplateUse link
templates.py    the admin of the templates themselves
widgets.py      TermSelect, the term select drawn without a template per option (speed)

Without JavaScript the editor is a plain formset laid out by section: every value has its term,
language, authority and position as fields, and empty rows to add values. catalog/editor.js
enhances it: positions become drag and keyboard reordering, “Add” sits on each element, and the
term select offers only the element's refinements.
"""
