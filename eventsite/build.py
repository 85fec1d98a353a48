"""The pipeline: load → validate → model (prepare), then render → write, in batches."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .assets import fingerprint_assets
from .calendars import build_calendars
from .errors import Problem, Report, SiteError
from .i18n import UiCatalog, load_catalog, template_messages
from .load import load_site
from .markup import prime
from .model import Event, Site
from .render import (COMPILED_TEMPLATES, PROGRAM, SESSION_LISTS, Route, make_environment,
                     render_neutral, render_pages, render_program, site_routes)
from .schedule import build_schedule
from .write import content_bytes, publish, write_tree

if TYPE_CHECKING:
    from .pdf import Pdf

REPOSITORY = Path(__file__).resolve().parent.parent
PDF_CACHE = Path(".cache", "pdf")  # below the site folder: outside dist/, kept between builds
MARKDOWN_CACHE = Path(".cache", "markdown.json")


@dataclass(frozen=True)
class Sources:
    """Where a site's parts live: the site folder first, the repository's defaults behind it."""

    site_dir: Path

    def layers(self, name: str) -> list[Path]:
        found = [self.site_dir / name, REPOSITORY / name]
        return [path for index, path in enumerate(found)
                if path.is_dir() and path.resolve() not in {p.resolve() for p in found[:index]}]

    @property
    def locales_dir(self) -> Path:
        layers = self.layers("locales")
        return layers[0] if layers else self.site_dir / "locales"


@dataclass(frozen=True)
class Plan:
    """Everything rendering needs, prepared once; each batch of output is a pure function of it."""

    site: Site
    envs: dict
    assets: dict[str, bytes]
    pdfs: dict[str, Pdf]
    gettexts: dict
    stamp: datetime
    warnings: tuple[Problem, ...]
    catalogs: tuple[UiCatalog, ...]
    memo: dict | None = None  # what the dev server keeps between builds (render.fragments)


@dataclass(frozen=True)
class Batch:
    """Part of the output: the language-neutral files, the schedule, a locale's calendars, or
    some of its pages."""

    kind: str  # "neutral", "schedule", "calendars" or "pages"
    locale: str | None = None
    routes: tuple[Route, ...] = ()
    sessions: frozenset[str] | None = None  # calendars: only the files holding these


@dataclass(frozen=True)
class Built:
    site: Site
    paths: tuple[str, ...]  # every file written (or, for `check`, that would be)
    warnings: tuple[Problem, ...]
    catalogs: tuple[UiCatalog, ...] = ()


PAGES_PER_BATCH = 250
PARALLEL_FROM = 400  # pages: below this, starting worker processes costs more than it saves


def prepare(site_dir: Path, strict: bool = False, pdf: bool = False,
            memo: dict | None = None, cache: bool = True) -> Plan:
    """Load, validate and set up rendering; raise SiteError on any mistake.

    With `pdf`, each locale's program page is printed to PDF first, so the pages that link to
    the PDF can state its page count and size. `memo`: see Plan. With `cache`, Markdown
    conversions are kept in .cache/ for the next build (`check` writes nothing)."""
    return plan_site(load_site(site_dir), site_dir, strict, pdf, memo, cache)


def plan_site(site: Site, site_dir: Path, strict: bool = False, pdf: bool = False,
              memo: dict | None = None, cache: bool = True) -> Plan:
    """prepare's work once the site is loaded."""
    sources = Sources(site_dir)
    report = Report(warnings=list(site.warnings))
    kept = Path(COMPILED_TEMPLATES.directory) if COMPILED_TEMPLATES.directory else None
    messages = template_messages(sources.layers("templates"), kept)
    catalogs = {locale: load_catalog(sources.locales_dir, locale, site.default_locale, messages,
                                     report, "locales", kept) for locale in site.locales}
    report.warnings.extend(p for catalog in catalogs.values() for p in catalog.warnings)
    report.raise_if_errors(strict)
    stamp = build_stamp(site.event, os.environ.get("SOURCE_DATE_EPOCH"))
    prime(markdown_texts(site), site_dir / MARKDOWN_CACHE if cache else None)
    assets = fingerprint_assets(read_assets(sources))
    envs = {locale: make_environment(sources.layers("templates"), locale,
                                     catalogs[locale].translations, assets.url, memo)
            for locale in site.locales}
    pdfs = make_program_pdfs(site, envs, assets.files, site_dir / PDF_CACHE) if pdf else {}
    gettexts = {locale: catalogs[locale].translations.gettext for locale in site.locales}
    return Plan(site, envs, assets.files, pdfs, gettexts, stamp, tuple(report.warnings),
                tuple(catalogs.values()), memo)


