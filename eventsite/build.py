"""The whole pipeline in one function: load → validate → model → render → write."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from .assets import fingerprint_assets
from .calendars import build_calendars
from .errors import Problem, Report, SiteError
from .i18n import UiCatalog, load_catalog, template_messages
from .load import load_site
from .model import Event, Site
from .pdf import OFFLINE_ROOT, Pdf, PdfCache, PrintPage, program_pdf, program_pdf_name
from .render import PROGRAM, make_environment, render_program, render_site
from .schedule import build_schedule
from .write import publish

REPOSITORY = Path(__file__).resolve().parent.parent
PDF_CACHE = Path(".cache", "pdf")  # below the site folder: outside dist/, kept between builds


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
class Built:
    site: Site
    files: dict[str, str | bytes]
    warnings: tuple[Problem, ...]
    catalogs: tuple[UiCatalog, ...] = ()


def compile_site(site_dir: Path, strict: bool = False, pdf: bool = False) -> Built:
    """Load, validate and render everything in memory; raise SiteError on any mistake.

    With `pdf`, each locale's program page is printed to PDF first, so the pages that link to
    the PDF can state its page count and size."""
    sources = Sources(site_dir)
    site = load_site(site_dir)
    report = Report(warnings=list(site.warnings))
    messages = template_messages(sources.layers("templates"))
    catalogs = {locale: load_catalog(sources.locales_dir, locale, site.default_locale, messages,
                                     report, "locales") for locale in site.locales}
    report.warnings.extend(p for catalog in catalogs.values() for p in catalog.warnings)
    if strict:
        report.errors.extend(report.warnings)
    report.raise_if_errors()
    assets = fingerprint_assets(read_assets(sources))
    envs = {locale: make_environment(sources.layers("templates"), locale,
                                     catalogs[locale].translations, assets.url)
            for locale in site.locales}
    pdfs = make_program_pdfs(site, envs, assets.files,
                             PdfCache(site_dir / PDF_CACHE)) if pdf else {}
    files = render_site(site, envs, {locale: made.info for locale, made in pdfs.items()})
    files.update(assets.files)
    stamp = build_stamp(site.event, os.environ.get("SOURCE_DATE_EPOCH"))
    gettexts = {locale: catalogs[locale].translations.gettext for locale in site.locales}
    files.update(build_calendars(site, gettexts, stamp))
    files["schedule.json"] = build_schedule(site, gettexts[site.default_locale], stamp)
    files.update({f"{locale}/{PROGRAM.path}{made.info.file}": made.data
                  for locale, made in pdfs.items()})
    return Built(site, files, tuple(report.warnings), tuple(catalogs.values()))


def make_program_pdfs(site: Site, envs: dict, assets: dict[str, bytes],
                      cache: PdfCache) -> dict[str, Pdf]:
    """Each locale's program page as a PDF, taken from the cache when the page is unchanged."""
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
    built = compile_site(site_dir, strict, pdf)
    publish(built.files, out_dir, (site_dir, REPOSITORY))
    return built


__all__ = ["build_site", "compile_site", "SiteError"]
