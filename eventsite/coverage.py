"""How much of the site is translated, per locale: agenda text, content pages, UI strings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .i18n import UiCatalog
from .model import Event, Site, Text, texts_of
from .units import read_lock, status, units_of


@dataclass(frozen=True)
class Tally:
    """How many of `total` things a locale has, and a located line for each one it lacks."""

    done: int
    total: int
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Rounded down, so 100% always means complete."""
        return 100 * self.done // self.total if self.total else 100


@dataclass(frozen=True)
class LocaleCoverage:
    locale: str
    agenda: Tally
    pages: Tally
    interface: Tally


def translatable_texts(event: Event) -> tuple[Text, ...]:
    """Every text field of the agenda given per language, in file order. Fields given as one
    string for every language (names) have nothing to translate and are left out."""
    return tuple(text for text in texts_of(event) if not text.same)


def measure(site: Site, catalogs: tuple[UiCatalog, ...]) -> tuple[LocaleCoverage, ...]:
    """The coverage of every locale of the site."""
    texts = translatable_texts(site.event)
    slugs = sorted({page.slug for page in site.pages})
    by_locale = {catalog.locale: catalog for catalog in catalogs}
    return tuple(LocaleCoverage(locale, agenda_tally(texts, locale),
                                page_tally(site, slugs, locale),
                                interface_tally(by_locale.get(locale)))
                 for locale in site.locales)


def agenda_tally(texts: tuple[Text, ...], locale: str) -> Tally:
    missing = tuple(f"{t.source}: {t.key}" for t in texts if not t.has(locale))
    return Tally(len(texts) - len(missing), len(texts), missing)


def page_tally(site: Site, slugs: list[str], locale: str) -> Tally:
    present = {page.slug for page in site.pages_in(locale)}
    missing = tuple(f"content/{locale}/{slug}.md: missing" for slug in slugs
                    if slug not in present)
    return Tally(len(slugs) - len(missing), len(slugs), missing)


def interface_tally(catalog: UiCatalog | None) -> Tally:
    if catalog is None:
        return Tally(0, 0, ())
    missing = tuple(f"{gap.problem.file}:{gap.problem.line}: \"{gap.text}\""
                    for gap in catalog.gaps)
    return Tally(catalog.used - len(missing), catalog.used, missing)


HEADINGS = ("locale", "agenda text", "pages", "interface")


def format_table(coverage: tuple[LocaleCoverage, ...]) -> str:
    """Plain-text table, aligned with spaces, then what each locale lacks."""
    rows = [HEADINGS] + [(c.locale,) + tuple(_cell(t) for t in (c.agenda, c.pages, c.interface))
                         for c in coverage]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    lines = ["Translation coverage:"] + ["  " + _aligned(row, widths) for row in rows]
    for entry in coverage:
        missing = entry.agenda.missing + entry.pages.missing + entry.interface.missing
        if missing:
            lines.append(f"Missing in {entry.locale}:")
            lines += [f"  {line}" for line in missing]
    return "\n".join(lines)


def _aligned(row: tuple[str, ...], widths: list[int], names: int = 1) -> str:
    """The first `names` columns (locale, file) left-aligned, the figures right-aligned, two
    spaces between columns."""
    cells = [cell.ljust(width) if index < names else cell.rjust(width)
             for index, (cell, width) in enumerate(zip(row, widths, strict=True))]
    return "  ".join(cells).rstrip()


def _cell(tally: Tally) -> str:
    return f"{tally.done}/{tally.total} {tally.percent:>3}%"


# ---------------------------------------------------------------- per file, per state, in words

STATES = ("done", "missing", "stale", "machine")


@dataclass(frozen=True)
class FileStates:
    """How many units of one file (and how many source words) a locale has in each state:
    what a translation agency quotes on."""

    locale: str
    file: str
    units: dict[str, int]
    words: dict[str, int]


def measure_units(site: Site, site_dir: Path) -> tuple[FileStates, ...]:
    """Every translated locale's units by file and state (units.status), with word counts."""
    lock = read_lock(site_dir)
    rows = []
    for locale in site.locales[1:]:
        by_file: dict[str, FileStates] = {}
        for unit in units_of(site, locale):
            row = by_file.setdefault(unit.where.file, FileStates(
                locale, unit.where.file, dict.fromkeys(STATES, 0), dict.fromkeys(STATES, 0)))
            state = status(unit, locale, lock)
            row.units[state] += 1
            row.words[state] += unit.words
        rows += by_file.values()
    return tuple(rows)


def format_states(rows: tuple[FileStates, ...]) -> str:
    """One line per locale and file: units (words) in each state."""
    header = ("locale", "file") + STATES
    table = [header] + [(row.locale, row.file) + tuple(
        f"{row.units[state]} ({row.words[state]})" for state in STATES) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = ["Translation units by file, with their source words (machine: machine-translated, "
             "not yet reviewed):"]
    lines += ["  " + _aligned(line, widths, names=2) for line in table]
    return "\n".join(lines)
