"""Development server: the site rendered from the current sources, a page when it is asked for.

After every save the sources are read again into a new model and a new route table
(routes.py), and browsers reload; each page is then rendered from that table when the browser
asks for it, with the same functions `build` writes with, so what is shown is what a build
writes. Nothing is written to disk: `dist/` stays what the last `build` made.

A mistake in the sources is shown in the browser (file, line, what to do) instead of the
site, and the next save that fixes it brings the site back: the server never stops for it.
"""

from __future__ import annotations

import gc
import mimetypes
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from typing import Iterator

from .brand import LOGO_TYPES
from .build import Sources, prepare
from .errors import SiteError
from .load import load_site
from .routes import Route, site_routes
from .versions import VERSIONS
from .yamlfile import read_text, read_yaml

WATCHED = ("agenda.yaml", "content", "locales", "templates", "assets")


@dataclass
class ParsedYaml:
    """The YAML files of the site as last parsed, by name: a save re-parses only the file
    whose text changed (a large programme keeps its days in files of their own)."""

    trees: dict[str, tuple[str, object]] = field(default_factory=dict)

    def read(self, path: Path, file: str):
        text = read_text(path, file)
        kept = self.trees.get(file)
        if kept is None or kept[0] != text:
            kept = self.trees[file] = (text, read_yaml(text, file))
        return kept[1]


@dataclass
class DevSite:
    """The route table of the current sources, or why they cannot be built."""

    site_dir: Path
    strict: bool
    pdf: bool
    parsed: ParsedYaml = field(default_factory=ParsedYaml)
    routes: dict[str, Route] = field(default_factory=dict)
    error: SiteError | None = None

    def reload(self) -> None:
        """Read the sources again; a mistake is kept to be shown in the browser."""
        started = time.perf_counter()
        try:
            with collector_paused():
                site = load_site(self.site_dir, self.parsed.read)
                plan = prepare(self.site_dir, self.strict, self.pdf, site)
                self.routes, self.error = site_routes(plan), None
        except SiteError as exc:
            self.routes, self.error = {}, exc
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            return
        for problem in plan.warnings:
            print(f"warning: {problem}", file=sys.stderr)
        print(f"Read the sources in {time.perf_counter() - started:.2f} s.", file=sys.stderr)

    def respond(self, url_path: str) -> tuple[str, list[tuple[str, str]], bytes]:
        """Status, headers and body for a request of `url_path`."""
        if self.error is not None:
            return "500 Build Error", [("Content-Type", "text/html; charset=utf-8")], \
                error_page(self.error)
        path = route_path(url_path)
        if path + "/index.html" in self.routes:  # /en/agenda → /en/agenda/, as servers do
            return "301 Moved Permanently", [("Location", url_path.rstrip("/") + "/")], b""
        status, route = "200 OK", self.routes.get(path)
        if route is None:
            status, route = "404 Not Found", self.routes["404.html"]
        try:
            body = route.render()
        except SiteError as exc:  # a template mistake shows only once its page is rendered
            return "500 Build Error", [("Content-Type", "text/html; charset=utf-8")], \
                error_page(exc)
        return status, [("Content-Type", content_type(route.path))], body


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a model is made: the model and its route table
    are hundreds of thousands of new objects, all kept, and the collector's passes over them
    found nothing to free but took a third of the time from a save to its page at 2,000
    sessions (measured: 0.35 s with them, 0.22 s without). It runs again as usual after."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def route_path(url_path: str) -> str:
    """The route a URL path names: a folder's index.html."""
    parts = [part for part in url_path.split("/") if part and part != "."]
    if not parts or url_path.endswith("/"):
        parts.append("index.html")
    return "/".join(parts)


# What the site holds that Python's table may not know (it has no .ics without the system's
# /etc/mime.types); the rest comes from the table.
CONTENT_TYPES = {".ics": "text/calendar", ".json": "application/json", ".xml": "application/xml",
                 ".atom": "application/atom+xml"}


