"""What a folder of scans holds, as the units it becomes: walked as a stream, one folder at a time.

Each file directly in the folder is one item; each folder below it (at any depth) that holds
files is one item of those files, its pages, in natural order (page2 before page10). Hidden
files and the litter of file managers (Thumbs.db, .DS_Store) are passed over. Only one folder's
listing is in memory at a time, so a folder of a million scans walks in bounded memory.

Each unit's identifier is derived from its path relative to the folder, and from nothing else,
so that a second run over the same folder names the same units (run.py skips those already
made): the prefix, then each part of the path, made safe for an identifier and joined by dots,
“scans.box-1.img_0001”. Two siblings whose safe names would be the same (“a b.jpg” and
“a-b.jpg”, “a.jpg” and “a.tif”) each get a short hash of their own name, so neither takes the
other's identifier whatever order they come in; a name too long for an identifier is cut and
given a hash of the whole path.
"""
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

IGNORED_NAMES = {"thumbs.db", "desktop.ini", "ehthumbs.db"}
IDENTIFIER_LENGTH = 100  # validators.IDENTIFIER_PATTERN
HASH_LENGTH = 6
# Letters NFKD does not take apart into a letter and an accent.
_LETTERS = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss", "þ": "th", "Þ": "TH", "ð": "d",
                          "Ð": "D", "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE"})
_UNSAFE = re.compile(r"[^a-z0-9_]+")
_NUMBERS = re.compile(r"(\d+)")


@dataclass
class Unit:
    """One item to be: its identifier, its title, and its files relative to the folder, in order."""

    path: str  # relative to the folder: the file, or the folder whose files are its pages
    identifier: str
    title: str
    files: list


def natural_key(name):
    """page2 before page10, case aside."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in _NUMBERS.split(name)]


def safe_part(name):
    """A part of a path as a part of an identifier: a-z, 0-9, _ and -."""
    text = unicodedata.normalize("NFKD", name.translate(_LETTERS)).encode("ascii", "ignore").decode().lower()
    return _UNSAFE.sub("-", text).strip("-_") or "x"


def prefix_for(folder):
    """The default prefix of a folder's identifiers: its own name."""
    return safe_part(os.path.basename(os.path.abspath(folder)))


def title_for(name):
    """A title until someone writes a better one: the name, with underscores and dashes as spaces."""
    title = " ".join(name.replace("_", " ").replace("-", " ").split())
    return title or name


def _hash(text):
    return hashlib.sha1(text.encode()).hexdigest()[:HASH_LENGTH]


def _is_ignored(name):
    return name.startswith(".") or name.lower() in IGNORED_NAMES


def _named(entries):
    """{entry name: its part of an identifier}, a clash among siblings settled by hashes."""
    parts = {}
    for entry in entries:
        stem = entry.name if entry.is_dir(follow_symlinks=False) else os.path.splitext(entry.name)[0]
        parts[entry.name] = safe_part(stem)
    counts = {}
    for part in parts.values():
        counts[part] = counts.get(part, 0) + 1
    return {name: part if counts[part] == 1 else f"{part}-{_hash(name)}" for name, part in parts.items()}


def _identifier(prefix, parts, relative):
    identifier = ".".join([prefix, *parts])
    if len(identifier) > IDENTIFIER_LENGTH:
        identifier = identifier[:IDENTIFIER_LENGTH - HASH_LENGTH - 1].rstrip(".-_") + "-" + _hash(relative)
    return identifier


def units(root, prefix):
    """The units of the folder `root`, as a stream, in natural order, depth first."""
    yield from _walk(root, "", prefix, [])


def count_files(root):
    """How many files the walk will offer (for a progress bar), without keeping their names."""
    total = 0
    for _, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not _is_ignored(name)]
        total += sum(not _is_ignored(name) for name in files)
    return total


def _walk(root, relative, prefix, parts):
    with os.scandir(os.path.join(root, relative) if relative else root) as listing:
        entries = sorted((e for e in listing if not _is_ignored(e.name)), key=lambda e: natural_key(e.name))
    named = _named(entries)
    files = [e for e in entries if not e.is_dir(follow_symlinks=False)]
    if relative and files:
        pages = [str(PurePosixPath(relative, e.name)) for e in files]
        yield Unit(relative, _identifier(prefix, parts, relative), title_for(os.path.basename(relative)), pages)
    elif not relative:
        for entry in files:
            path = entry.name
            yield Unit(path, _identifier(prefix, [named[entry.name]], path), title_for(os.path.splitext(entry.name)[0]), [path])
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            inner = str(PurePosixPath(relative, entry.name)) if relative else entry.name
            yield from _walk(root, inner, prefix, [*parts, named[entry.name]])
