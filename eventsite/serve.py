"""Development server: build, serve, rebuild on change and reload the browser."""

from __future__ import annotations

import sys
from pathlib import Path

from .build import Sources, build_site
from .errors import SiteError

WATCHED = ("agenda.yaml", "content", "locales", "templates", "assets")


def source_snapshot(sources: Sources) -> tuple:
    """Names, sizes and times of every source file: equal snapshots mean nothing changed."""
    files = [sources.site_dir / "agenda.yaml"]
    for name in WATCHED[1:]:
        for folder in sources.layers(name):
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.exists())


class Rebuilder:
    """Rebuilds once per change, however many watched folders one save touched.

    livereload 2.7 calls the callback once per watched path changed in the same poll
    (MkDocs left livereload over this), so compare snapshots instead of trusting each call.
    """

    def __init__(self, site_dir: Path, out_dir: Path, strict: bool, pdf: bool):
        self.sources = Sources(site_dir)
        self.out_dir = out_dir
        self.strict = strict
        self.pdf = pdf
        self.built_from: tuple | None = None

    def __call__(self) -> None:
        snapshot = source_snapshot(self.sources)
        if snapshot == self.built_from:
            return
        self.built_from = snapshot
        try:
            built = build_site(self.sources.site_dir, self.out_dir, self.strict, self.pdf)
        except SiteError as exc:
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            return
        for problem in built.warnings:
            print(f"warning: {problem}", file=sys.stderr)
        print(f"Rebuilt {len(built.paths)} files.", file=sys.stderr)


def serve(site_dir: Path, out_dir: Path, host: str, port: int, strict: bool, pdf: bool) -> int:
    """Serve out_dir on host:port until Ctrl-C, rebuilding when a source changes; the program
    PDFs only with `pdf` (then an edit reprints them, which takes a second or two)."""
    from livereload import Server

    rebuild = Rebuilder(site_dir, out_dir, strict, pdf)
    rebuild()
    server = Server()
    for name in WATCHED:
        for path in [site_dir / name] if name == "agenda.yaml" else rebuild.sources.layers(name):
            server.watch(str(path), rebuild, delay=0.2)
    print(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    server.serve(host=host, port=port, root=str(out_dir), open_url_delay=None)
    return 0
