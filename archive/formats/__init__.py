"""Date formats of the interface languages where Arkiv differs from Django's (FORMAT_MODULE_PATH).

One module a language, `<code>/formats.py`; a format it does not set is Django's for that language.
"""
