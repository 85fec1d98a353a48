"""Load the prose pages content/<locale>/<slug>.md and their front matter."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Report, SiteError
from .fields import SLUG, Context, Fields
from .model import Page, Source
from .yamlfile import read_yaml

PAGE_FIELDS = ("title", "description", "menu")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)


def read_pages(site_dir: Path, locales: tuple[str, ...], report: Report) -> tuple[Page, ...]:
    """Every page of every locale, sorted; missing counterparts are warnings."""
    pages = []
    for locale in locales:
        for path in sorted((site_dir / "content" / locale).glob("*.md")):
            page = read_page(path, path.relative_to(site_dir).as_posix(), locale, report)
            if page:
                pages.append(page)
    warn_missing_counterparts(pages, locales, report)
    return tuple(pages)


def read_page(path: Path, file: str, locale: str, report: Report) -> Page | None:
    slug = path.stem
    if slug != "index" and not SLUG.match(slug):
        report.error(file, 1, f'"{path.name}" cannot be a page address. Rename it with lowercase '
                     "letters, digits and hyphens, e.g. practical-information.md.")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        report.error(file, 1, f"the file is not UTF-8 text ({exc.reason}). Save it as UTF-8.")
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        report.error(file, 1, "the page has no front matter. Start it with a line '---', then "
                     "title: and description:, then another '---'.")
        return None
    try:
        meta = read_yaml("\n" + match[1], file)  # the newline keeps YAML's lines = file lines
    except SiteError as exc:
        report.errors.extend(exc.problems)
        return None
    fields = Fields(meta, "the front matter", PAGE_FIELDS, Context(file, report, (locale,)))
    title = fields.string("title", required=True)
    description = fields.string("description", required=True)
    if None in (title, description):
        return None
    body_line = text[: match.end()].count("\n") + 1
    return Page(slug=slug, locale=locale, title=title, description=description,
                menu=fields.integer("menu", 0) if "menu" in meta else None,
                body=text[match.end():], source=Source(file, body_line))


def warn_missing_counterparts(pages, locales, report: Report) -> None:
    slugs = {(p.locale, p.slug): p for p in pages}
    for page in pages:
        for locale in locales:
            if (locale, page.slug) not in slugs:
                report.warn(page.source.file, 1, f"this page has no {locale} version; add "
                            f"content/{locale}/{page.slug}.md so {locale} visitors can read it.")
