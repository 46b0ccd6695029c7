"""What ingest may take from `landing/<source>/`: regular files that live there, opened without following links.

A landing folder is written by people and connectors, so it is read as untrusted: a symlink (to /etc/passwd, to
another source's folder), a hard link to a file elsewhere (its bytes are not a delivery, and it may be a system
file), a FIFO (opening it blocks for ever), a device or a socket is never opened; it is refused by name with the
rule it broke. The landing folder itself must not be a link. Files are opened relative to the folder's own
descriptor, with O_NOFOLLOW, and checked again on the open descriptor (the same inode the listing saw, still a
regular file with one name), so a file swapped for a link between listing and reading is refused too.
Dot files are not deliveries (a connector's partial download, the demo manifest).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sources.lib.contract import SourceContract
from sources.lib.paths import DataDir

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # O_NONBLOCK: a FIFO never blocks


@dataclass(frozen=True)
class LandingFile:
    path: Path
    name: str
    size: int
    mtime: float
    device: int
    inode: int


@dataclass(frozen=True)
class Refusal:
    """A landing entry that is not read: its name, the rule and why."""

    name: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message} [rule: {self.rule}]"


class LandingChanged(OSError):
    """The file is no longer what the listing saw (replaced, linked or turned into something else)."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


@contextlib.contextmanager
def _folder(contract: SourceContract, data: DataDir) -> Iterator[int | Refusal | None]:
    """A descriptor of landing/<source>, opened without following a link at either level; a Refusal when one is
    a link; None when there is no such folder."""
    root = data.root / "landing"
    fds: list[int] = []
    try:
        try:
            fds.append(os.open(root, _DIR_FLAGS))
            fds.append(os.open(contract.name, _DIR_FLAGS, dir_fd=fds[0]))
        except FileNotFoundError:
            yield None
            return
        except OSError as exc:  # ELOOP: a symlink; ENOTDIR: a file where the folder should be
            where = "landing" if not fds else f"landing/{contract.name}"
            yield Refusal(where, "landing_folder_is_a_link", f"{where} is a link or not a folder ({exc.strerror}): "
                          "nothing in it is read; make it a plain folder")  # fmt: skip
            return
        yield fds[-1]
    finally:
        for fd in reversed(fds):
            os.close(fd)


def scan(contract: SourceContract, data: DataDir) -> tuple[list[LandingFile], list[Refusal]]:
    """The delivered files in a source's landing folder, in name order, and the entries refused."""
    files: list[LandingFile] = []
    refused: list[Refusal] = []
    with _folder(contract, data) as folder:
        if folder is None:
            return files, refused
        if isinstance(folder, Refusal):
            return files, [folder]
        base = data.landing(contract.name)
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = entry.name
                if name.startswith(".") or not fnmatch.fnmatchcase(name, contract.landing_glob):
                    continue
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    refused.append(Refusal(name, "symlink", "a symbolic link: only files copied into landing are read"))
                elif not stat.S_ISREG(info.st_mode):
                    refused.append(Refusal(name, "not_a_regular_file", f"{_kind(info.st_mode)}: it is not opened"))
                elif info.st_nlink > 1:
                    refused.append(
                        Refusal(
                            name,
                            "hard_link",
                            f"a hard link ({info.st_nlink} names for one file): it may be a file from elsewhere; "
                            "copy the file into landing instead of linking it",
                        )
                    )
                else:
                    files.append(LandingFile(base / name, name, info.st_size, info.st_mtime, info.st_dev, info.st_ino))
    return files, refused


@contextlib.contextmanager
def open_file(file: LandingFile) -> Iterator[BinaryIO]:
    """Open a listed file for reading, refusing it (LandingChanged) when it is no longer the file listed."""
    fd = os.open(file.path, _FILE_FLAGS)
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_nlink != 1
            or (info.st_dev, info.st_ino)
            != (
                file.device,
                file.inode,
            )
        ):
            raise LandingChanged(f"{file.name} changed between listing and reading")
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def stream_sha256(fh: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def landing_sha256(file: LandingFile) -> str:
    """The SHA-256 of a listed file's bytes, read as open_file reads them."""
    with open_file(file) as fh:
        return stream_sha256(fh)


def read_small(contract: SourceContract, data: DataDir, name: str, limit: int = 1 << 20) -> bytes | None:
    """A small helper file of the landing folder (the demo manifest), read under the same rules; None if absent
    or not a plain file."""
    with _folder(contract, data) as folder:
        if not isinstance(folder, int):
            return None
        try:
            fd = os.open(name, _FILE_FLAGS, dir_fd=folder)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                return None
            return fh.read(limit)


def file_time(mtime: float) -> str:
    """A landing file's modification time in UTC, to the second (what the file claims, not the vintage)."""
    return dt.datetime.fromtimestamp(mtime, dt.UTC).replace(microsecond=0).isoformat()
