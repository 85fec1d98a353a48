"""The write stage: put a complete site in place atomically, or leave the old one untouched."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Callable, TypeVar

from .errors import Problem, SiteError

Filled = TypeVar("Filled")


def safe_relative(path: str) -> PurePosixPath:
    """Refuse output paths that would land outside the output folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return relative


class Parts(tuple):
    """Bytes written one after the other, never joined in memory: a congress's calendars
    share each session's VEVENT between its own file, its day's and the whole meeting's."""

    def write_to(self, handle: BinaryIO) -> None:
        for part in self:
            handle.write(part)

    def __bytes__(self) -> bytes:
        return b"".join(self)


def write_content(content, handle: BinaryIO) -> None:
    """Text as UTF-8, bytes as they are, and anything else (Parts, render.StreamedPage) by
    writing itself to the handle (binary, opened for reading too)."""
    if isinstance(content, str):
        handle.write(content.encode("utf-8"))
    elif isinstance(content, bytes):
        handle.write(content)
    else:
        content.write_to(handle)


def content_bytes(content) -> bytes:
    """What write_content would write, in memory."""
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


def write_tree(files: dict, folder: Path) -> None:
    """Write every file below `folder` (which must be empty or absent)."""
    made: set[Path] = set()
    for path in sorted(files):
        target = folder.joinpath(*safe_relative(path).parts)
        if target.parent not in made:  # one mkdir per folder, not per file: thousands of pages
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        with open(target, "w+b") as handle:
            write_content(files[path], handle)


def publish(fill: Callable[[Path], Filled], out_dir: Path,
            sources: tuple[Path, ...] = ()) -> Filled:
    """Build beside `out_dir` (`fill` writes the site into the folder it is given, and what it
    returns is returned), then swap it in: a crash or Ctrl-C never leaves half a site, and
    nothing of the previous build survives in the new one. `sources` are folders the swap
    must never replace (the site's own, the repository)."""
    out_dir = out_dir.resolve()
    refuse_unsafe_output(out_dir, sources)
    retired = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}-{next(_PUBLISHED)}"
    fresh = None
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
        filled = fill(fresh)
        os.chmod(fresh, 0o755)  # mkdtemp makes 0700; a web server must be able to read it
        if out_dir.exists():
            os.replace(out_dir, retired)
        os.replace(fresh, out_dir)
    except BaseException as exc:
        if retired.exists() and not out_dir.exists():  # stopped between the two renames
            os.replace(retired, out_dir)
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        if isinstance(exc, OSError):
            raise SiteError([Problem(str(out_dir), 0, f"the site could not be written "
                                     f"({exc.strerror or exc}: {exc.filename}). Free some space "
                                     "or fix the folder's permissions, or choose another --out; "
                                     "the previous site is untouched.")]) from None
        raise
    remove_in_background(retired)
    return filled


_PUBLISHED = itertools.count()  # the dev server publishes again while a retired site is deleted


_DELETING: set[int] = set()  # processes deleting retired sites, reaped by the next publish


def remove_in_background(folder: Path) -> None:
    """Delete a retired site without making anyone wait: a congress's previous build is tens
    of thousands of files, and deleting them took as long as writing the new ones. A new,
    small Python process deletes it, detached (a fork would hold on to this process's
    memory; posix_spawn spares the build importing subprocess). Where processes cannot be
    spawned so (Windows, macOS), this process deletes it."""
    for pid in list(_DELETING):  # the dev server publishes again and again: no zombies
        try:
            done = os.waitpid(pid, os.WNOHANG)[0] != 0
        except ChildProcessError:
            done = True
        if done:
            _DELETING.discard(pid)
    command = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        _DELETING.add(os.posix_spawn(
            sys.executable, [sys.executable, "-c", command, str(folder)], os.environ,
            file_actions=[(os.POSIX_SPAWN_OPEN, stream, os.devnull, os.O_RDWR, 0)
                          for stream in (0, 1, 2)], setsid=True))
    except (AttributeError, NotImplementedError, OSError):  # e.g. no setsid for spawn (macOS)
        shutil.rmtree(folder, ignore_errors=True)


def refuse_unsafe_output(out_dir: Path, sources: tuple[Path, ...]) -> None:
    """The swap replaces `out_dir` whole: refuse when that would delete sources or a folder
    that is not a previous build (a mistyped --out such as `.` or a home folder)."""
    for source in (s.resolve() for s in sources):
        if out_dir == source or out_dir in source.parents:
            raise SiteError([Problem(str(out_dir), 0, f"the output folder contains {source}, "
                                     "which building would delete. Choose another --out, such "
                                     "as dist.")])
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "index.html").is_file():
        raise SiteError([Problem(str(out_dir), 0, "this folder is not empty and holds no "
                                 "index.html, so it is not a previous build, and building would "
                                 "replace it. Choose another --out, or empty it first.")])
