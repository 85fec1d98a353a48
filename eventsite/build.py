"""The pipeline in one place: load → validate → model (prepare), then render → write.

`prepare` reads and checks every source and sets up rendering; `site_routes` (routes.py) maps
every output path to what renders it; `build_site` writes them all (write.py); the dev server
renders them one at a time (serve.py); `check_site` renders them all and writes nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
from dataclasses import dataclass
from datetime import datetime, time, timezone
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment

from .assets import Assets, fingerprint_assets
from .errors import Problem, Report, SiteError
from .i18n import UiCatalog, catalog_path, load_catalog, template_messages
from .load import load_site
from .model import Event, Site
from .plaintext import Gettext
from .render import check_templates, compiled_templates, make_environment
from .routes import Route, site_routes
from .write import publish, write_routes

REPOSITORY = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Sources:
    """Where a site's parts live: the site folder first, the repository's defaults behind it."""

    site_dir: Path

    def layers(self, name: str) -> list[Path]:
        found = [self.site_dir / name, REPOSITORY / name]
        return [path for index, path in enumerate(found)
                if path.is_dir() and path.resolve() not in {p.resolve() for p in found[:index]}]

    def catalogs(self, locale: str) -> list[tuple[Path, str]]:
        """A locale's catalog files, the site's before the repository's, and their names in
        messages: the site's below its folder, the repository's whole when it is another."""
        found = [(catalog_path(folder, locale), folder) for folder in self.layers("locales")]
        if not found or found[0][1].resolve() != (self.site_dir / "locales").resolve():
            found.insert(0, (catalog_path(self.site_dir / "locales", locale),
                             self.site_dir / "locales"))
        return [(path, "locales/" + path.relative_to(folder).as_posix()
                 if folder.resolve() == (self.site_dir / "locales").resolve() else str(path))
                for path, folder in found]


@dataclass(frozen=True)
class Plan:
    """Everything rendering needs, read and checked once: every route is a function of it."""

    site: Site
    envs: dict[str, Environment]
    assets: Assets
    catalogs: tuple[UiCatalog, ...]
    stamp: datetime
    warnings: tuple[Problem, ...]
    pdf: bool  # whether the program is printed to PDF (and its pages link the PDF)

    def gettext(self, locale: str) -> Gettext:
        return next(c for c in self.catalogs if c.locale == locale).translations.gettext


@dataclass(frozen=True)
class Built:
    site: Site
    paths: tuple[str, ...]  # every file written (or, for `check`, that would be)
    warnings: tuple[Problem, ...]
    catalogs: tuple[UiCatalog, ...] = ()


def prepare(site_dir: Path, strict: bool = False, pdf: bool = False,
            site: Site | None = None) -> Plan:
    """Load and validate the sources (or take the `site` already loaded from them), compile
    the catalogs and set up the templates; raise SiteError on any mistake. With `pdf`, the
    program is printed to PDF in every locale."""
    site = site or load_site(site_dir)
    sources = Sources(site_dir)
    report = Report(warnings=list(site.warnings))
    cache = cache_folder(os.environ)
    messages = template_messages(sources.layers("templates"), cache)
    catalogs = tuple(load_catalog(sources.catalogs(locale), locale, site.default_locale,
                                  messages, report) for locale in site.locales)
    report.warnings.extend(p for catalog in catalogs for p in catalog.warnings)
    report.raise_if_errors(strict)
    assets = fingerprint_assets(read_assets(sources, site))
    compiled = compiled_templates(cache)
    envs = {catalog.locale: make_environment(sources.layers("templates"),
                                             site.style(catalog.locale),
                                             catalog.translations, assets.url, compiled)
            for catalog in catalogs}
    check_templates(envs[site.default_locale])
    stamp = build_stamp(site.event, os.environ.get("SOURCE_DATE_EPOCH"))
    return Plan(site, envs, assets, catalogs, stamp, tuple(report.warnings), pdf)


def cache_folder(environ) -> Path | None:
    """The one folder the build keeps anything in between runs (compiled templates, the UI
    strings found in them): the
    user's cache folder, $XDG_CACHE_HOME/eventsite or ~/.cache/eventsite, never the site's
    folder. Safe to delete at any time; EVENTSITE_CACHE= (empty) turns it off."""
    if "EVENTSITE_CACHE" in environ:
        return Path(environ["EVENTSITE_CACHE"]) if environ["EVENTSITE_CACHE"] else None
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "eventsite")


def build_stamp(event: Event, source_date_epoch: str | None) -> datetime:
    """When the agenda last changed, for calendars' DTSTAMP, the schedule's version and the
    PDFs' fonts.

    The agenda's own `updated` date first, then SOURCE_DATE_EPOCH (reproducible-builds.org),
    then the start of the meeting: never the clock, so two builds write the same bytes.
    """
    if event.updated:
        local = datetime.combine(event.updated, time(0), ZoneInfo(event.timezone))
        return local.astimezone(timezone.utc)
    if source_date_epoch is not None:
        if not source_date_epoch.strip().isdigit():
            raise SiteError([Problem("SOURCE_DATE_EPOCH", 0, f'"{source_date_epoch}" is not a '
                                     "whole number of seconds since 1970. Unset it, or set it "
                                     "to e.g. $(git log -1 --format=%ct).")])
        return datetime.fromtimestamp(int(source_date_epoch), timezone.utc)
    return event.start.astimezone(timezone.utc)


def read_assets(sources: Sources, site: Site) -> dict[str, bytes]:
    """Static files by name below assets/, the site's own overriding the repository's, and
    the organiser's logo (site.brand), published with them."""
    assets: dict[str, bytes] = {}
    for folder in reversed(sources.layers("assets")):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            assets[path.relative_to(folder).as_posix()] = path.read_bytes()
    if site.brand and site.brand.logo:
        assets[site.brand.logo_asset] = (sources.site_dir / site.brand.logo).read_bytes()
    return assets


