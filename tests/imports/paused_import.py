"""Run the real import_csv in a process of its own, pausing once it is under way until told to go on.

    DATABASE_URL=… python tests/imports/paused_import.py ITEMS.csv PAUSED RESUME

Once the first chunk of rows is planned, it creates the file PAUSED and waits until the file RESUME
exists, so that a test can act while an import is known to be running; then it finishes, and
prints the result as JSON. Used by test_admin_during_import.py.
"""
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 600
"""Longest wait for RESUME: a test that died must not leave this process behind for ever."""


def main(csv_path, paused, resume):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from catalog.imports.csv import Options, PlanStore, import_csv

    def pause_once(done):
        if paused.exists():
            return
        paused.touch()
        for _ in range(WAIT_SECONDS * 100):
            if resume.exists():
                return
            time.sleep(0.01)

    with tempfile.TemporaryDirectory() as work, open(csv_path, "rb") as stream:
        store = PlanStore(Path(work) / "plan.sqlite3")
        result = import_csv(stream, store=store, options=Options(), apply=True, progress=pause_once)
        store.close()
    print(json.dumps(result.as_json()))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
