"""The load stage: organiser sources on disk → a validated, immutable Site."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from .agenda import read_event, read_site
from .brand import read_brand
from .content import check_page_links, read_pages
from .errors import Problem, Report, SiteError
from .fields import Context
from .model import Site, markdown_texts
from .units import warn_stale
from .versions import read_versions
from .yamlfile import read_text, read_yaml

AGENDA = "agenda.yaml"

# Reads one YAML file of the site (its path, and its name in messages) into its tree; the dev
# server passes one that keeps the trees of the files that did not change.
ReadYaml = Callable[[Path, str], object]


def parse_yaml_file(path: Path, file: str):
    """A YAML file of the site, parsed; a located SiteError if it cannot be."""
    return read_yaml(read_text(path, file), file)


def load_site(site_dir: Path, read: ReadYaml = parse_yaml_file) -> Site:
    """Read agenda.yaml (and the files it includes) and content/; raise SiteError listing
    every problem found."""
    path = site_dir / AGENDA
    if not path.is_file():
        raise SiteError([Problem(AGENDA, 0, f"there is no {AGENDA} in {site_dir}. Create one (see "
                                  "docs/agenda-format.md) or point --site at the right folder.")])
    root = read(path, AGENDA)
    report = Report()
    if not hasattr(root, "key_marks"):
        report.error(AGENDA, 1, "the file must be a mapping with site:, event:, people: and "
                     "days:. See docs/agenda-format.md.")
        report.raise_if_errors()
    locales, base_url, styles = read_site(root, AGENDA, report)
    ctx = Context(AGENDA, report, locales or ("en",), bool(locales))
    brand = read_brand(root.get("site"), site_dir, ctx)
    event = read_event(root, ctx, site_dir, read)
    report.warnings.sort(key=lambda problem: (problem.file != AGENDA, problem.file, problem.line))
    pages = read_pages(site_dir, locales, report)
    check_page_links(pages, markdown_texts(event) if event else (), report)
    report.raise_if_errors()
    site = Site(locales=locales, base_url=base_url, event=event, pages=pages, brand=brand,
                versions=read_versions(site_dir), styles=styles)
    unreviewed = warn_stale(site, site_dir, report)
    return replace(site, warnings=tuple(report.warnings), unreviewed=unreviewed)
