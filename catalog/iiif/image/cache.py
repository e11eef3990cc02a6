"""Images the server has made, kept on disk so that the next request for them is a file sent.

Each is a file named by the hash of what it depends on (the file's checksum, the service's source
and size, and the request resolved to pixels), under ARKIV_IIIF_CACHE_DIR (default
MEDIA_ROOT/iiif-cache, which no route serves: a cached image goes out only after the visibility
rule, through the delivery's file sending). A hit sets the file's modification time, and every
TRIM_EVERY writes a process removes the least recently used files once the folder holds more than
ARKIV_IIIF_CACHE_BYTES, down to nine tenths of it. Deleting the folder at any time is safe.
"""
import hashlib
import logging
import os
import threading
from contextlib import suppress
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

TRIM_EVERY = 200
"""Writes between two looks at the cache's size (a look lists every file in it)."""

_writes = 0
_writes_lock = threading.Lock()


def root():
    return Path(settings.ARKIV_IIIF_CACHE_DIR or Path(settings.MEDIA_ROOT) / "iiif-cache")


def key(*parts):
    return hashlib.sha256("\n".join(str(part) for part in parts).encode()).hexdigest()


def path_of(cache_key, extension):
    return root() / cache_key[:2] / f"{cache_key}.{extension}"


def get(cache_key, extension):
    """The cached file's path, or None."""
    path = path_of(cache_key, extension)
    try:
        os.utime(path)  # recently used; also tells whether it exists, in one call
    except OSError:  # not there, or no cache to be had
        return None
    return path


def put(cache_key, extension, data):
    """Keep `data`; its path, or None if the cache could not be written (logged)."""
    path = path_of(cache_key, extension)
    scratch = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(data)
        os.replace(scratch, path)  # readers see the whole file or none
    except OSError:
        logger.exception("Could not write to the IIIF cache %s", root())
        with suppress(OSError):
            scratch.unlink(missing_ok=True)
        return None
    _count_write()
    return path


def _count_write():
    global _writes
    with _writes_lock:
        _writes += 1
        due = _writes % TRIM_EVERY == 0
    if due:
        trim()


def trim(limit=None):
    """Remove the least recently used files until the cache holds at most nine tenths of
    `limit` bytes (default ARKIV_IIIF_CACHE_BYTES), if it holds more than `limit`."""
    limit = settings.ARKIV_IIIF_CACHE_BYTES if limit is None else limit
    files, total = [], 0
    for folder, _folders, names in os.walk(root()):
        for name in names:
            path = os.path.join(folder, name)
            try:
                status = os.stat(path)
            except FileNotFoundError:  # another process removed it
                continue
            files.append((status.st_mtime, status.st_size, path))
            total += status.st_size
    if total <= limit:
        return 0
    removed = 0
    for _mtime, size, path in sorted(files):
        if total <= limit * 0.9:
            break
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        total -= size
        removed += 1
    return removed