def replan(previous: Plan, site: Site, strict: bool) -> Plan | None:
    """The plan for `site`, loaded after an edit to agenda.yaml alone, made of the previous
    plan's catalogs, templates and assets (their sources did not change); None when the edit
    changed the languages, which those depend on. The dev server's, so without PDFs, and the
    Markdown the edit brought is converted without the disk cache (it saves nothing here)."""
    if site.locales != previous.site.locales:
        return None
    report = Report(warnings=[*site.warnings, *(p for c in previous.catalogs for p in c.warnings)])
    report.raise_if_errors(strict)
    prime(markdown_texts(site), None)
    stamp = build_stamp(site.event, os.environ.get("SOURCE_DATE_EPOCH"))
    return Plan(site, previous.envs, previous.assets, {}, previous.gettexts, stamp,
                tuple(report.warnings), previous.catalogs, previous.memo)


def batches(plan: Plan, sessions: frozenset[str] | None = None) -> tuple[Batch, ...]:
    """The whole output in parts, the costliest first (each locale's calendars, then its
    home, agenda and program pages), so that two cores finish at about the same time.

    Each page that lists every session is a batch of its own: for a congress, one is tens of
    megabytes of text, and a worker holds a whole batch until it is written.

    With `sessions`, only what shows those sessions: the pages that list every session, the
    sessions' own pages, the calendars holding them and the schedule."""
    routes = site_routes(plan.site)
    if sessions is not None:
        routes = tuple(route for route in routes if route.template in SESSION_LISTS
                       or (route.session and route.session.id in sessions))
    lists = [(route,) for route in routes if route.template in SESSION_LISTS]
    others = tuple(route for route in routes if route.template not in SESSION_LISTS)
    parts = [others[start:start + PAGES_PER_BATCH]
             for start in range(0, len(others), PAGES_PER_BATCH)]
    locales = plan.site.locales
    return (*(Batch("calendars", locale, sessions=sessions) for locale in locales),
            *(Batch("pages", locale, part) for part in lists for locale in locales),
            *([Batch("neutral")] if sessions is None else []),
            Batch("schedule"),
            *(Batch("pages", locale, part) for part in parts for locale in locales))


def render_batch(plan: Plan, batch: Batch) -> dict:
    """One batch of output files, as {path relative to dist/: content}: text, bytes, or
    what writes itself as it is made (write.Parts, render.StreamedPage; write.write_content)."""
    site = plan.site
    if batch.kind == "pages":
        pdf = plan.pdfs.get(batch.locale)
        return render_pages(site, plan.envs[batch.locale], batch.locale, batch.routes,
                            pdf.info if pdf else None)
    if batch.kind == "calendars":
        return build_calendars(site, batch.locale, plan.gettexts[batch.locale], plan.stamp,
                               batch.sessions, plan.memo)
    if batch.kind == "schedule":
        return {"schedule.json": build_schedule(site, plan.gettexts[site.default_locale],
                                                plan.stamp, plan.memo)}
    files: dict[str, str | bytes] = dict(plan.assets)
    files.update(render_neutral(site, plan.envs, site_routes(site)))
    files.update({f"{locale}/{PROGRAM.path}{made.info.file}": made.data
                  for locale, made in plan.pdfs.items()})
    return files


def compile_site(site_dir: Path, strict: bool = False, pdf: bool = False) -> Built:
    """Everything a build does except writing: the check that the sources are right."""
    plan = prepare(site_dir, strict, pdf, cache=False)
    return Built(plan.site, run_batches(plan, None), plan.warnings, plan.catalogs)


def markdown_texts(site: Site) -> set[str]:
    """Every Markdown text of the site, in every language: what rendering will convert."""
    event = site.event
    found = [event.description, event.online_note]
    pending = [item for session in event.sessions for item in session.items]
    found += [session.description for session in event.sessions]
    while pending:
        item = pending.pop()
        found.append(item.description)
        pending += item.items
    return {value for text in found if text for _, value in text.values} | {
        page.body for page in site.pages}


