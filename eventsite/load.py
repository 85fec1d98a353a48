"""The load stage: organiser sources on disk → a validated, immutable Site."""

from __future__ import annotations

import gc
from pathlib import Path

from .agenda import read_event, read_site
from .content import check_page_links, read_pages
from .errors import Problem, Report, SiteError
from .fields import Context
from .model import Site, texts_of
from .yamlfile import read_text, read_yaml

AGENDA = "agenda.yaml"


def load_site(site_dir: Path) -> Site:
    """Read agenda.yaml and content/; raise SiteError listing every problem found."""
    # Loading allocates an object per YAML node and model field and frees none of them: the
    # cycle collector's passes over them (half of the load of a congress's agenda) find
    # nothing to collect. Plain reference counting still frees what loading drops.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_site(site_dir)
    finally:
        if collecting:
            gc.enable()


def _load_site(site_dir: Path) -> Site:
    path = site_dir / AGENDA
    if not path.is_file():
        raise SiteError([Problem(AGENDA, 0, f"there is no {AGENDA} in {site_dir}. Create one (see "
                                  "docs/agenda-format.md) or point --site at the right folder.")])
    root = read_yaml(read_text(path, AGENDA), AGENDA)
    report = Report()
    if not hasattr(root, "key_marks"):
        report.error(AGENDA, 1, "the file must be a mapping with site:, event:, people: and "
                     "days:. See docs/agenda-format.md.")
        report.raise_if_errors()
    locales, base_url = read_site(root, AGENDA, report)
    event = read_event(root, Context(AGENDA, report, locales or ("en",), bool(locales)))
    pages = read_pages(site_dir, locales, report)
    check_page_links(pages, texts_of(event) if event else (), report)
    report.raise_if_errors()
    return Site(locales=locales, base_url=base_url, event=event, pages=pages,
                warnings=tuple(report.warnings))

