"""IIPImage, the reference image server of benchmarks/iiif.py, behind lighttpd's FastCGI.

    with iipimage(root="/tmp/pyramids", processes=2) as base:   # base + "?IIIF=name.tif/info.json"
        ...

Debian's `iipimage-server` (1.1 in bookworm, which speaks IIIF Image API 2.1 at level 1 through
its IIIF= parameter) and `lighttpd` (its FastCGI front, as IIPImage's own documentation shows):
`make iipimage` installs both with apt-get; nothing of theirs is kept in the repository. lighttpd
runs with a configuration of our own in a scratch folder, on a free 127.0.0.1 port, starting
`processes` iipsrv processes (the benchmark gives it as many as gunicorn has workers), and is
stopped, with them, at the end. Files are named relative to `root` (FILESYSTEM_PREFIX).
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

IIPSRV = Path("/usr/lib/iipimage-server/iipsrv.fcgi")
LIGHTTPD = shutil.which("lighttpd") or "/usr/sbin/lighttpd"
FCGI_PATH = "/fcgi-bin/iipsrv.fcgi"
INSTALL = "make iipimage (apt-get install iipimage-server lighttpd)"
# Its in-memory cache of encoded tiles: large enough for every tile the benchmark asks, so warm
# requests are its best case (the default is 10 MB).
CACHE_MB = 512

CONFIGURATION = """
server.document-root = "{scratch}"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{scratch}/lighttpd-error.log"
server.max-connections = 1024
server.modules += ("mod_fastcgi")
fastcgi.server = ( "{path}" =>
  (( "socket" => "{scratch}/iipsrv.sock",
     "check-local" => "disable",
     "min-procs" => {processes},
     "max-procs" => {processes},
     "bin-path" => "{iipsrv}",
     "bin-environment" => (
        "LOGFILE" => "{scratch}/iipsrv.log",
        "VERBOSITY" => "0",
        "FILESYSTEM_PREFIX" => "{root}/",
        "MAX_IMAGE_CACHE_SIZE" => "{cache_mb}",
        "JPEG_QUALITY" => "{quality}",
        "CORS" => "*"
     )
  ))
)
"""


def missing():
    """What is missing to run IIPImage here, or None."""
    absent = [str(path) for path in (IIPSRV, Path(LIGHTTPD)) if not Path(path).exists()]
    return f"{', '.join(absent)} not found: {INSTALL}" if absent else None


def version():
    """The installed iipimage-server package's version, as dpkg has it."""
    done = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "iipimage-server"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


class iipimage:
    """lighttpd and `processes` iipsrv serving files under `root`; yields the FastCGI URL."""

    def __init__(self, root, processes=2, quality=75):
        self.root, self.processes, self.quality = Path(root).resolve(), processes, quality

    def __enter__(self):
        self.scratch = tempfile.TemporaryDirectory(prefix="arkiv-iipimage-")
        port = free_port()
        configuration = Path(self.scratch.name) / "lighttpd.conf"
        configuration.write_text(CONFIGURATION.format(
            scratch=self.scratch.name, port=port, path=FCGI_PATH, processes=self.processes,
            iipsrv=IIPSRV, root=self.root, cache_mb=CACHE_MB, quality=self.quality,
        ))
        # A session of its own, so that lighttpd and the iipsrv processes it starts stop together.
        self.process = subprocess.Popen(
            [LIGHTTPD, "-D", "-f", str(configuration)], start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}{FCGI_PATH}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(base, timeout=5) as response:
                    response.read()
                return base
            except urllib.error.HTTPError:  # it answers, if only that it was asked nothing
                return base
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        error = self.process.stderr.read().decode() if self.process.poll() is not None else ""
        self.__exit__()
        raise RuntimeError(f"lighttpd with IIPImage did not start: {error}")

    def __exit__(self, *exc):
        # lighttpd stops the iipsrv processes it started; anything left of its session after it.
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self.scratch.cleanup()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
