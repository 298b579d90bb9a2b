"""Paths given to a batch → its inputs, with every path accounted for.

Each path given or found under a given folder ends as exactly one of:
- an ``Input``: a regular file to read; identical bytes under several paths are one input that
  lists every path (one document, ``documents.source_paths``);
- a ``Refusal``: a path that is not read, with a one-line reason. ``failed`` refusals (an
  unreadable folder or file, a broken link, a FIFO, device or socket) become failed documents rows;
  the others (links the policy does not follow) are reported and counted as skipped.

Symbolic links: a path given by name is followed wherever it leads. Under a given folder, a link
is followed when its target lies inside one of the given folders, and not otherwise unless
``follow_links`` is set; a link back to a folder already read is not followed again (no loops).
Hidden files and folders (name starting with ".") are not inputs.

File names may hold any bytes: ``path_text`` makes a name storable (undecodable bytes as
``\\xNN``), ``one_line`` makes a message printable (control characters escaped, so a newline in a
name cannot split a message or fake another one).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

import regex

from parsers.model import InputError
from parsers.read.readers import open_regular

_CHUNK = 1 << 20
_UNPRINTABLE = regex.compile(r"[\p{Cc}\p{Zl}\p{Zp}\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class UsageError(Exception):
    """The command was given something it cannot run on (a path that does not exist)."""


@dataclass(frozen=True)
class Input:
    paths: tuple[str, ...]  # every path these bytes were found under, in the order found
    sha256: str

    @property
    def path(self) -> str:
        return self.paths[0]


@dataclass(frozen=True)
class Refusal:
    path: str
    reason: str
    failed: bool = True  # False: skipped by the link policy, reported but not a failure


@dataclass
class Found:
    inputs: list[Input] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def path_text(path: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 become ``\\xNN``."""
    try:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that no file name decoding made
        return path.encode("utf-8", errors="backslashreplace").decode("utf-8")


def one_line(text: str) -> str:
    """``text`` safe to print on one terminal line: control, line-separator and direction-override
    characters escaped."""
    return _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"
                                                   if ord(m.group()) > 0xFF else f"\\x{ord(m.group()):02x}"),
                            path_text(text))


def message(path: str, reason: str) -> str:
    """The one line a batch prints for a path it could not ingest."""
    return f"pia: {one_line(path)}: {one_line(reason)}"


def collect(paths: list[str], follow_links: bool = False) -> Found:
    """Walk the given paths (in order, folders recursively by name) and hash every regular file.
    Raises ``UsageError`` before anything is read when a given path does not exist."""
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {one_line(missing[0])}")
    found = Found()
    by_sha: dict[str, list[str]] = {}
    roots = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
    walk = _Walk(roots, follow_links, found.refused)
    for given in paths:
        files = walk.folder(given) if os.path.isdir(given) else [given]
        for path in files:
            try:
                by_sha.setdefault(_sha256(path), []).append(path)
            except InputError as exc:
                found.refused.append(Refusal(path, str(exc)))
    found.inputs = [Input(tuple(ps), sha) for sha, ps in by_sha.items()]
    return found


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        try:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    return digest.hexdigest()


@dataclass
class _Walk:
    roots: list[str]
    follow_links: bool
    refused: list[Refusal]
    seen: set[str] = field(default_factory=set)  # real paths of the folders walked or about to be

    def folder(self, path: str):
        """Files under ``path``, each folder's files in name order before its subfolders (a loop, not
        recursion: a tree thousands of folders deep is walked too); what cannot be walked goes to
        ``refused``."""
        stack = [path]
        self.seen.add(os.path.realpath(path))
        while stack:
            current = stack.pop()
            try:
                with os.scandir(current) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self.refused.append(Refusal(current, f"cannot read folder: {exc.strerror or exc}"))
                continue
            folders = []
            for entry in entries:
                if entry.name.startswith(".") or (entry.is_symlink() and not self._follows(entry.path)):
                    continue
                if entry.is_dir():
                    folders.append(entry.path)
                    self.seen.add(os.path.realpath(entry.path))
                else:
                    yield entry.path
            stack.extend(reversed(folders))

    def _follows(self, link: str) -> bool:
        target = os.path.realpath(link)
        if not os.path.exists(link):
            self.refused.append(Refusal(link, "broken symbolic link: its target does not exist"))
        elif os.path.isdir(link) and target in self.seen:
            self.refused.append(Refusal(link, "symbolic link to a folder already read: not followed", False))
        elif not self.follow_links and not any(_inside(target, root) for root in self.roots):
            self.refused.append(Refusal(link, "symbolic link to outside the given folders: not followed "
                                              "(--follow-links reads it)", False))
        else:
            return True
        return False


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
