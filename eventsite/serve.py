"""Development server: build, serve, re-render what an edit changed and reload the browser.

A mistake in the sources is shown in the browser (file, line, what to do) instead of the
site, and the next save that fixes it brings the site back: the server never stops for it.
"""

from __future__ import annotations

import mimetypes
import os
import sys
import time
from html import escape
from pathlib import Path

from .build import Plan, Sources, batches, plan_site, render_batch, replan, write_site
from .changes import changed_sessions, forget
from .errors import SiteError
from .reload import AgendaReloader
from .write import content_bytes, overwrite, safe_relative, spare_of

WATCHED = ("agenda.yaml", "content", "locales", "templates", "assets")


def source_snapshot(sources: Sources) -> dict[str, tuple[int, int]]:
    """Size and modification time of every source file, by path."""
    files = [sources.site_dir / "agenda.yaml"]
    for name in WATCHED[1:]:
        for folder in sources.layers(name):
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.exists()}


class Rebuilder:
    """Rebuilds once per change, re-rendering only what the change can have altered.

    livereload 2.7 calls the callback once per watched folder changed in the same poll
    (MkDocs left livereload over this), so one save may call it several times: comparing
    snapshots makes the extra calls do nothing. When only agenda.yaml changed, only the
    sessions whose lines changed are read again (eventsite/reload.py) and the rest of the
    plan is kept; when only in its sessions, the pages, calendars and schedule that show
    those sessions are rendered again (from fragments kept in the plan's memo) and replaced
    in place, file by file; anything else rebuilds the whole site and swaps it in."""

    def __init__(self, site_dir: Path, out_dir: Path, strict: bool, pdf: bool):
        self.sources = Sources(site_dir)
        self.agenda = AgendaReloader(site_dir)
        self.out_dir = out_dir
        self.strict = strict
        self.pdf = pdf
        self.seen: dict | None = None  # the sources at the last call
        self.built_from: dict | None = None  # the sources of what out_dir holds
        self.plan: Plan | None = None  # and how it was made
        self.error: SiteError | None = None  # why the last build failed, shown in the browser
        self.written: tuple[str, ...] = ()  # what the last build wrote

    def __call__(self) -> None:
        snapshot = source_snapshot(self.sources)
        if snapshot == self.seen:
            return
        self.seen = snapshot
        started = time.perf_counter()
        try:
            self.plan, self.written = self.rebuild(snapshot)
        except SiteError as exc:
            self.error = exc
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            return
        self.error = None
        self.built_from = snapshot
        for problem in self.plan.warnings:
            print(f"warning: {problem}", file=sys.stderr)
        print(f"Wrote {len(self.written)} files in {time.perf_counter() - started:.2f} s.",
              file=sys.stderr)

    def rebuild(self, snapshot: dict) -> tuple[Plan, tuple[str, ...]]:
        agenda = str(self.sources.site_dir / "agenda.yaml")
        changed = {path for path in snapshot.keys() | (self.built_from or {}).keys()
                   if snapshot.get(path) != (self.built_from or {}).get(path)}
        previous = self.plan if changed == {agenda} and not self.pdf else None
        memo = previous.memo if previous else {}
        site = self.agenda.reload() if previous else self.agenda.load()
        plan = ((previous and replan(previous, site, self.strict))
                or plan_site(site, self.sources.site_dir, self.strict, self.pdf, memo))
        sessions = changed_sessions(previous.site, plan.site) if previous else None
        if sessions is not None:
            forget(memo, sessions)
            files = {}
            try:
                for batch in batches(plan, sessions):  # rendered whole here, to fail here
                    files.update((path, content_bytes(content))
                                 for path, content in render_batch(plan, batch).items())
            except BaseException:
                # What was kept of these sessions before the failure shows the failed
                # version; the next build compares with the last good one, which it does not.
                forget(memo, sessions)
                raise
            try:
                replace_files(files, self.out_dir)
                return plan, tuple(sorted(files))
            except OSError:
                pass  # the output folder was removed or changed meanwhile: write it whole
        memo.clear()  # kept fragments may show what changed
        return plan, write_site(plan, self.sources.site_dir, self.out_dir, parallel=False)


def replace_files(files: dict[str, bytes], out_dir: Path) -> None:
    """Replace each file of a built site on its own, atomically: a browser reloading meanwhile
    gets the old page or the new one, never half of one. The new version is written over
    the version before last, kept in the spare site (write.overwrite says why), and takes
    the current one's place; the current one is kept there in turn."""
    spare = spare_of(out_dir)
    held = spare / ".held"
    for path, content in files.items():
        parts = safe_relative(path).parts
        target, version_before_last = out_dir.joinpath(*parts), spare.joinpath(*parts)
        version_before_last.parent.mkdir(parents=True, exist_ok=True)
        overwrite(version_before_last, content)
        held.unlink(missing_ok=True)
        try:
            os.link(target, held)
            keeping = True
        except OSError:  # a new file, or a filesystem without hard links: nothing to keep
            keeping = False
        os.replace(version_before_last, target)
        if keeping:
            os.replace(held, version_before_last)


ERROR_STYLE = ("body{font:1rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;"
               "padding:0 1rem;color:#1b1b1b;background:#fff}h1{color:#a4262c}ul{padding:0}"
               "li{border-left:4px solid #a4262c;padding:.5rem 1rem;margin:.5rem 0;"
               "background:#fdf3f4;list-style:none}code{white-space:pre-wrap}")


def error_page(error: SiteError) -> bytes:
    """What the browser shows while the sources have a mistake."""
    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in error.problems)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Build error</title><style>{ERROR_STYLE}</style></head><body><main>"
            f"<h1>The site could not be built</h1><ul>{items}</ul>"
            f"<p>Fix the file and save it: this page reloads with the site.</p>"
            f"</main></body></html>").encode("utf-8")


def site_app(rebuild: Rebuilder):
    """A WSGI app serving the built site, or the build error while there is one."""
    mimetypes.add_type("text/calendar", ".ics")

    def app(environ, start_response):
        if rebuild.error is not None:
            start_response("500 Build Error", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Cache-Control", "no-store")])
            return [error_page(rebuild.error)]
        status, path = "200 OK", find_file(rebuild.out_dir, environ.get("PATH_INFO", "/"))
        if path is None:
            status, path = "404 Not Found", rebuild.out_dir / "404.html"
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/javascript"):
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [path.read_bytes() if path.is_file() else b""]
    return app


def find_file(root: Path, url_path: str) -> Path | None:
    """The file a URL path names below root (a folder's index.html), never outside it."""
    parts = [part for part in url_path.split("/") if part and part != "."]
    if ".." in parts:
        return None
    target = root.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def serve(site_dir: Path, out_dir: Path, host: str, port: int, strict: bool, pdf: bool) -> int:
    """Serve out_dir on host:port until Ctrl-C, rebuilding when a source changes; the program
    PDFs only with `pdf` (then an edit reprints them, which takes a second or two)."""
    from livereload import Server

    rebuild = Rebuilder(site_dir, out_dir, strict, pdf)
    rebuild()
    server = Server(app=site_app(rebuild))
    for name in WATCHED:
        for path in [site_dir / name] if name == "agenda.yaml" else rebuild.sources.layers(name):
            server.watch(str(path), rebuild, delay=0.2)
    print(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    server.serve(host=host, port=port, open_url_delay=None, debug=False)
    return 0
