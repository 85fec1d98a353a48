"""The write stage: put a complete site in place atomically, or leave the old one untouched."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


def safe_relative(path: str) -> PurePosixPath:
    """Refuse output paths that would land outside the output folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return relative


def write_tree(files: dict[str, str | bytes], folder: Path) -> None:
    """Write every file below `folder` (which must be empty or absent)."""
    for path in sorted(files):
        target = folder.joinpath(*safe_relative(path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        content = files[path]
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def publish(files: dict[str, str | bytes], out_dir: Path) -> None:
    """Build beside `out_dir`, then swap it in: a crash or Ctrl-C never leaves half a site."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        write_tree(files, fresh)
        os.chmod(fresh, 0o755)  # mkdtemp makes 0700; a web server must be able to read it
        retired = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        if out_dir.exists():
            os.replace(out_dir, retired)
        os.replace(fresh, out_dir)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
