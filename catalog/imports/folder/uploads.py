"""Scans uploaded to the admin become a folder on disk: files saved under their own names, or a
zip unpacked safely.

A zip comes from anyone with an account and is unpacked on the server, so each of its names is
checked before anything is written: no absolute path, no drive letter, no “..”, no link, no
encrypted member; and its size is counted as it unpacks, not taken from its directory, which a
zip bomb lies in: past ARKIV_MAX_ZIP_BYTES in all (or a member larger than it said, or than
ARKIV_MAX_UPLOAD_BYTES) it is refused. It may hold at most ARKIV_MAX_ZIP_FILES files. A refused
zip leaves nothing behind (the caller removes the folder).
"""
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ... import imaging
from .. import jobs
from ..store import private_file

NOT_A_ZIP = _("“{name}” is not a zip file Arkiv can open: make it again with your computer's “Compress” command.")
UNSAFE_NAME = _(
    "“{name}” in the zip has a name that leads outside its folder (a leading /, a drive letter or "
    "“..”): make the zip again from the folder itself."
)
LINKED = _("“{name}” in the zip is a link, not a file: put the file itself in the zip.")
ENCRYPTED = _("“{name}” in the zip is encrypted: make the zip again without a password.")
TOO_MANY_FILES = _("The zip holds {count} files, more than the {limit} one upload may have: split it into several zips.")
TOO_LARGE = _(
    "The zip unpacks to more than {limit}, the most one upload may hold (ARKIV_MAX_ZIP_BYTES): split "
    "it into several zips. (A zip that claims less than it holds is refused as a zip bomb.)"
)
MEMBER_TOO_LARGE = _("“{name}” in the zip is larger than it claims, or than the {limit} a file may have: the zip is refused.")

_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_SKIPPED = ("__MACOSX",)  # the Finder's resource forks, beside every file of a zip made on a Mac


class UnsafeZip(Exception):
    """The zip is refused; the message says why."""


def save_files(uploads, folder):
    """Save uploaded files in `folder` under their own names (a name given twice gets a number)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for upload in uploads:
        name = imaging.clean_name(upload.name)
        path, number = folder / name, 1
        while path.exists():
            number += 1
            path = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        jobs._write_private(path, upload.chunks())


def unzip(source, folder):
    """Unpack the zip `source` (a file object) into `folder`; raise UnsafeZip, having perhaps written
    part of it, if it is refused."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsafeZip(NOT_A_ZIP.format(name=getattr(source, "name", "zip"))) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > settings.ARKIV_MAX_ZIP_FILES:
            raise UnsafeZip(TOO_MANY_FILES.format(count=len(members), limit=settings.ARKIV_MAX_ZIP_FILES))
        for member in members:
            _check(member)
        limit = settings.ARKIV_MAX_ZIP_BYTES
        if sum(m.file_size for m in members) > limit:
            raise UnsafeZip(TOO_LARGE.format(limit=filesizeformat(limit)))
        written = 0
        for member in members:
            parts = PurePosixPath(member.filename.replace("\\", "/")).parts
            if parts[0] in _SKIPPED:
                continue
            target = folder.joinpath(*parts)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            written += _extract(archive, member, target, limit - written)


def _check(member):
    name = member.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or _DRIVE.match(name) or ".." in path.parts or "\0" in name or not path.parts:
        raise UnsafeZip(UNSAFE_NAME.format(name=name))
    if stat.S_ISLNK(member.external_attr >> 16):
        raise UnsafeZip(LINKED.format(name=name))
    if member.flag_bits & 0x1:
        raise UnsafeZip(ENCRYPTED.format(name=name))


def _extract(archive, member, target, room):
    """Write one member, counting its bytes as they come; returns how many."""
    most = min(member.file_size, settings.ARKIV_MAX_UPLOAD_BYTES)
    count = 0
    private_file(target)
    try:
        with archive.open(member) as source, target.open("wb") as output:
            while chunk := source.read(_CHUNK):
                count += len(chunk)
                if count > room:
                    raise UnsafeZip(TOO_LARGE.format(limit=filesizeformat(settings.ARKIV_MAX_ZIP_BYTES)))
                if count > most:
                    raise UnsafeZip(MEMBER_TOO_LARGE.format(
                        name=member.filename, limit=filesizeformat(settings.ARKIV_MAX_UPLOAD_BYTES)))
                output.write(chunk)
    except (zipfile.BadZipFile, RuntimeError, EOFError, OSError, NotImplementedError) as error:
        # A damaged member, an unknown compression: the zip as a whole cannot be read.
        raise UnsafeZip(NOT_A_ZIP.format(name=member.filename)) from error
    return count
