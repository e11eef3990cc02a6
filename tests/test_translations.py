"""Every language Arkiv offers is complete, and its .po file is up to date with the code.

The gate of ambient-toolbox's validate_translation_file_integrity, as tests: for each language
of LANGUAGES but English (the source), no untranslated, fuzzy or obsolete entry, the same
placeholders in every translation as in its source, and a fresh extraction from the code gives
exactly the entries the file has. The failure lists the strings concerned.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|%[sdfr]|\{\w*\}")


def catalogue(language):
    return polib.pofile(str(settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po"))


def listed(entries):
    return "\n".join(f"  {entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}" for entry in entries)


def test_norwegian_bokmal_is_offered():
    assert "nb" in TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated(language):
    untranslated = catalogue(language).untranslated_entries()
    assert not untranslated, f"{len(untranslated)} strings have no {language} translation:\n{listed(untranslated)}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_is_fuzzy_or_obsolete(language):
    po = catalogue(language)
    doubtful = po.fuzzy_entries() + po.obsolete_entries()
    assert not doubtful, f"fuzzy or obsolete in {language}:\n{listed(doubtful)}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_their_source(language):
    wrong = []
    for entry in catalogue(language).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if any(sorted(PLACEHOLDER.findall(text)) != expected for text in translations if text):
            wrong.append(entry)
    assert not wrong, f"placeholders differ from the source in {language}:\n{listed(wrong)}"


@pytest.fixture(scope="module")
def fresh_extraction(tmp_path_factory):
    """The .po files that update_translations makes from the code as it is, in a copy of the
    project, so that the working tree is never touched."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed to extract the strings: `make gettext` installs it")
    copy = tmp_path_factory.mktemp("extraction") / "arkiv"
    copy.mkdir()
    for name in ("manage.py",):
        shutil.copy(ROOT / name, copy / name)
    for folder in ("archive", "catalog"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "schemas"))
    subprocess.run(
        [sys.executable, "manage.py", "update_translations", "-v", "0"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "extraction", "DATABASE_URL": "sqlite://:memory:"},
    )
    return copy / "catalog" / "locale"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_translation_file_is_up_to_date_with_the_code(language, fresh_extraction):
    def keys(po):
        return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}

    fresh = keys(polib.pofile(str(fresh_extraction / language / "LC_MESSAGES" / "django.po")))
    kept = keys(catalogue(language))
    missing, stale = sorted(fresh - kept, key=str), sorted(kept - fresh, key=str)
    assert not missing and not stale, (
        "catalog/locale is out of date with the code: run `make messages` and translate.\n"
        f"In the code, not in the {language} file: {missing}\nIn the file, no longer in the code: {stale}"
    )
