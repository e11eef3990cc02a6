"""TermSelect and TermField: the statement's term, drawn and copied at the cost of one row.

TermSelect draws the select in Python rather than through templates.

Each statement row of the editor has a select of every term (55, in groups by element). Django
draws a select through a template per option: for an item of 50 statements that was 2,800
template renders, a third of the change form's time (230 of 600 ms at 100,000 items under
load). This widget writes the same HTML (the same attributes, groups, options and selection)
with string joins; its options are the field's choices as ever.

TermField shares its choices with the form's other copies: a form copies every field on
creation, and ChoiceField copies its choices deeply, 55 terms in groups for each of 50 rows
(half of the time spent making the rows). The terms are constants, never changed in place.
"""
from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


class TermSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        values = set(self.format_value(value))
        attributes = self.build_attrs(self.attrs, attrs)
        lines = [format_html('<select name="{}"{}>', name, flatatt(attributes))]
        has_selected = False
        for line in self._drawn():
            if isinstance(line, str):
                lines.append(line)
                continue
            option_value, plain, selected = line
            # As Django's Select: only the first option with the value is selected.
            if not has_selected and option_value in values:
                has_selected = True
                lines.append(selected)
            else:
                lines.append(plain)
        lines.append("</select>")
        return mark_safe("\n".join(lines))

    def _drawn(self):
        """The options' lines, drawn once per language for these choices: group tags as strings,
        each option as (value, its line, its line selected). Fifty rows of 55 terms were 2,750
        translated and escaped labels a change form (a third of its time at 50 statements)."""
        # Each row's widget has its own copy of the list (Select copies it), of the same entries.
        entries = tuple(self.choices)
        key = (tuple(map(id, entries)), get_language())
        found = _DRAWN.get(key)
        if found is not None:  # the entries are kept with it, so their ids are not reused meanwhile
            return found[1]
        lines = []
        for group, options in self._groups():
            if group is not None:
                lines.append(format_html('  <optgroup label="{}">', group))
            for option_value, label in options:
                option_value = "" if option_value is None else str(option_value)
                start, end = f'  <option value="{conditional_escape(option_value)}"', f">{conditional_escape(label)}</option>"
                lines.append((option_value, start + end, start + " selected" + end))
            if group is not None:
                lines.append("  </optgroup>")
        if len(_DRAWN) >= MAX_DRAWN:
            _DRAWN.clear()
        _DRAWN[key] = (entries, lines)
        return lines

    def _groups(self):
        """(group label or None, [(value, label), …]) in the order of the choices."""
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                yield option_value, label
            else:
                yield None, [(option_value, label)]


_DRAWN = {}
MAX_DRAWN = 64
"""Choice lists drawn and kept (one per language, in practice): a bound, never reached."""


class TermField(forms.TypedChoiceField):
    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)  # the widget copied, the choices shared