def make_program_pdfs(site: Site, envs: dict, assets: dict[str, bytes],
                      cache_dir: Path) -> dict[str, Pdf]:
    """Each locale's program page as a PDF, taken from the cache when the page is unchanged.
    (Printing is imported only here: most builds of a day print nothing.)"""
    from .pdf import OFFLINE_ROOT, PdfCache, PrintPage, program_pdf, program_pdf_name

    cache = PdfCache(cache_dir)
    pdfs, keys = {}, set()
    for locale in site.locales:
        name = program_pdf_name(site.event.id, locale)
        page = PrintPage(render_program(envs[locale], site, locale, name),
                         site.base_url or OFFLINE_ROOT, f"{locale}/{PROGRAM.path}")
        key, pdfs[locale] = program_pdf(page, assets, name, cache)
        keys.add(key)
    cache.keep_only(keys)
    return pdfs


def build_stamp(event: Event, source_date_epoch: str | None) -> datetime:
    """When the agenda last changed, for calendars' DTSTAMP and the schedule's version.

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


def read_assets(sources: Sources) -> dict[str, bytes]:
    """Static files by name below assets/, the site's own overriding the repository's."""
    assets: dict[str, bytes] = {}
    for folder in reversed(sources.layers("assets")):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            assets[path.relative_to(folder).as_posix()] = path.read_bytes()
    return assets


def build_site(site_dir: Path, out_dir: Path, strict: bool = False, pdf: bool = False) -> Built:
    """Build the site into out_dir; the previous out_dir survives any failure. The program PDFs
    take a second or two to print, so they are made only when asked (`build.py build` asks)."""
    plan = prepare(site_dir, strict, pdf)
    return Built(plan.site, write_site(plan, site_dir, out_dir), plan.warnings, plan.catalogs)


def write_site(plan: Plan, site_dir: Path, out_dir: Path, parallel: bool = True
               ) -> tuple[str, ...]:
    """Render the whole site beside out_dir and swap it in (write.publish); the paths."""
    return publish(lambda folder: run_batches(plan, folder, parallel), out_dir,
                   (site_dir, REPOSITORY))


# The batches of the build under way, for its worker processes: forked, they inherit the plan
# (templates compiled, model built) instead of receiving a copy of it.
_PLAN: Plan | None = None
_BATCHES: tuple[Batch, ...] = ()


def run_batches(plan: Plan, folder: Path | None, parallel: bool = True) -> tuple[str, ...]:
    """Render every batch and write it below `folder` (None: render only), on every core when
    the site is big enough and `parallel` allows. Each worker writes what it rendered, so no
    process ever holds the whole site; the files are the same whichever process renders them.
    (The dev server renders in its own process, to keep what it rendered in the plan's memo.)"""
    global _PLAN, _BATCHES
    _PLAN, _BATCHES = plan, batches(plan)
    try:
        pages = sum(len(batch.routes) for batch in _BATCHES)
        workers = min(os.cpu_count() or 1, len(_BATCHES))
        # Workers must inherit the plan: where processes cannot fork (Windows), one process.
        if not parallel or pages < PARALLEL_FROM or workers < 2 or not hasattr(os, "fork"):
            done = [_run_batch(index, folder) for index in range(len(_BATCHES))]
        else:  # imported here: a small site's build needs neither (20 ms of start-up)
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            # The workers' cycle collector would write to every object of the plan they
            # inherit, copying the page it is on: frozen, the plan stays shared memory.
            gc.freeze()
            try:
                with ProcessPoolExecutor(workers, mp_context=context) as pool:
                    done = list(pool.map(_run_batch, range(len(_BATCHES)),
                                         [folder] * len(_BATCHES)))
            finally:
                gc.unfreeze()  # the dev server's next build must free this one's plan
    finally:
        _PLAN, _BATCHES = None, ()
    return tuple(sorted(path for paths in done for path in paths))


def _run_batch(index: int, folder: Path | None) -> tuple[str, ...]:
    files = render_batch(_PLAN, _BATCHES[index])
    if folder is not None:
        write_tree(files, folder)
    else:  # `check`: pages rendered as they are written must still be rendered
        for content in files.values():
            content_bytes(content)
    return tuple(files)


__all__ = ["build_site", "compile_site", "SiteError"]
