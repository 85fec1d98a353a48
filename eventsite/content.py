"""Load the prose pages content/<locale>/<slug>.md and their front matter."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problem, Report, SiteError, closest
from .fields import SLUG, Context, Fields
from .model import Page, Source
from .yamlfile import MarkedMap, read_text, read_yaml

PAGE_FIELDS = ("title", "description", "menu", "shows")
# What a page may show from agenda.yaml besides its Markdown (`shows:` in its front matter):
# the register action and what participants need first, or the venue's address with a map
# link, how to get there and its accessibility after the page's title.
SHOWS = ("registration", "venue")
# Links to other pages by file name, [text](venue.md#fragment) or [ref]: venue.md, as
# markup.py resolves them; written by line so a broken one can be named with its line.
PAGE_LINK = re.compile(r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)([^\s)>#]+\.md)(?:#[^\s)>]*)?", re.M)


def read_pages(site_dir: Path, locales: tuple[str, ...], report: Report) -> tuple[Page, ...]:
    """Every page of every locale, sorted; missing counterparts are warnings."""
    pages = []
    inside = site_dir.resolve()
    for locale in locales:
        for path in sorted((site_dir / "content" / locale).glob("*.md")):
            file = path.relative_to(site_dir).as_posix()
            if inside not in path.resolve().parents:
                report.error(file, 0, f"this is a link to {path.resolve()}, outside the site "
                             "folder, which is never published. Copy the file into content/ "
                             "instead.")
                continue
            page = read_page(path, file, locale, report)
            if page:
                pages.append(page)
    warn_undeclared_locales(site_dir / "content", locales, report)
    warn_missing_counterparts(pages, locales, report)
    return tuple(pages)


def warn_undeclared_locales(content_dir: Path, locales: tuple[str, ...], report: Report) -> None:
    """A content/<code>/ folder for a language the site does not declare is never built."""
    if not locales or not content_dir.is_dir():
        return
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if folder.name not in locales:
            report.warn(f"content/{folder.name}", 0, f"{folder.name} is not a language of this "
                        f"site ({', '.join(locales)}), so these pages are not built. Add it to "
                        "site.locales, or rename the folder.")


def read_page(path: Path, file: str, locale: str, report: Report) -> Page | None:
    slug = path.stem
    if slug != "index" and not SLUG.match(slug):
        report.error(file, 1, f'"{path.name}" cannot be a page address. Rename it with lowercase '
                     "letters, digits and hyphens, e.g. practical-information.md.")
        return None
    try:
        text = read_text(path, file)
        meta, body_line = read_front_matter(text, file)
    except SiteError as exc:
        report.errors.extend(exc.problems)
        return None
    fields = Fields(meta, "the front matter", PAGE_FIELDS, Context(file, report, (locale,)),
                    (2, 1))
    title = fields.string("title", required=True)
    description = fields.string("description", required=True)
    shows = fields.string("shows")
    if shows and shows not in SHOWS:
        close = closest(shows, SHOWS)
        fields.error("shows", f'"shows" is "{shows}". ' + (
            f'Did you mean "{close}"?' if close else f"Use one of: {', '.join(SHOWS)}."))
        shows = None
    if None in (title, description):
        return None
    return Page(slug=slug, locale=locale, title=title, description=description,
                menu=fields.integer("menu", 0) if "menu" in meta else None, shows=shows,
                body="\n".join(text.split("\n")[body_line - 1:]), source=Source(file, body_line))


def read_front_matter(text: str, file: str) -> tuple[MarkedMap, int]:
    """The front matter's fields and the line the Markdown body starts on."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise SiteError([Problem(file, 1, "the page does not start with front matter. Make its "
                                 "first line '---', then title: and description:, then '---'.")])
    end = next((n for n, line in enumerate(lines[1:], 2) if line.rstrip() == "---"), None)
    if end is None:
        raise SiteError([Problem(file, 1, "the front matter opened here is never closed. Add a "
                                 "line '---' after its last field.")])
    # Padding with newlines keeps YAML's line numbers equal to the file's.
    meta = read_yaml("\n" + "\n".join(lines[1:end - 1]), file)
    if not isinstance(meta, MarkedMap):
        raise SiteError([Problem(file, 2, "the front matter must be `field: value` lines: "
                                 "title:, description: and optionally menu:. Write them.")])
    return meta, end + 1


def warn_missing_counterparts(pages, locales, report: Report) -> None:
    slugs = {(p.locale, p.slug): p for p in pages}
    for page in pages:
        for locale in locales:
            if (locale, page.slug) not in slugs:
                report.warn(page.source.file, 1, f"this page has no {locale} version; add "
                            f"content/{locale}/{page.slug}.md so {locale} visitors can read it.")


def check_page_links(pages, texts, report: Report) -> None:
    """Every `[text](page.md)`, in a page or an agenda text, must name a page that exists in
    some language."""
    slugs = {page.slug for page in pages}
    for page in pages:
        for number, line in enumerate(page.body.split("\n"), page.source.line):
            for link in PAGE_LINK.finditer(line):
                problem = broken_link(link[1], slugs)
                if problem:
                    report.error(page.source.file, number, problem, link.start(1) + 1)
    for text in texts:
        links = {link[1] for _, value in text.values if ".md" in value
                 for link in PAGE_LINK.finditer(value)}
        for problem in filter(None, (broken_link(target, slugs) for target in sorted(links))):
            report.error(text.source.file, text.source.line, problem, text.source.column)


def broken_link(target: str, slugs: set[str]) -> str | None:
    """What is wrong with a link to `target` (ending in .md), or None when it names a page."""
    if ":" in target:  # an address on another site, e.g. https://…/README.md
        return None
    if "/" in target:
        return (f'the link to "{target}" is a path. Link pages by file name only, e.g. '
                f"({target.rsplit('/', 1)[1]}).")
    if target[:-3] in slugs:
        return None
    known = ", ".join(f"{slug}.md" for slug in sorted(slugs))
    return (f'the link to "{target}" leads nowhere: no language has that page. Link one of '
            f"{known}, or add the page.")