def content_type(path: str) -> str:
    kind = CONTENT_TYPES.get(PurePosixPath(path).suffix) or mimetypes.guess_type(path)[0] \
        or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/json", "application/javascript"):
        kind += "; charset=utf-8"
    return kind


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


def site_app(site: DevSite):
    """A WSGI app serving the routes of `site`."""
    def app(environ, start_response):
        status, headers, body = site.respond(environ.get("PATH_INFO", "/"))
        start_response(status, [*headers, ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]
    return app


def watch_in_background(folders, recursive: bool, on_change, stop: threading.Event,
                        only=None) -> None:
    """Call `on_change` (from a watching thread) after each batch of changes below the
    folders that `folders()` lists, reported by the system (inotify on Linux) through
    watchfiles rather than found by polling; `only(path)` says which changes matter. When
    the folders listed change (a folder made meanwhile), they are watched anew."""
    from watchfiles import watch

    def run():
        while not stop.is_set():
            watched = folders()
            for _ in watch(*watched, debounce=200, step=10, stop_event=stop,
                           recursive=recursive,
                           watch_filter=(lambda change, path: only(path)) if only else None):
                on_change()
                if folders() != watched:
                    break
    threading.Thread(target=run, name="watch-sources", daemon=True).start()


def is_source(path: str) -> bool:
    """A change beside agenda.yaml that matters: the agenda and the days it includes, the
    published versions (`publish` writes them while the server runs), the organiser's logo
    (site.brand.logo), a new folder."""
    name = Path(path).name
    return not name.startswith(".") and (name.endswith((".yaml", ".yml", *LOGO_TYPES))
                                         or name == VERSIONS.name or Path(path).is_dir())


def watch_sources(site_dir: Path, on_change, stop: threading.Event) -> None:
    """Watch the folders of content, catalogs, templates and assets whole, and agenda.yaml with
    the YAML files beside it or one folder down (the days it may include, the published
    versions), without reading through the rest of the site folder (the built site, a
    virtual environment)."""
    sources = Sources(site_dir)
    layers = [folder for name in WATCHED[1:] for folder in sources.layers(name)]
    watch_in_background(lambda: layers, True, on_change, stop)
    watch_in_background(lambda: [site_dir, *(p for p in sorted(site_dir.iterdir()) if p.is_dir()
                                             and not p.name.startswith(".")
                                             and p not in layers)],
                        False, on_change, stop, only=is_source)


def no_polling():
    """livereload's watcher, told that it is watching (watch_sources does): otherwise, once a
    browser connects, it polls every file below the current folder every 0.8 s."""
    from livereload.watcher import Watcher

    class NoPolling(Watcher):
        def start(self, callback) -> bool:
            return True
    return NoPolling()


def serve(site_dir: Path, host: str, port: int, strict: bool, pdf: bool) -> int:
    """Serve the site on host:port until Ctrl-C, reading the sources again when they change;
    the program PDFs only with `pdf` (then they are printed when asked for, a second or two)."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop
    from tornado.websocket import WebSocketHandler

    # livereload accepts the reload socket from any page's origin; Tornado's own check
    # accepts only pages of the host that serves it (this process's only websocket).
    LiveReloadHandler.check_origin = WebSocketHandler.check_origin

    site = DevSite(site_dir, strict, pdf)
    site.reload()
    loop = IOLoop.current()

    def changed():  # on the server's thread, which renders the pages
        site.reload()
        LiveReloadHandler.reload_waiters("*")  # "reload the page": no path of the sources

    stop = threading.Event()
    watch_sources(site_dir, lambda: loop.add_callback(changed), stop)
    print(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        Server(app=site_app(site), watcher=no_polling()).serve(
            host=host, port=port, open_url_delay=None, debug=False)
    finally:
        stop.set()
    return 0
