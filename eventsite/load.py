"""The load stage: organiser sources on disk → a validated, immutable Site."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from .agenda import Registry, read_event, read_site
from .content import check_page_links, read_pages
from .errors import Problem, Report, SiteError
from .fields import Context
from .model import Site, texts_of
from .yamlfile import MarkedMap, read_text, read_yaml

AGENDA = "agenda.yaml"


@dataclass(frozen=True)
class Loaded:
    """A loaded site, with what the dev server needs to read one session of it again
    (eventsite/reload.py): the agenda's text, its YAML tree and the people by id."""

    site: Site
    text: str
    tree: MarkedMap
    people: Registry


def load_site(site_dir: Path) -> Site:
    """Read agenda.yaml and content/; raise SiteError listing every problem found."""
    return load(site_dir).site


def load(site_dir: Path) -> Loaded:
    """load_site's work, and what it read on the way."""
    # Loading allocates an object per YAML node and model field and frees none of them: the
    # cycle collector's passes over them (half of the load of a congress's agenda) find
    # nothing to collect. Plain reference counting still frees what loading drops.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(site_dir)
    finally:
        if collecting:
            gc.enable()


def _load(site_dir: Path) -> Loaded:
    path = site_dir / AGENDA
    if not path.is_file():
        raise SiteError([Problem(AGENDA, 0, f"there is no {AGENDA} in {site_dir}. Create one (see "
                                  "docs/agenda-format.md) or point --site at the right folder.")])
    text = read_text(path, AGENDA)
    root = read_yaml(text, AGENDA)
    report = Report()
    if not hasattr(root, "key_marks"):
        report.error(AGENDA, 1, "the file must be a mapping with site:, event:, people: and "
                     "days:. See docs/agenda-format.md.")
        report.raise_if_errors()
    locales, base_url = read_site(root, AGENDA, report)
    event, people = read_event(root, Context(AGENDA, report, locales or ("en",),
                                             bool(locales)))
    # In the file's order, whatever order they were read in: the dev server replaces the
    # warnings of the lines it reads again (eventsite/reload.py).
    report.warnings.sort(key=lambda problem: problem.line)
    pages = read_pages(site_dir, locales, report)
    check_page_links(pages, texts_of(event) if event else (), report)
    report.raise_if_errors()
    site = Site(locales=locales, base_url=base_url, event=event, pages=pages,
                warnings=tuple(report.warnings))
    return Loaded(site, text, root, people)