def renderers(routes: dict[str, Route]) -> dict:
    return {path: route.render for path, route in routes.items()}


# Routes from which a build renders in two processes. Measured (bench/README.md): at 200
# sessions (1,200 files) a second process saves 20-25 % of the wall time; at the seed's 85
# files it costs more than it saves.
PARALLEL_FROM = 1000


def build_site(site_dir: Path, out_dir: Path, strict: bool = False, pdf: bool = False) -> Built:
    """Build the site into out_dir; the previous out_dir survives any failure. The program PDFs
    take a second or two to print, so they are made only when asked (`build.py build` asks)."""
    plan = prepare(site_dir, strict, pdf)
    routes = site_routes(plan)
    workers = min(2, os.cpu_count() or 1) if len(routes) >= PARALLEL_FROM else 1
    fill = None if workers == 1 else partial(render_in_processes, plan.site, site_dir, strict,
                                             pdf, shares(list(routes), workers))
    paths = publish(renderers(routes), out_dir, (site_dir, REPOSITORY), fill)
    return Built(plan.site, paths, plan.warnings, plan.catalogs)


def shares(paths: list[str], workers: int) -> list[list[str]]:
    """The paths split among `workers` processes, a locale's pages or calendars kept together
    (they share work: its program PDF, its sessions' VEVENTs), the largest groups first."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for path in paths:  # a locale's folder, or the files at the top (schedule.json and .xml)
        folder = path.split("/")[0] if "/" in path else ""
        groups.setdefault((folder, path.endswith(".ics")), []).append(path)
    parts: list[list[str]] = [[] for _ in range(workers)]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(parts, key=len).extend(group)
    return parts


def render_in_processes(site: Site, site_dir: Path, strict: bool, pdf: bool,
                        parts: list[list[str]], folder: Path) -> None:
    """Render and write each part of the routes in a process of its own, while this one waits
    (it renders nothing itself: measured, that was 6 % slower at 2,000 sessions). Each is sent
    the model and prepares the rest of the plan again (templates cannot be sent to another
    process); each dies with this one (worker_started)."""
    # Imported here: a small site, built in one process, spares their 20 ms of start-up.
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    pool = ProcessPoolExecutor(len(parts), mp_context=get_context("fork"),
                               initializer=worker_started)
    try:
        for done in [pool.submit(render_part, site, site_dir, strict, pdf, part, folder)
                     for part in parts]:
            done.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # a failure or Ctrl-C: no waiting
        raise
    pool.shutdown()


def render_part(site: Site, site_dir: Path, strict: bool, pdf: bool, paths: list[str],
                folder: Path) -> None:
    routes = site_routes(prepare(site_dir, strict, pdf, site))
    write_routes({path: routes[path].render for path in paths}, folder)


def worker_started() -> None:
    """In a worker process: Ctrl-C is for the build, which stops the workers; and a worker
    whose build is killed is killed too (Linux's PR_SET_PDEATHSIG), never left running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        set_death_signal = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return
    pr_set_pdeathsig = 1
    set_death_signal(pr_set_pdeathsig, signal.SIGKILL)


def check_site(site_dir: Path, strict: bool = False) -> Built:
    """Everything a build does except writing (and printing): the sources are right."""
    plan = prepare(site_dir, strict)
    routes = site_routes(plan)
    for route in routes.values():
        route.render()
    return Built(plan.site, tuple(sorted(routes)), plan.warnings, plan.catalogs)


__all__ = ["build_site", "check_site", "prepare", "SiteError"]
