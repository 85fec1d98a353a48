"""The write stage: render every route into a new folder beside the site, then swap it in, so
that at every instant a complete site is in place and a failed build leaves the last one."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping

from .errors import Problem, SiteError

Render = Callable[[], bytes]


def safe_relative(path: str) -> PurePosixPath:
    """Refuse output paths that would land outside the output folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return relative


def building_folder(out_dir: Path) -> Path:
    """Where the next site is written before it is swapped in."""
    return out_dir.parent / f".{out_dir.name}.building"


def previous_folder(out_dir: Path) -> Path:
    """Where the last site waits, between the two renames of a swap without an exchange."""
    return out_dir.parent / f".{out_dir.name}.previous"


def leftovers(out_dir: Path) -> list[Path]:
    """What interrupted builds left beside the site, this version's and earlier versions'
    (which wrote .dist.new-*, .dist.old-* and a .dist.spare copy)."""
    names = (f".{out_dir.name}.building", f".{out_dir.name}.previous", f".{out_dir.name}.spare")
    found = [out_dir.parent / name for name in names]
    if out_dir.parent.is_dir():
        found += sorted(out_dir.parent.glob(f".{out_dir.name}.new-*"))
        found += sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    return [path for path in found if path.exists() or path.is_symlink()]


def recover(out_dir: Path) -> None:
    """Undo what an interrupted build left: the last site back in place if a kill came
    between the two renames of a swap, and every partial folder removed."""
    previous = previous_folder(out_dir)
    if not out_dir.exists() and previous.is_dir():
        os.rename(previous, out_dir)
    for path in leftovers(out_dir):
        remove(path)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def write_file(folder: Path, path: str, content: bytes) -> None:
    target = folder.joinpath(*safe_relative(path).parts)
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)  # another worker may make it too
    target.write_bytes(content)


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders' names in one step (Linux's renameat2 with RENAME_EXCHANGE), so no
    instant is without a site; False where the system has no such call."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, rename_exchange = -100, 2
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange)
    if result != 0:
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # not on this filesystem
            return False
        raise OSError(code, os.strerror(code), str(first))
    return True


def swap_in(new: Path, out_dir: Path) -> None:
    """Put the folder `new` in the place of `out_dir`, and remove the site it replaces."""
    if not out_dir.exists():
        os.rename(new, out_dir)
    elif exchange(new, out_dir):
        shutil.rmtree(new)  # now the previous site
    else:  # two renames: a kill between them is undone by the next build's recover()
        previous = previous_folder(out_dir)
        os.rename(out_dir, previous)
        os.rename(new, out_dir)
        shutil.rmtree(previous)


def write_routes(routes: Mapping[str, Render], folder: Path) -> None:
    """Render each route and write it below `folder`, one after the other: no more than one
    file is ever held in memory."""
    for path in sorted(routes):
        write_file(folder, path, routes[path]())


def publish(routes: Mapping[str, Render], out_dir: Path, sources: tuple[Path, ...] = (),
            fill: Callable[[Path], None] | None = None) -> tuple[str, ...]:
    """Render every route and write it below a new folder beside `out_dir`, then swap that in.
    On any failure the new folder is removed and `out_dir` is left as it was. `sources` are
    folders the swap must never replace (the site's own, the repository). `fill(folder)`
    writes the routes in some other way (build.py: shared among processes)."""
    out_dir = out_dir.resolve()
    refuse_unsafe_output(out_dir, sources)
    folder = building_folder(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover(out_dir)
        folder.mkdir()
        (fill or partial(write_routes, routes))(folder)
        os.chmod(folder, 0o755)  # a web server must be able to read it
        swap_in(folder, out_dir)
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        recover(out_dir)  # stopped between the two renames of a swap: the last site back
        if isinstance(exc, OSError):
            raise write_problem(exc, out_dir, routes) from None
        raise
    return tuple(sorted(routes))


def write_problem(exc: OSError, out_dir: Path, routes: Mapping[str, Render]) -> SiteError:
    """What to tell the organiser when the site cannot be written. For a full disk, the room
    the whole site needs: every route is rendered again to count its bytes (only after such a
    failure, so only then does it cost)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        needed = sum(len(render()) for render in routes.values())
        return SiteError([Problem(str(out_dir), 0, f"the disk is full: the site needs "
                                  f"{needed / 1_000_000:.1f} MB beside the current one. Free "
                                  "that much space, or choose another --out; the previous site "
                                  "is untouched.")])
    return SiteError([Problem(str(out_dir), 0, f"the site could not be written "
                              f"({exc.strerror or exc}: {exc.filename}). Fix the folder's "
                              "permissions, or choose another --out; the previous site is "
                              "untouched.")])


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
