"""A translator adds a language with one .po file and nothing else (issue 10: Northern Sami)."""
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import polib
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

PROBE = textwrap.dedent("""
    import django, os
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("compile_translations", verbosity=0)
    response = Client().get("/items/", HTTP_ACCEPT_LANGUAGE="se")
    page = response.content.decode()
    print(dict(settings.LANGUAGES)["se"])
    print(response["Content-Language"])
    print("davvisámegiella" in page, "Ohcat" in page)
""")


def test_one_po_file_adds_northern_sami_to_the_site(tmp_path):
    copy = tmp_path / "arkiv"
    copy.mkdir()
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    for folder in ("archive", "catalog"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # The translator's one file: here the Norwegian one with one string in Northern Sami.
    sami = polib.pofile(str(ROOT / "catalog" / "locale" / "nb" / "LC_MESSAGES" / "django.po"))
    sami.metadata["Language"] = "se"
    for entry in sami:
        if entry.msgid == "Search":
            entry.msgstr = "Ohcat"
    folder = copy / "catalog" / "locale" / "se" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    sami.save(str(folder / "django.po"))

    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=copy, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "probe", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
             "MEDIA_ROOT": str(tmp_path / "media"), "STATIC_ROOT": str(tmp_path / "static")},
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split("\n")[:3] == ["davvisámegiella", "se", "True True"]
