"""Strings of Django's own admin (5.2) that Django's Norwegian catalogue lacks, or words with a
gender that Arkiv's nouns do not have ("Legg til ny objekt": objekt is neuter).

Marked here only so that `manage.py update_translations` extracts them into catalog/locale,
whose translations Django reads before its own (LOCALE_PATHS): the admin's templates then show
them in Norwegian like the rest. Nothing imports this module. An entry can go once Django's
catalogue has it (tests/admin/test_norwegian.py renders the admin in Norwegian and lists any
English left).
"""
from django.utils.translation import gettext_noop, ngettext_lazy

GAPS = (
    gettext_noop("Skip to main content"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Set password"),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for this user."),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
)
# Django's Norwegian, worded so that it fits a noun of any gender.
GENDERED = (
    gettext_noop("Add %s"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Delete selected %(model)s"),
)
PLURAL_GAPS = (
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", "count"),
    ngettext_lazy("entry", "entries", "count"),
)
