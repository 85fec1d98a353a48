"""The whole pipeline in one function: load → validate → model → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, Report, SiteError
from .i18n import load_translations
from .load import load_site
from .model import Site
from .render import make_environment, render_site
from .write import publish

REPOSITORY = Path(__file__).resolve().parent.parent


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


def compile_site(site_dir: Path, strict: bool = False) -> Built:
    """Load, validate and render everything in memory; raise SiteError on any mistake."""
    sources = Sources(site_dir)
    site = load_site(site_dir)
    report = Report(warnings=list(site.warnings))
    translations = {locale: load_translations(sources.locales_dir, locale, site.default_locale,
                                              report, "locales") for locale in site.locales}
    if strict:
        report.errors.extend(report.warnings)
    report.raise_if_errors()
    envs = {locale: make_environment(sources.layers("templates"), locale, translations[locale])
            for locale in site.locales}
    files = render_site(site, envs)
    files.update(read_assets(sources))
    return Built(site, files, tuple(report.warnings))


def read_assets(sources: Sources) -> dict[str, bytes]:
    """Static files, the site's own overriding the repository's defaults of the same name."""
    assets: dict[str, bytes] = {}
    for folder in reversed(sources.layers("assets")):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            assets[f"assets/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return assets


def build_site(site_dir: Path, out_dir: Path, strict: bool = False) -> Built:
    """Build the site into out_dir; the previous out_dir survives any failure."""
    built = compile_site(site_dir, strict)
    publish(built.files, out_dir)
    return built


__all__ = ["build_site", "compile_site", "SiteError"]
