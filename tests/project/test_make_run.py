"""`make run` serves the site and runs the task worker beside it, as one command: an import
confirmed in the admin is applied without starting anything else, and Ctrl-C (SIGINT to the
terminal's process group) stops the web server and the worker together."""
import html
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalog.imports import jobs
from catalog.models import Item
from tests.imports.test_admin_during_import import Admin, _answers, free_port
from tests.test_tasks import TIMEOUT, Shared, planned_job, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make"),
]

ROOT = Path(__file__).resolve().parents[2]


def session_processes(session):
    """The ids of the processes still alive in the session `session`."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session and "(Z)" not in " ".join((entry / "stat").read_text().split()[2:3]):
                    alive.append(int(entry.name))
            except (ProcessLookupError, PermissionError, FileNotFoundError):
                pass
    return alive


def test_make_run_applies_a_confirmed_import_and_ctrl_c_stops_server_and_worker(tmp_path, settings, django_user_model):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"
    user = django_user_model.objects.create_superuser("archivist", password="a-long-test-passphrase")
    job = planned_job(user, 30)
    shared = Shared(tmp_path)
    shared.push()
    port = free_port()
    environment = {
        "PATH": os.environ["PATH"], "DATABASE_URL": shared.url, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ARKIV_IMPORT_DIR": str(settings.ARKIV_IMPORT_DIR), "ARKIV_IMPORT_BACKGROUND_BYTES": "0",
    }
    log = (tmp_path / "make.log").open("w")
    # `-o prepare`: the steps before serving (install, migrate, demo) are tested in test_load_demo.
    make = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), "-o", "prepare", "run", f"PY={sys.executable}",
         f"HOST=127.0.0.1:{port}"], env=environment, stdout=log, stderr=log, start_new_session=True,
    )
    try:
        admin = Admin(f"http://127.0.0.1:{port}")
        wait_for(lambda: _answers(admin.base), "make run to serve", make)
        assert admin.login().status_code == 302
        address = f"{admin.base}/admin/catalog/item/import/{job.token}/"
        token = admin.http.get(address, timeout=TIMEOUT).text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        assert admin.http.post(address, data={"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=TIMEOUT).status_code == 302

        wait_for(lambda: job.status["state"] == jobs.APPLIED, "the worker of make run to apply the import", make)
        assert "Imported items.csv" in html.unescape(admin.http.get(address, timeout=TIMEOUT).text)
        assert len(session_processes(make.pid)) >= 3  # make's shell, runserver (and its reloader), the worker

        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C in the terminal
        make.wait(timeout=TIMEOUT)
        for _ in range(TIMEOUT * 10):
            if not session_processes(make.pid):
                break
            time.sleep(0.1)
        assert session_processes(make.pid) == []
    finally:
        if make.poll() is None or session_processes(make.pid):
            os.killpg(make.pid, signal.SIGKILL)
        log.close()
    shared.pull()
    assert Item.objects.filter(identifier__startswith="kir-").count() == 30
