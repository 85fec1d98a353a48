"""The write stage: put a complete site in place atomically, or leave the old one untouched."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Callable, Iterable, Iterator, TypeVar

from .errors import Problem, SiteError

Item = TypeVar("Item")


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


def interleaved(items: Iterable[Item], separator: Item) -> Iterator[Item]:
    """The items, with `separator` between each two."""
    for number, item in enumerate(items):
        if number:
            yield separator
        yield item


def write_content(content, handle: BinaryIO) -> None:
    """Text as UTF-8, bytes as they are, and anything else (Parts, render.StreamedPage) by
    writing itself to the handle."""
    if isinstance(content, str):
        handle.write(content.encode("utf-8"))
    elif isinstance(content, bytes):
        handle.write(content)
    else:
        content.write_to(handle)


def content_bytes(content) -> bytes:
    """What write_content would write, in memory."""
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


# Written over in place: never through a link (not followed, not shared), never as text.
_OVERWRITE = (os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
              | getattr(os, "O_BINARY", 0))


def overwrite(target: Path, content) -> None:
    """Write a file over what it held, in place. Filesystems give a new file its blocks
    anew, and give back a deleted file's (with `discard`, trimming them): writing over an
    existing file of about the same size spares both, which was most of a congress's build
    (12,000 new files: 1-12 s of system time on this project's machine; in place, 0.3 s).
    A file that is also linked elsewhere (a copy made with `cp -l`) is replaced instead, so
    that the copy keeps its bytes."""
    handle = os.open(target, _OVERWRITE, 0o644)
    if os.fstat(handle).st_nlink > 1:
        os.close(handle)
        os.unlink(target)
        handle = os.open(target, _OVERWRITE | os.O_EXCL, 0o644)
    with os.fdopen(handle, "wb") as stream:
        write_content(content, stream)
        stream.truncate()


def write_tree(files: dict, folder: Path) -> None:
    """Write every file below `folder`, over whatever a file of that name held."""
    made: set[Path] = set()
    for path in sorted(files):
        target = folder.joinpath(*safe_relative(path).parts)
        try:
            if target.parent not in made:  # one mkdir per folder, not per file: thousands
                target.parent.mkdir(parents=True, exist_ok=True)
            overwrite(target, files[path])
        except (FileExistsError, IsADirectoryError, NotADirectoryError):
            clear_way(folder, target)
            target.parent.mkdir(parents=True, exist_ok=True)
            overwrite(target, files[path])
        made.add(target.parent)


def clear_way(folder: Path, target: Path) -> None:
    """Delete what an earlier build left in the way of `target`: a file where this build has
    a folder, or a folder where it has a file."""
    path = folder
    for name in target.relative_to(folder).parts[:-1]:
        path = path / name
        if path.exists() and not path.is_dir():
            path.unlink()
    if target.is_dir():
        shutil.rmtree(target)


def spare_of(out_dir: Path) -> Path:
    """The site before the current one, kept beside it to be written over by the next build
    (see `overwrite`) rather than deleted."""
    return out_dir.parent / f".{out_dir.name}.spare"


def publish(fill: Callable[[Path], tuple[str, ...]], out_dir: Path,
            sources: tuple[Path, ...] = ()) -> tuple[str, ...]:
    """Build beside `out_dir`, then swap it in: a crash or Ctrl-C never leaves half a site.
    `fill` writes the site into the folder it is given, the site before last (the spare),
    and returns the paths it wrote; whatever else the folder holds is then deleted, so
    nothing of an earlier build survives in the new one. `sources` are folders the swap
    must never replace (the site's own, the repository)."""
    out_dir = out_dir.resolve()
    refuse_unsafe_output(out_dir, sources)
    spare = spare_of(out_dir)
    fresh = out_dir.parent / f".{out_dir.name}.new-{os.getpid()}-{next(_PUBLISHED)}"
    retired = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}-{next(_PUBLISHED)}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        claimed = spare.is_dir() and not spare.is_symlink() and claim(spare, fresh)
        if not claimed:
            fresh.mkdir()
        try:
            written = fill_over(fresh, fill)
        except OSError:
            if not claimed:
                raise
            # Something of the spare could not be written over (a file another user owns,
            # say): set it aside, and build into an empty folder instead.
            discarded = fresh.with_name(f"{fresh.name}-discarded")
            os.rename(fresh, discarded)
            remove_in_background(discarded)
            fresh.mkdir()
            written = fill_over(fresh, fill)
        os.chmod(fresh, 0o755)  # a web server must be able to read it
        if out_dir.exists():
            os.replace(out_dir, retired)
        os.replace(fresh, out_dir)
    except BaseException as exc:
        if retired.exists() and not out_dir.exists():  # stopped between the two renames
            os.replace(retired, out_dir)
        if fresh.exists() and not claim(fresh, spare):  # what it wrote is still of use
            shutil.rmtree(fresh, ignore_errors=True)
        if isinstance(exc, OSError):
            raise SiteError([Problem(str(out_dir), 0, f"the site could not be written "
                                     f"({exc.strerror or exc}: {exc.filename}). Free some space "
                                     "or fix the folder's permissions, or choose another --out; "
                                     "the previous site is untouched.")]) from None
        raise
    if retired.exists() and not claim(retired, spare):
        remove_in_background(retired)
    return written


def fill_over(folder: Path, fill: Callable[[Path], tuple[str, ...]]) -> tuple[str, ...]:
    """Have `fill` write into the folder, then delete what else the folder held."""
    earlier = files_below(folder)
    written = fill(folder)
    remove_all_but(folder, earlier, written)
    return written


def claim(folder: Path, name: Path) -> bool:
    """Rename a folder unless `name` is taken (by another build meanwhile)."""
    try:
        os.rename(folder, name)  # unlike replace, never over a folder that holds anything
        return True
    except OSError:
        return False


def files_below(folder: Path) -> set[str]:
    """The files below a folder, as paths relative to it; links and anything else that is
    not a folder or a file, which no build writes, are deleted on the way."""
    found: set[str] = set()
    pending = [(folder, "")]
    while pending:
        path, prefix = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
                elif entry.is_file(follow_symlinks=False):
                    found.add(f"{prefix}{entry.name}")
                else:
                    os.unlink(entry.path)
    return found


def remove_all_but(folder: Path, earlier: set[str], written: tuple[str, ...]) -> None:
    """Delete the files an earlier build left in `folder` that this one did not write, and
    the folders that leaves empty."""
    for path in sorted(earlier.difference(written), reverse=True):
        target = folder.joinpath(*PurePosixPath(path).parts)
        target.unlink()
        for parent in target.relative_to(folder).parents[:-1]:
            try:
                (folder / parent).rmdir()
            except OSError:  # not empty: neither is any folder above it
                break


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
